using System;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace PamGen.Benchmarks;

/// <summary>
/// GEMM against OpenBLAS <c>cblas_sgemm</c> (Debian 0.3.21, AVX-512 "SkylakeX" kernels forced through
/// <c>OPENBLAS_CORETYPE</c> in the benchmark process's own environment), same thread count, default runtime
/// settings. A = ReLU of a Gaussian (half exact zeros, like activations), B = Gaussian weights.
/// Shapes are m×k×n. Every result (OpenBLAS's included) is checked in setup against a float64 reference on
/// sampled elements, and PAM bit for bit against the k-order sum of <see cref="Pam.Mul(float, float)"/>.
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*GemmBenchmarks*'</c>.
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] a = Array.Empty<float>(), b = Array.Empty<float>(), c = Array.Empty<float>();
    private int m, k, n;

    /// <summary>m×k×n.</summary>
    [Params("256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "4096x256x1024", "4096x1024x256")]
    public string Shape { get; set; } = "256x256x256";

    [GlobalSetup]
    public void Setup()
    {
        (m, k, n) = Parse(Shape);
        var rng = new Random(1234);
        a = new float[m * k]; b = new float[k * n]; c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = MathF.Max(0f, Normal(rng));
        float scale = 1f / MathF.Sqrt(k);
        for (int i = 0; i < b.Length; i++) b[i] = Normal(rng) * scale;

        GemmOpenBlas.Load();
        int threads = Environment.ProcessorCount;
        Gemm.MaxThreads = threads;
        GemmOpenBlas.SetThreads(threads);
        Console.WriteLine($"// OpenBLAS {GemmOpenBlas.Path}, core {GemmOpenBlas.CoreName} (OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE")}), {threads} threads for both");

        GemmOpenBlas.MatMul(a, b, c, m, k, n);
        CheckAgainstFloat64("OpenBLAS");
        Ieee.MatMul(a, b, c, m, k, n);
        CheckAgainstFloat64("Ieee");
        Pam.MatMul(a, b, c, m, k, n);
        CheckPamBits();
    }

    [Benchmark(Baseline = true, Description = "OpenBLAS sgemm")]
    public void OpenBlas() => GemmOpenBlas.MatMul(a, b, c, m, k, n);

    [Benchmark(Description = "Ieee GEMM")]
    public void IeeeGemm() => Ieee.MatMul(a, b, c, m, k, n);

    [Benchmark(Description = "Pam GEMM")]
    public void PamGemm() => Pam.MatMul(a, b, c, m, k, n);

    internal static (int M, int K, int N) Parse(string shape)
    {
        var parts = shape.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static float Normal(Random rng)
        => (float)(Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private void CheckAgainstFloat64(string who)
    {
        var rng = new Random(99);
        for (int s = 0; s < 512; s++)
        {
            int i = rng.Next(m), j = rng.Next(n);
            double sum = 0, abs = 0;
            for (int p = 0; p < k; p++) { double t = (double)a[i * k + p] * b[p * n + j]; sum += t; abs += Math.Abs(t); }
            double err = Math.Abs(c[i * n + j] - sum);
            if (err > 1e-5 * abs + 1e-30)
                throw new InvalidOperationException($"{who} C[{i},{j}] = {c[i * n + j]:R}, float64 says {sum:R} (|error| {err:E2} > 1e-5·Σ|terms| = {1e-5 * abs:E2}).");
        }
    }

    private void CheckPamBits()
    {
        var rng = new Random(98);
        for (int s = 0; s < 512; s++)
        {
            int i = rng.Next(m), j = rng.Next(n);
            float acc = 0f;
            for (int p = 0; p < k; p++) acc += Pam.Mul(a[i * k + p], b[p * n + j]);
            if (BitConverter.SingleToInt32Bits(acc) != BitConverter.SingleToInt32Bits(c[i * n + j]))
                throw new InvalidOperationException($"Pam GEMM C[{i},{j}] = {c[i * n + j]:R}, the k-order sum of Pam.Mul is {acc:R}.");
        }
    }
}

/// <summary>One short job (the machine is shared); OpenBLAS's AVX-512 kernels chosen in the child process's environment.</summary>
public class GemmBenchmarkConfig : ManualConfig
{
    public GemmBenchmarkConfig()
    {
        AddJob(Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("OPENBLAS_CORETYPE", "SkylakeX")).WithId("ShortRun-SkylakeX"));
        AddColumn(new GflopsColumn());
    }
}

/// <summary>GFLOP/s = 2·m·k·n / mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "2·m·k·n floating-point operations per second, in billions";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null) return "NA";
        var (m, k, n) = GemmBenchmarks.Parse((string)benchmarkCase.Parameters["Shape"]);
        return (2.0 * m * k * n / stats.Mean).ToString("F0", CultureInfo.InvariantCulture);
    }
}
