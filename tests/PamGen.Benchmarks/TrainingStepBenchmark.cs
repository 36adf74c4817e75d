using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace PamGen.Benchmarks;

/// <summary>
/// One training step (forward, loss, backward, clip, AdamW) of the hand-assembled encoder classifier at the issue's
/// shapes: d = 256, 4 layers, 4 heads, MLP 1024, sequence 128, batch 16 (vocab 1000, 10 classes, dropout 0.1,
/// label smoothing 0.1), in each training mode. The reported time is per token (OperationsPerInvoke = batch ×
/// sequence), so tokens/s = 1e9 / Mean[ns]. The PyTorch twin is compare/torch_step.py.
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*TrainingStep*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class TrainingStepBenchmark
{
    private const int Batch = 16, Seq = 128, Tokens = Batch * Seq;
    private TransformerClassifier _model = null!;
    private int[,] _tokens = null!;
    private int[] _labels = null!;

    /// <summary>The arithmetic mode.</summary>
    [Params(TrainingMode.Ieee, TrainingMode.PamMatmul, TrainingMode.Pam)]
    public TrainingMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new TransformerConfig(Vocab: 1000, Dim: 256, Heads: 4, Layers: 4, Hidden: 1024, MaxSeq: Seq, Classes: 10,
            Dropout: 0.1f, LabelSmoothing: 0.1f, Seed: 1);
        _model = TransformerClassifier.Create(Mode, config, new TrainingOptions(LearningRate: 1e-3f, WarmupSteps: 10, TotalSteps: 1000), Batch, Seq);
        var rng = new SeededRandom(2);
        _tokens = new int[Batch, Seq];
        _labels = new int[Batch];
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Seq; t++) _tokens[b, t] = rng.NextInt(1000);
            _labels[b] = rng.NextInt(10);
        }
    }

    /// <summary>One step; Mean is per token.</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float Step() => _model.TrainStep(_tokens, _labels);
}
