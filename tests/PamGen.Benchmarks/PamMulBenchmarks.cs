using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace PamGen.Benchmarks;

/// <summary>
/// Span <c>Pam.Mul</c> on each SIMD path against <c>TensorPrimitives.Multiply</c> (the float32 baseline), on
/// L1-, L2- and memory-sized inputs. Inputs are log-uniform over ±20 binary orders with both signs (ordinary
/// training values: no zeros, so Pam.Mul stays on its fast path). Target: Vector512 at ≥ 0.9× the baseline's
/// throughput, i.e. a Ratio ≤ 1.11.
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter '*PamMulBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser(false)]
public class PamMulBenchmarks
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

    [Benchmark(Baseline = true, Description = "TensorPrimitives.Multiply")]
    public void TensorPrimitivesMultiply() => TensorPrimitives.Multiply(_x, _y, _destination);

    [Benchmark(Description = "Pam.Mul Vector512")]
    public void PamMulVector512() => Pam.Binary<MulOp>(_x, _y, _destination, 0, SimdPath.Vector512);

    [Benchmark(Description = "Pam.Mul Vector256")]
    public void PamMulVector256() => Pam.Binary<MulOp>(_x, _y, _destination, 0, SimdPath.Vector256);

    [Benchmark(Description = "Pam.Mul scalar")]
    public void PamMulScalar() => Pam.Binary<MulOp>(_x, _y, _destination, 0, SimdPath.Scalar);
}
