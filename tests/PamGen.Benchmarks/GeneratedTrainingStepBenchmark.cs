using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PamMode = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Benchmarks;

/// <summary>
/// The generated, fused training step (<see cref="BenchEncoder"/>: zero-grad, forward, cross-entropy with label
/// smoothing 0.1, backward, AdamW) against the hand-assembled <see cref="TransformerClassifier"/> in Pam mode, side by
/// side in one run, at the shapes (d = 256, 4 layers, 4 heads, MLP 1024, sequence 128, batch 16).
/// The baseline is the runtime model with the generated model's regularisation (dropout 0); the runtime model as
/// <see cref="TrainingStepBenchmark"/> configures it (dropout 0.1) is a second row. The runtime step also clips the
/// global gradient norm and follows its learning-rate schedule (a few ms); the generated step does neither.
/// Mean is per token: tokens/s = 1e9 / Mean[ns]; Ratio is time relative to the baseline (speed-up = 1 / Ratio).
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*GeneratedTrainingStep*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 6, invocationCount: 1)]
public class GeneratedTrainingStepBenchmark
{
    private const int Batch = 16, Seq = 128, Tokens = Batch * Seq, Vocab = 1000, Classes = 10;
    private TransformerClassifier _runtime = null!, _runtimeDropout = null!;
    private BenchEncoder _generated = null!;
    private int[,] _tokens = null!;
    private int[] _flatTokens = null!, _labels = null!;
    private int _step;
    private readonly AdamWOptions _adam = new();

    [GlobalSetup]
    public void Setup()
    {
        TransformerClassifier Runtime(float dropout) => TransformerClassifier.Create(TrainingMode.Pam,
            new TransformerConfig(Vocab: Vocab, Dim: 256, Heads: 4, Layers: 4, Hidden: 1024, MaxSeq: Seq, Classes: Classes,
                Dropout: dropout, LabelSmoothing: 0.1f, Seed: 1),
            new TrainingOptions(LearningRate: 1e-3f, WarmupSteps: 10, TotalSteps: 1000), Batch, Seq);
        _runtime = Runtime(0f);
        _runtimeDropout = Runtime(0.1f);
        _generated = new BenchEncoder(Batch, Seq);
        _generated.InitializeParameters<PamMode>();
        var rng = new SeededRandom(2);
        _tokens = new int[Batch, Seq];
        _flatTokens = new int[Tokens];
        _labels = new int[Batch];
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Seq; t++) _flatTokens[b * Seq + t] = _tokens[b, t] = rng.NextInt(Vocab);
            _labels[b] = rng.NextInt(Classes);
        }
    }

    /// <summary>The hand-assembled transformer, dropout 0 (the generated model's regularisation).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tokens)]
    public float RuntimeStep() => _runtime.TrainStep(_tokens, _labels);

    /// <summary>The hand-assembled transformer as TrainingStepBenchmark runs it (dropout 0.1).</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float RuntimeStepDropout() => _runtimeDropout.TrainStep(_tokens, _labels);

    /// <summary>The generated, epilogue-fused model's training step.</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float GeneratedStep() => _generated.TrainStep<PamMode, PamMode>(_flatTokens, _labels, 1e-3f, ++_step, _adam, smoothing: 0.1f);
}
