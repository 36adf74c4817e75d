using System;
using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>The four-row softmax backward (overlapping dot-product chains) equals the one-row form bit for bit.</summary>
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
