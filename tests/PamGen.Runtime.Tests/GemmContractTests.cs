using Xunit;

namespace PamGen.Tests;

public class GemmContractTests
{
    [Fact]
    public void Ieee_gemm_matches_hand_computed_2x2()
    {
        float[] a = { 1, 2, 3, 4 };
        float[] b = { 5, 6, 7, 8 };
        var c = new float[4];
        Gemm.Compute<IeeeArithmetic>(GemmOp.None, GemmOp.None, 2, 2, 2, a, b, c);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c);
    }
}
