using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// LayerNorm's input gradient is bit-exact to its definition with each row's two sums in index order, whether rows
/// are taken four at a time (interleaved sums) or one by one (row counts that leave one to three over), at widths
/// with vector tails and above the stack-buffer limit, accumulating into a non-zero gradient.
/// </summary>
public class LayerNormRowsTests
{
    [Theory]
    [InlineData(1, 33)]
    [InlineData(9, 33)]
    [InlineData(70, 256)]
    [InlineData(6, 257)]
    public void Backward_rows_equal_the_definition_bit_for_bit(int n, int dim)
    {
        Case<IeeeArithmetic>(n, dim);
        Case<P>(n, dim);
    }

    private static void Case<T>(int n, int dim) where T : struct, IArithmetic
    {
        var x = GradCheck.Random(n * dim, 61, 2f); var gamma = GradCheck.Random(dim, 62); var beta = GradCheck.Random(dim, 63);
        var dy = GradCheck.Random(n * dim, 64); var dx0 = GradCheck.Random(n * dim, 65);
        var y = new float[n * dim]; var mean = new float[n]; var std = new float[n];
        LayerNorm.Forward<T>(y, mean, std, x, gamma, beta, n, dim);
        var dx = (float[])dx0.Clone();
        LayerNorm.Backward<T>(dx, new float[dim], new float[dim], dy, x, gamma, mean, std, n, dim);

        var expected = (float[])dx0.Clone();
        for (int i = 0; i < n; i++)
        {
            float mu = mean[i], s = std[i], sumG = 0f, sumGy = 0f;
            for (int c = 0; c < dim; c++)
            {
                float g = T.Mul(dy[i * dim + c], gamma[c]);
                sumG += g;
                sumGy += T.Mul(g, T.Div(x[i * dim + c] - mu, s));
            }
            float meanG = T.Div(sumG, (float)dim), meanGy = T.Div(sumGy, (float)dim);
            for (int c = 0; c < dim; c++)
            {
                float g = T.Mul(dy[i * dim + c], gamma[c]);
                expected[i * dim + c] += T.Div(g - meanG - T.Mul(T.Div(x[i * dim + c] - mu, s), meanGy), s);
            }
        }
        OracleAssert.BitExact(expected, dx, $"LayerNorm dx {typeof(T).Name} n={n} dim={dim}");
    }
}
