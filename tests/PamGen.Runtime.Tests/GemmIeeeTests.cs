using System;
using Xunit;
using static PamGen.Tests.GemmTestSupport;

namespace PamGen.Tests;

/// <summary>Ieee GEMM: the defined FMA k-order accumulation on every path, and close to a float64 product.</summary>
public class GemmIeeeTests
{
    [Theory]
    [MemberData(nameof(GemmPamTests.Shapes), MemberType = typeof(GemmPamTests))]
    public void Every_path_equals_the_fma_definition_and_float64_within_tolerance(GemmOp opA, GemmOp opB, int m, int n, int k)
    {
        var a = Relu(Gaussian(m * k, 41 + m));
        var b = Gaussian(k * n, 42 + k);
        var expected = RefFma(opA, opB, m, n, k, a, b);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<IeeeArithmetic>(opA, opB, m, n, k, a, b, path: path), n, $"{opA}/{opB} {m}x{n}x{k} {path}");

        // Against float64: |C − Σ a·b| ≤ 1e-5 · Σ|a·b| (+ a tiny floor for all-zero rows).
        var c = Run<IeeeArithmetic>(opA, opB, m, n, k, a, b);
        double worst = 0; int at = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double t = (double)Get(a, opA == GemmOp.Transpose, m, k, i, p) * Get(b, opB == GemmOp.Transpose, k, n, p, j);
                    sum += t; abs += Math.Abs(t);
                }
                double rel = Math.Abs(c[i * n + j] - sum) / (abs + 1e-30);
                if (rel > worst) { worst = rel; at = i * n + j; }
            }
        Assert.True(worst <= 1e-5, $"worst relative error {worst:E3} at C[{at / n},{at % n}]");
    }

    [Fact]
    public void Accumulate_adds_to_existing_C()
    {
        const int m = 8, n = 70, k = 530;
        var a = Gaussian(m * k, 51); var b = Gaussian(k * n, 52); var c0 = Gaussian(m * n, 53);
        var expected = RefFma(GemmOp.Transpose, GemmOp.None, m, n, k, a, b, c0);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<IeeeArithmetic>(GemmOp.Transpose, GemmOp.None, m, n, k, a, b, c0, path), n, $"{path}");
    }

    [Fact]
    public void Other_modes_use_the_reference_sum()
    {
        const int m = 5, n = 9, k = 11;
        var a = Gaussian(m * k, 55); var b = Gaussian(k * n, 56);
        var expected = Reference(GemmOp.None, GemmOp.None, m, n, k, a, b, null, (acc, x, y) => acc + x * y);
        AssertBitEqual(expected, Run<PlainMulArithmetic>(GemmOp.None, GemmOp.None, m, n, k, a, b), n, "reference mode");
    }

    [Fact]
    public void Empty_sums_give_zero_or_keep_C_and_still_run_the_epilogue()
    {
        var c = new[] { 1f, -2f, 3f, -4f, 5f, -6f };
        Gemm.Compute<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, 2, 3, 0, Array.Empty<float>(), Array.Empty<float>(), c, accumulate: true);
        Assert.Equal(new[] { 1f, -2f, 3f, -4f, 5f, -6f }, c);
        Gemm.Compute<IeeeArithmetic, BiasEpilogue>(GemmOp.None, GemmOp.None, 2, 3, 0, Array.Empty<float>(), Array.Empty<float>(), c, new BiasEpilogue(new[] { 1f, 2f, 3f }));
        Assert.Equal(new[] { 1f, 2f, 3f, 1f, 2f, 3f }, c);
        Gemm.Compute<IeeeArithmetic>(GemmOp.None, GemmOp.None, 0, 3, 4, Array.Empty<float>(), new float[12], Array.Empty<float>());
    }

    [Fact]
    public void Shape_errors_name_both_shapes()
    {
        var a = new float[6]; var b = new float[12]; var c = new float[8];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Compute<IeeeArithmetic>(GemmOp.None, GemmOp.None, 2, 4, 4, a, b, c));
        Assert.Contains("2×4", ex.Message);
        Assert.Contains("4×4", ex.Message);
        Assert.Equal("a", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Compute<IeeeArithmetic>(GemmOp.None, GemmOp.None, 2, 4, 3, a, b, new float[7]));
        Assert.Equal("c", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Compute<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.Transpose, 2, 5, 3, a, b, new float[10]));
        Assert.Contains("3×5", ex.Message);
        Assert.Equal("b", ex.ParamName);
    }
}

/// <summary>A mode with a real multiply that is not <see cref="IeeeArithmetic"/>: must take the reference loop (no FMA).</summary>
internal readonly struct PlainMulArithmetic : IArithmetic
{
    public static bool IsMultiplicationFree => false;
    public static int PamOffsetBits => 0;
    public static float Mul(float a, float b) => a * b;
    public static float Div(float a, float b) => a / b;
    public static float Exp2(float x) => throw new NotSupportedException();
    public static float Log2(float x) => throw new NotSupportedException();
    public static float Exp(float x) => throw new NotSupportedException();
    public static float Log(float x) => throw new NotSupportedException();
    public static float Sqrt(float x) => throw new NotSupportedException();
    public static float Pow(float x, float y) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector256<float> Mul(System.Runtime.Intrinsics.Vector256<float> a, System.Runtime.Intrinsics.Vector256<float> b) => a * b;
    public static System.Runtime.Intrinsics.Vector512<float> Mul(System.Runtime.Intrinsics.Vector512<float> a, System.Runtime.Intrinsics.Vector512<float> b) => a * b;
    public static System.Runtime.Intrinsics.Vector256<float> Div(System.Runtime.Intrinsics.Vector256<float> a, System.Runtime.Intrinsics.Vector256<float> b) => a / b;
    public static System.Runtime.Intrinsics.Vector512<float> Div(System.Runtime.Intrinsics.Vector512<float> a, System.Runtime.Intrinsics.Vector512<float> b) => a / b;
    public static System.Runtime.Intrinsics.Vector256<float> Exp2(System.Runtime.Intrinsics.Vector256<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector512<float> Exp2(System.Runtime.Intrinsics.Vector512<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector256<float> Log2(System.Runtime.Intrinsics.Vector256<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector512<float> Log2(System.Runtime.Intrinsics.Vector512<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector256<float> Exp(System.Runtime.Intrinsics.Vector256<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector512<float> Exp(System.Runtime.Intrinsics.Vector512<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector256<float> Log(System.Runtime.Intrinsics.Vector256<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector512<float> Log(System.Runtime.Intrinsics.Vector512<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector256<float> Sqrt(System.Runtime.Intrinsics.Vector256<float> x) => throw new NotSupportedException();
    public static System.Runtime.Intrinsics.Vector512<float> Sqrt(System.Runtime.Intrinsics.Vector512<float> x) => throw new NotSupportedException();
    public static float MulGradA(float g, float a, float b) => throw new NotSupportedException();
    public static float DivGradA(float g, float a, float b) => throw new NotSupportedException();
    public static float DivGradB(float g, float a, float b) => throw new NotSupportedException();
    public static float Exp2Grad(float g, float x) => throw new NotSupportedException();
    public static float Log2Grad(float g, float x) => throw new NotSupportedException();
}
