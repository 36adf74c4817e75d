using System;
using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>The four-row softmax forward and backward (overlapping reduction chains) equal the one-row forms bit for bit.</summary>
public class SoftmaxRowsTests
{
    [Theory]
    [InlineData(37, 0.125f)]
    [InlineData(128, 1f)]
    public void Four_rows_equal_one_row_at_a_time(int n, float scale)
    {
        Same<IeeeArithmetic>(n, scale);
        Same<P>(n, scale);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(128)]
    public void Four_unmasked_rows_forward_equal_one_row_at_a_time(int n)
    {
        SameForward<IeeeArithmetic>(n);
        SameForward<P>(n);
    }

    private static void SameForward<TElem>(int n) where TElem : struct, IArithmetic
    {
        var x = GradCheck.Random(4 * n, 92, 8f);
        x[0] = float.NaN;                      // a NaN row stays NaN as in the one-row scan
        if (n > 1) x[2 * n + n - 1] = 1e30f;   // a huge last element: every other entry underflows
        var expected = (float[])x.Clone();
        for (int r = 0; r < 4; r++) Softmax.ForwardRowInPlace<TElem>(expected.AsSpan(r * n, n), n, default);
        var actual = (float[])x.Clone();
        Softmax.ForwardRowsInPlace4<TElem>(actual, n);
        OracleAssert.BitExact(expected, actual, $"{typeof(TElem).Name} forward n={n}");
    }

    private static void Same<TElem>(int n, float scale) where TElem : struct, IArithmetic
    {
        var y = GradCheck.Random(4 * n, 90); var dy = GradCheck.Random(4 * n, 91);
        var expected = (float[])dy.Clone();
        for (int r = 0; r < 4; r++)
        {
            var row = expected.AsSpan(r * n, n);
            Softmax.BackwardRow<TElem>(row, row, y.AsSpan(r * n, n), scale, accumulate: false);
        }
        var actual = (float[])dy.Clone();
        Softmax.BackwardRowsInPlace4<TElem>(actual, y, n, scale);
        OracleAssert.BitExact(expected, actual, $"{typeof(TElem).Name} n={n} scale={scale}");
    }
}
