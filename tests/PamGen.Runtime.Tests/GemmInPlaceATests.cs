using System;
using Xunit;
using static PamGen.Tests.GemmTestSupport;

namespace PamGen.Tests;

/// <summary>
/// The kernels read a non-transposed A where it lies (strided rows, no copy) after a statistics pass, and load it only
/// when a block holds a subnormal. Padding columns of A hold NaN, so a read outside op(A) would show in C.
/// </summary>
public class GemmInPlaceATests
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        // m, n, k, subnormal position (−1: none; otherwise a row-major index into op(A))
        { 7, 70, 33, -1 }, { 13, 64, 600, -1 }, { 13, 64, 600, 5 * 600 + 550 }, { 130, 65, 1100, 77 * 1100 + 1099 },
        { 6, 129, 17, -1 }, { 125, 66, 100, 124 * 100 + 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Strided_A_with_zeros_is_bit_exact_on_every_path(int m, int n, int k, int subnormalAt)
    {
        int lda = k + 5;
        var a = Gaussian(m * k, m + k);
        var rng = new Random(m * 7 + k);
        // A few signed zeros: too few for the zero-skipping kernel, enough for the masked one.
        for (int t = 0; t < m * k / 40; t++) a[rng.Next(a.Length)] = rng.Next(2) == 0 ? 0f : -0f;
        if (subnormalAt >= 0) a[subnormalAt] = BitConverter.Int32BitsToSingle(unchecked((int)0x80000123));
        var stored = new float[(m - 1) * lda + k];
        Array.Fill(stored, float.NaN);
        for (int i = 0; i < m; i++) Array.Copy(a, i * k, stored, i * lda, k);
        var b = Gaussian(k * n, n + 3, 0.5f);
        var c0 = Gaussian(m * n, 9);
        for (int i = 0; i < c0.Length; i += 5) c0[i] = -0f;   // accumulating into −0 keeps the zero products' signs

        foreach (bool accumulate in new[] { false, true })
        {
            var expected = RefPam(GemmOp.None, GemmOp.None, m, n, k, a, b, accumulate ? c0 : null);
            var expectedIeee = RefFma(GemmOp.None, GemmOp.None, m, n, k, a, b, accumulate ? c0 : null);
            foreach (var path in Paths)
            {
                AssertBitEqual(expected, RunStrided<PamArithmetic<PamDefaults>>(m, n, k, stored, lda, b, accumulate ? c0 : null, path), n,
                    $"PAM {m}x{n}x{k} accumulate={accumulate} {path}");
                AssertBitEqual(expectedIeee, RunStrided<IeeeArithmetic>(m, n, k, stored, lda, b, accumulate ? c0 : null, path), n,
                    $"Ieee {m}x{n}x{k} accumulate={accumulate} {path}");
            }
        }
    }

    private static float[] RunStrided<TArith>(int m, int n, int k, float[] a, int lda, float[] b, float[]? c0, GemmPath path)
        where TArith : struct, IArithmetic
    {
        var c = c0 is null ? new float[m * n] : (float[])c0.Clone();
        var saved = Gemm.ForcedPath;
        Gemm.ForcedPath = path;
        try { Gemm.ComputeBatched<TArith, NoEpilogue>(GemmOp.None, GemmOp.None, m, n, k, a, lda, 0, b, n, 0, c, n, 0, 1, default, c0 is not null); }
        finally { Gemm.ForcedPath = saved; }
        return c;
    }
}
