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
    private const int Tokens = BenchModels.Tokens;
    private TransformerClassifier _model = null!;
    private int[,] _tokens = null!;
    private int[] _labels = null!;

    /// <summary>The arithmetic mode.</summary>
    [Params(TrainingMode.Ieee, TrainingMode.PamMatmul, TrainingMode.Pam)]
    public TrainingMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchModels.Runtime(Mode, 0.1f);
        (_tokens, _, _labels) = BenchModels.Data();
    }

    /// <summary>One step; Mean is per token.</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float Step() => _model.TrainStep(_tokens, _labels);
}
