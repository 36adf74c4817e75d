using System;
using Xunit;
using static PamGen.Tests.GemmTestSupport;

namespace PamGen.Tests;

/// <summary>
/// Transposed B packed in 16×16 register transposes (k block and panel width multiples of 16), with zeros, −0,
/// subnormals and out-of-range values in B deciding the kernel: bit-exact against the oracle on every path.
/// </summary>
public class GemmTransposedBTests
{
    [Theory]
    [InlineData(7, 64, 16)]
    [InlineData(13, 80, 64)]
    [InlineData(30, 128, 1024)]
    [InlineData(6, 48, 32)]
    public void Transposed_B_in_whole_16x16_blocks_is_bit_exact(int m, int n, int k)
    {
        var a = Gaussian(m * k, m + 2 * k);
        var b = Gaussian(k * n, n + k, 0.3f);
        var rng = new Random(m + n + k);
        float[] specials = { 0f, -0f, 1e-40f, -1e-41f, 3e38f, 1e-37f };   // the last two leave the normal range: general kernel
        for (int t = 0; t < 6; t++) b[rng.Next(b.Length)] = specials[t];
        var expected = RefPam(GemmOp.None, GemmOp.Transpose, m, n, k, a, b);
        var expectedIeee = RefFma(GemmOp.None, GemmOp.Transpose, m, n, k, a, b);
        foreach (var path in Paths)
        {
            AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b, path: path), n, $"PAM {m}x{n}x{k} {path}");
            AssertBitEqual(expectedIeee, Run<IeeeArithmetic>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b, path: path), n, $"Ieee {m}x{n}x{k} {path}");
        }
        // All normal, no zeros: the dense kernel, which depends on every packed value and on the statistics.
        var dense = Gaussian(k * n, n + k + 1, 0.3f);
        for (int i = 0; i < dense.Length; i++) if (dense[i] == 0f) dense[i] = 1f;
        AssertBitEqual(RefPam(GemmOp.None, GemmOp.Transpose, m, n, k, a, dense), Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.Transpose, m, n, k, a, dense), n, $"PAM dense {m}x{n}x{k}");
    }
}
