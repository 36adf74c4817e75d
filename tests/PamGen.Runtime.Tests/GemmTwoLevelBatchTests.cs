using System;
using Xunit;
using static PamGen.Tests.GemmTestSupport;

namespace PamGen.Tests;

/// <summary>
/// The two-level batched GEMM (attention's batch × heads in one call) equals the plain GEMM of every
/// (outer, inner) item gathered out of its interleaved layout, bit for bit, and leaves everything else untouched.
/// </summary>
public class GemmTwoLevelBatchTests
{
    [Theory]
    [InlineData(GemmOp.None, GemmOp.Transpose, false)]   // scores Q·Kᵀ
    [InlineData(GemmOp.None, GemmOp.None, false)]        // P·V
    [InlineData(GemmOp.Transpose, GemmOp.None, true)]    // dV += Pᵀ·dO, accumulating
    public void Every_item_equals_its_own_product(GemmOp opA, GemmOp opB, bool accumulate)
    {
        // [outer, rows, inner·width] activations: item (o, h) is rows of o, columns h·width…h·width+width−1.
        const int outer = 3, inner = 4, m = 13, n = 21, k = 9;
        int aRows = opA == GemmOp.None ? m : k, aCols = opA == GemmOp.None ? k : m;
        int bRows = opB == GemmOp.None ? k : n, bCols = opB == GemmOp.None ? n : k;
        int lda = inner * aCols, ldb = inner * bCols, ldc = inner * n + 2;   // C rows carry two untouched columns
        var a = Relu(Gaussian(outer * aRows * lda, 81));
        var b = Gaussian(outer * bRows * ldb, 82);
        var c = Gaussian(outer * m * ldc, 83);
        var before = (float[])c.Clone();
        Gemm.ComputeBatched2<PamArithmetic<PamDefaults>, NoEpilogue>(opA, opB, m, n, k,
            a, lda, (long)aRows * lda, aCols, b, ldb, (long)bRows * ldb, bCols, c, ldc, (long)m * ldc, n, outer, inner, default, accumulate);
        var touched = new bool[c.Length];
        for (int o = 0; o < outer; o++)
            for (int h = 0; h < inner; h++)
            {
                var at = Gather(a, o * aRows * lda + h * aCols, aRows, aCols, lda);
                var bt = Gather(b, o * bRows * ldb + h * bCols, bRows, bCols, ldb);
                int c0 = o * m * ldc + h * n;
                var start = accumulate ? Gather(before, c0, m, n, ldc) : null;
                var expected = RefPam(opA, opB, m, n, k, at, bt, start);
                AssertBitEqual(expected, Gather(c, c0, m, n, ldc), n, $"item ({o}, {h})");
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) touched[c0 + i * ldc + j] = true;
            }
        for (int g = 0; g < c.Length; g++)
            if (!touched[g]) Assert.True(before[g].Equals(c[g]), $"C[{g}] outside every item changed from {before[g]} to {c[g]}");
    }

    [Fact]
    public void Too_short_operands_name_the_operand()   // item (1, 1) of A ends at 8 + 2 + 4 + 2 = 16 > 15
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.ComputeBatched2<IeeeArithmetic, NoEpilogue>(GemmOp.None, GemmOp.None, 2, 2, 2,
            new float[15], 4, 8, 2, new float[100], 2, 4, 0, new float[100], 2, 4, 0, 2, 2, default));
        Assert.Equal("a", ex.ParamName);
    }

    private static float[] Gather(float[] x, int start, int rows, int cols, int ld)
    {
        var r = new float[rows * cols];
        for (int i = 0; i < rows; i++) Array.Copy(x, start + i * ld, r, i * cols, cols);
        return r;
    }
}
