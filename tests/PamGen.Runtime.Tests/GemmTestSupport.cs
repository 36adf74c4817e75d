using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace PamGen.Tests;

/// <summary>Seeded data, slow reference GEMMs and bitwise comparison for the GEMM tests.</summary>
internal static class GemmTestSupport
{
    internal static float Get(float[] x, bool trans, int rows, int cols, int r, int c, int ld = -1)
        => trans ? x[c * (ld < 0 ? rows : ld) + r] : x[r * (ld < 0 ? cols : ld) + c];

    /// <summary>The contract as loops: C (+)= Σ_p in k order of mul(op(A)[i,p], op(B)[p,j]); fma selects FMA accumulation.</summary>
    internal static float[] Reference(GemmOp opA, GemmOp opB, int m, int n, int k, float[] a, float[] b, float[]? c0, Func<float, float, float, float> step)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float acc = c0 is null ? 0f : c0[i * n + j];
                for (int p = 0; p < k; p++)
                    acc = step(acc, Get(a, opA == GemmOp.Transpose, m, k, i, p), Get(b, opB == GemmOp.Transpose, k, n, p, j));
                c[i * n + j] = acc;
            }
        return c;
    }

    internal static float[] RefPam(GemmOp opA, GemmOp opB, int m, int n, int k, float[] a, float[] b, float[]? c0 = null, int offset = 0)
        => Reference(opA, opB, m, n, k, a, b, c0, (acc, x, y) => acc + Pam.Mul(x, y, offset));

    internal static float[] RefFma(GemmOp opA, GemmOp opB, int m, int n, int k, float[] a, float[] b, float[]? c0 = null)
        => Reference(opA, opB, m, n, k, a, b, c0, (acc, x, y) => MathF.FusedMultiplyAdd(x, y, acc));

    internal static float[] Gaussian(int count, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            x[i] = (float)(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    internal static float[] Relu(float[] x)
    {
        var y = (float[])x.Clone();
        for (int i = 0; i < y.Length; i++) if (y[i] <= 0f) y[i] = 0f;
        return y;
    }

    /// <summary>Asserts identical bits (any NaN equals any NaN), reporting the mismatch count and the first bad element.</summary>
    internal static void AssertBitEqual(float[] expected, float[] actual, int n, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int bad = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                        || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            if (!same) { bad++; if (first < 0) first = i; }
        }
        Assert.True(bad == 0, bad == 0 ? "" :
            $"{what}: {bad} of {expected.Length} elements differ; first C[{first / n},{first % n}] expected {expected[first]:R} (0x{BitConverter.SingleToInt32Bits(expected[first]):X8}) got {actual[first]:R} (0x{BitConverter.SingleToInt32Bits(actual[first]):X8})");
    }

    internal static float[] Run<TArith>(GemmOp opA, GemmOp opB, int m, int n, int k, float[] a, float[] b, float[]? c0 = null, GemmPath path = GemmPath.Auto)
        where TArith : struct, IArithmetic
    {
        var c = c0 is null ? new float[m * n] : (float[])c0.Clone();
        var saved = Gemm.ForcedPath;
        Gemm.ForcedPath = path;
        try { Gemm.Compute<TArith>(opA, opB, m, n, k, a, b, c, c0 is not null); }
        finally { Gemm.ForcedPath = saved; }
        return c;
    }

    internal static readonly GemmPath[] Paths = Available();

    private static GemmPath[] Available()
    {
        if (Vector512.IsHardwareAccelerated) return new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar };
        if (Vector256.IsHardwareAccelerated) return new[] { GemmPath.Vector256, GemmPath.Scalar };
        return new[] { GemmPath.Scalar };
    }
}
