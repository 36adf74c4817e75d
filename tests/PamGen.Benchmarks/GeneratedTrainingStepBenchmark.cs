using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using PamMode = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Benchmarks;

/// <summary>
/// The generated, fused training step (zero-grad, forward, cross-entropy with label smoothing 0.1, backward, AdamW)
/// against the hand-assembled <see cref="TransformerClassifier"/> in Pam mode, side by side in one run, at the issue's
/// shapes (d = 256, 4 layers, 4 heads, MLP 1024, sequence 128, batch 16), in two groups with a baseline each:
/// <list type="bullet">
/// <item>dropout 0.1 — the runtime issue's benchmark model as <see cref="TrainingStepBenchmark"/> configures it, and
/// its generated twin <see cref="BenchEncoderDropout"/> (dropout on the embeddings and in every encoder block);</item>
/// <item>dropout 0 — <see cref="BenchEncoder"/> and the runtime model without dropout.</item>
/// </list>
/// In each group the baseline is the runtime model run unfused (<see cref="TrainingOptions.FuseOperations"/> = false:
/// every operation its own pass — linear with its bias, GELU, dropout, residual add, attention with its scale pass):
/// issue 4's "fusion has to pay" compares the generated step with it. The runtime model with its own fusions (GELU right
/// after fc1's GEMM, bias + dropout + residual in the epilogue of each branch's last linear layer) is a second row.
/// The runtime steps also clip the global gradient norm and follow their learning-rate schedule (a few ms); the
/// generated step does neither. All runtime rows of a group compute the same bits, fused or not.
/// Mean is per token: tokens/s = 1e9 / Mean[ns]; Ratio is time relative to the group's baseline (speed-up = 1 / Ratio).
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*GeneratedTrainingStep*'</c>.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 6, invocationCount: 1)]
public class GeneratedTrainingStepBenchmark
{
    private const int Batch = BenchModels.Batch, Seq = BenchModels.Seq, Tokens = BenchModels.Tokens;
    private const string NoDropout = "dropout 0", WithDropout = "dropout 0.1";
    private TransformerClassifier _unfused = null!, _runtime = null!, _unfusedDropout = null!, _runtimeDropout = null!;
    private BenchEncoder _generated = null!;
    private BenchEncoderDropout _generatedDropout = null!;
    private int[,] _tokens = null!;
    private int[] _flatTokens = null!, _labels = null!;
    private int _step;
    private readonly AdamWOptions _adam = new();

    [GlobalSetup]
    public void Setup()
    {
        _unfused = BenchModels.Runtime(TrainingMode.Pam, 0f, fuse: false);
        _runtime = BenchModels.Runtime(TrainingMode.Pam, 0f, fuse: true);
        _unfusedDropout = BenchModels.Runtime(TrainingMode.Pam, 0.1f, fuse: false);
        _runtimeDropout = BenchModels.Runtime(TrainingMode.Pam, 0.1f, fuse: true);
        _generated = new BenchEncoder(Batch, Seq);
        _generated.InitializeParameters<PamMode>();
        _generatedDropout = new BenchEncoderDropout(Batch, Seq);
        _generatedDropout.InitializeParameters<PamMode>();
        (_tokens, _flatTokens, _labels) = BenchModels.Data();
    }

    /// <summary>The hand-assembled transformer unfused (every operation its own pass), dropout 0 (as <see cref="BenchEncoder"/>).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tokens), BenchmarkCategory(NoDropout)]
    public float RuntimeStepUnfused() => _unfused.TrainStep(_tokens, _labels);

    /// <summary>The hand-assembled transformer with its fused passes, dropout 0.</summary>
    [Benchmark(OperationsPerInvoke = Tokens), BenchmarkCategory(NoDropout)]
    public float RuntimeStep() => _runtime.TrainStep(_tokens, _labels);

    /// <summary>The generated, epilogue-fused model's training step, dropout 0.</summary>
    [Benchmark(OperationsPerInvoke = Tokens), BenchmarkCategory(NoDropout)]
    public float GeneratedStep() => _generated.TrainStep<PamMode, PamMode>(_flatTokens, _labels, 1e-3f, ++_step, _adam, smoothing: 0.1f);

    /// <summary>The runtime issue's benchmark model (dropout 0.1) unfused.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tokens), BenchmarkCategory(WithDropout)]
    public float RuntimeStepUnfusedDropout() => _unfusedDropout.TrainStep(_tokens, _labels);

    /// <summary>The runtime issue's benchmark model (dropout 0.1) with its fused passes, as TrainingStepBenchmark runs it.</summary>
    [Benchmark(OperationsPerInvoke = Tokens), BenchmarkCategory(WithDropout)]
    public float RuntimeStepDropout() => _runtimeDropout.TrainStep(_tokens, _labels);

    /// <summary>The generated twin of the runtime issue's benchmark model (dropout 0.1).</summary>
    [Benchmark(OperationsPerInvoke = Tokens), BenchmarkCategory(WithDropout)]
    public float GeneratedStepDropout() => _generatedDropout.TrainStep<PamMode, PamMode>(_flatTokens, _labels, 1e-3f, ++_step, _adam, smoothing: 0.1f);
}
