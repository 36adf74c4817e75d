using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PamMode = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Benchmarks;

/// <summary>
/// The generated, fused training step (<see cref="BenchEncoder"/>: zero-grad, forward, cross-entropy with label
/// smoothing 0.1, backward, AdamW) against the hand-assembled <see cref="TransformerClassifier"/> in Pam mode, side by
/// side in one run, at the shapes (d = 256, 4 layers, 4 heads, MLP 1024, sequence 128, batch 16).
/// The baseline is the runtime model run unfused (<see cref="TrainingOptions.FuseOperations"/> = false: every
/// operation its own pass — linear with its bias, GELU, dropout, residual add, the attention scale) with the generated
/// model's regularisation (dropout 0): issue 4's "fusion has to pay" compares the generated step with it. The runtime
/// model with its fusions (the default: GELU in the first MLP GEMM's epilogue and its backward with the bias sums;
/// bias, dropout and residual add in the epilogue of each residual branch's last GEMM; the attention scale in the score
/// GEMM's epilogue) is a second row, and as <see cref="TrainingStepBenchmark"/> configures it (dropout 0.1) a third.
/// The runtime steps also clip the global gradient norm and follow their learning-rate schedule (a few ms); the
/// generated step does neither. All runtime rows compute the same bits, fused or not.
/// Mean is per token: tokens/s = 1e9 / Mean[ns]; Ratio is time relative to the baseline (speed-up = 1 / Ratio).
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*GeneratedTrainingStep*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 6, invocationCount: 1)]
public class GeneratedTrainingStepBenchmark
{
    private const int Batch = 16, Seq = 128, Tokens = Batch * Seq, Vocab = 1000, Classes = 10;
    private TransformerClassifier _unfused = null!, _runtime = null!, _runtimeDropout = null!;
    private BenchEncoder _generated = null!;
    private int[,] _tokens = null!;
    private int[] _flatTokens = null!, _labels = null!;
    private int _step;
    private readonly AdamWOptions _adam = new();

    [GlobalSetup]
    public void Setup()
    {
        TransformerClassifier Runtime(float dropout, bool fuse) => TransformerClassifier.Create(TrainingMode.Pam,
            new TransformerConfig(Vocab: Vocab, Dim: 256, Heads: 4, Layers: 4, Hidden: 1024, MaxSeq: Seq, Classes: Classes,
                Dropout: dropout, LabelSmoothing: 0.1f, Seed: 1),
            new TrainingOptions(LearningRate: 1e-3f, WarmupSteps: 10, TotalSteps: 1000, FuseOperations: fuse), Batch, Seq);
        _unfused = Runtime(0f, fuse: false);
        _runtime = Runtime(0f, fuse: true);
        _runtimeDropout = Runtime(0.1f, fuse: true);
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

    /// <summary>The hand-assembled transformer unfused (every operation its own pass), dropout 0 (the generated model's regularisation).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tokens)]
    public float RuntimeStepUnfused() => _unfused.TrainStep(_tokens, _labels);

    /// <summary>The hand-assembled transformer with its fused passes, dropout 0.</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float RuntimeStep() => _runtime.TrainStep(_tokens, _labels);

    /// <summary>The hand-assembled transformer as TrainingStepBenchmark runs it (fused, dropout 0.1).</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float RuntimeStepDropout() => _runtimeDropout.TrainStep(_tokens, _labels);

    /// <summary>The generated, epilogue-fused model's training step.</summary>
    [Benchmark(OperationsPerInvoke = Tokens)]
    public float GeneratedStep() => _generated.TrainStep<PamMode, PamMode>(_flatTokens, _labels, 1e-3f, ++_step, _adam, smoothing: 0.1f);
}
