using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace PamGen.Benchmarks;

/// <summary>
/// The other span forms that share <c>Pam.Mul</c>'s window loop, against their float32 TensorPrimitives
/// counterparts: <c>Pam.Div</c> (span ÷ span) and <c>Pam.Mul</c> / <c>Pam.Div</c> by a scalar, on the best path.
/// Inputs as in <see cref="PamMulBenchmarks"/> (log-uniform over ±20 binary orders, both signs, no zeros).
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*PamSpanOpBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser(false)]
public class PamSpanOpBenchmarks
{
    private float[] _x = Array.Empty<float>();
    private float[] _y = Array.Empty<float>();
    private float[] _destination = Array.Empty<float>();

    /// <summary>Elements per span: 1K (L1), 64K (L2), 4M (memory).</summary>
    [Params(1024, 65536, 4194304)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20231110);
        _x = new float[Length];
        _y = new float[Length];
        _destination = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            _x[i] = (random.Next(2) == 0 ? 1 : -1) * MathF.Pow(2, (float)(random.NextDouble() * 40 - 20));
            _y[i] = (random.Next(2) == 0 ? 1 : -1) * MathF.Pow(2, (float)(random.NextDouble() * 40 - 20));
        }
    }

    [Benchmark(Baseline = true, Description = "TensorPrimitives.Divide")]
    public void TensorPrimitivesDivide() => TensorPrimitives.Divide(_x, _y, _destination);

    [Benchmark(Description = "Pam.Div")]
    public void PamDiv() => Pam.Div(_x, _y, _destination);

    [Benchmark(Description = "TensorPrimitives.Multiply(x, 0.7)")]
    public void TensorPrimitivesMultiplyScalar() => TensorPrimitives.Multiply(_x, 0.7f, _destination);

    [Benchmark(Description = "Pam.Mul(x, 0.7)")]
    public void PamMulScalar() => Pam.Mul(_x, 0.7f, _destination);

    [Benchmark(Description = "Pam.Div(x, 0.7)")]
    public void PamDivScalar() => Pam.Div(_x, 0.7f, _destination);
}
