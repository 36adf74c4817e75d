using System;
using Xunit;

namespace PamGen.Tests;

/// <summary>Hand-computed PAM results (from the closed forms of NUMERICS.md §1) and the mode's plumbing.</summary>
public class PamWorkedExampleTests
{
    [Theory]
    [InlineData(1.5f, 1.5f, 2f)]        // 2^0(1 + .5 + .5) carries: 2^1(.5 + .5) = 2, true 2.25 (worst case, −1/9)
    [InlineData(3f, 7f, 20f)]           // 2^1·1.5 × 2^2·1.75: 2^4(.5 + .75) = 20, true 21
    [InlineData(1.25f, 1.25f, 1.5f)]    // 2^0(1 + .25 + .25), true 1.5625
    [InlineData(-2f, 3f, -6f)]          // a power of two is exact
    [InlineData(0.5f, -0.75f, -0.375f)] // both exact
    [InlineData(-1.5f, -1.5f, 2f)]
    public void Mul_matches_hand_computed_closed_form(float a, float b, float expected) =>
        Assert.Equal(expected, Pam.Mul(a, b));

    [Theory]
    [InlineData(2f, 1.5f, 1.5f)]        // 2^(1−0−1)(2 + 0 − .5) = 1.5, true 1.333…
    [InlineData(20f, 7f, 3f)]           // 2^4·1.25 / 2^2·1.75, M(a) < M(b): 2^(4−2−1)(2 + .25 − .75) = 3
    [InlineData(6f, -2f, -3f)]          // dividing by a power of two is exact
    [InlineData(1f, 3f, 0.375f)]        // 2^(0−1−1)(2 + 0 − .5) = 0.375, true 0.333…
    public void Div_matches_hand_computed_closed_form(float a, float b, float expected) =>
        Assert.Equal(expected, Pam.Div(a, b));

    [Fact]
    public void Paper_offset_is_463051_bits()
    {
        Assert.Equal(463051, PamOffset.Paper.Bits);
        Assert.Equal(PaperOffset.Bits, PamOffset.Paper.Bits);
        Assert.Equal(1.0552f, PamOffset.Paper.Constant);
        Assert.Equal(0, PamOffset.None.Bits);
    }

    [Fact]
    public void Offset_adds_k_to_the_product_bits()
    {
        int plain = BitConverter.SingleToInt32Bits(Pam.Mul(3f, 7f));
        Assert.Equal(plain + 463051, BitConverter.SingleToInt32Bits(Pam.Mul(3f, 7f, PamOffset.Paper)));
        int quotient = BitConverter.SingleToInt32Bits(Pam.Div(3f, 7f));
        Assert.Equal(quotient - 463051, BitConverter.SingleToInt32Bits(Pam.Div(3f, 7f, PamOffset.Paper)));
    }

    [Theory]
    [InlineData(0.4f)]
    [InlineData(2.5f)]
    [InlineData(-1f)]
    public void Offset_constant_outside_half_to_two_is_rejected(float c)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PamOffset.FromConstant(c));
        Assert.Equal("c", e.ParamName);
    }

    [Fact]
    public void Exp2_and_Log2_are_piecewise_linear_between_powers_of_two()
    {
        Assert.Equal(1f, Pam.Exp2(0f));
        Assert.Equal(1.5f, Pam.Exp2(0.5f));     // 2^0(1 + .5)
        Assert.Equal(6f, Pam.Exp2(2.5f));       // 2^2(1 + .5)
        Assert.Equal(0.75f, Pam.Exp2(-0.5f));   // 2^-1(1 + .5)
        Assert.Equal(0.5f, Pam.Log2(1.5f));
        Assert.Equal(2.5f, Pam.Log2(6f));
        Assert.Equal(2.5f, Pam.Log2(-6f));      // sign ignored
        Assert.Equal(-0.5f, Pam.Log2(0.75f));
        Assert.Equal(3.125f, Pam.Sqrt(9f));     // Log2(9) = 3.125, halved 1.5625, Exp2 = 2^1(1 + .5625)
        Assert.Equal(4f, Pam.Sqrt(16f));        // even powers of two are exact
    }

    [Fact]
    public void Mode_forwards_to_the_oracle_with_its_options()
    {
        Assert.Equal(Pam.Mul(3f, 7f), PamArithmetic<PamDefaults>.Mul(3f, 7f));
        Assert.Equal(Pam.Mul(3f, 7f, PamOffset.Paper), PamArithmetic<PaperOffset>.Mul(3f, 7f));
        Assert.Equal(PaperOffset.Bits, PamArithmetic<PaperOffset>.PamOffsetBits);
        Assert.True(PamArithmetic<PamDefaults>.IsMultiplicationFree);
        Assert.Equal(Pam.Mul(0.3f, 7f), PamArithmetic<PamDefaults>.MulGradA(0.3f, 5f, 7f));
        Assert.Equal(Pam.MulGradAExact(0.3f, 5f, 7f), PamArithmetic<ExactBackward>.MulGradA(0.3f, 5f, 7f));
    }
}
