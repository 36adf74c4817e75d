using System;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The exact derivatives of NUMERICS.md §2 equal their closed forms (evaluated in double from exponents and
/// mantissas) and agree with central finite differences of the PAM functions away from kinks; the approximate
/// (default) rules are the paper's PAM expressions.
/// </summary>
public class PamDerivativeTests
{
    private const int Count = 100_000;
    private static readonly PamOffset[] Offsets = { PamOffset.None, PamOffset.Paper };

    // ---------------------------------------------------------------- closed forms

    [Fact]
    public void Exact_derivatives_equal_their_closed_forms()
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        foreach (PamOffset offset in Offsets)
            for (int n = 0; n < Count; n++)
            {
                float g = TestInputs.LogUniform(random, 20), a = TestInputs.LogUniform(random, 30), b = TestInputs.LogUniform(random, 30);
                var (ea, ma) = ClosedFormReference.Decompose(a);
                var (eb, _) = ClosedFormReference.Decompose(b);
                // b' = PAM(b, c): the operand the offset shifts (b itself without offset).
                float bOffset = offset.Bits == 0 ? b : ClosedFormReference.Mul(Math.Abs(b), offset.Constant);
                var (ebo, mbo) = ClosedFormReference.Decompose(bOffset);

                double mulGrad = g * Math.Sign(b) * Math.ScaleB(1.0, ebo + (ma + mbo >= 1 ? 1 : 0));
                double divGradA = g * Math.Sign(b) * Math.ScaleB(1.0, -ebo - (ma < mbo ? 1 : 0));
                double divGradB = -g * Math.Sign(a) * Math.ScaleB(1.0, ea - ebo - eb - (ma < mbo ? 1 : 0));
                float x = (float)(random.NextDouble() * 200 - 100);
                double exp2Grad = g * Math.ScaleB(1.0, (int)Math.Floor(x));
                double log2Grad = g * Math.Sign(a) * Math.ScaleB(1.0, -ea);
                // Messages are built only on failure: this loop runs 200 000 times.
                if (Pam.MulGradAExact(g, a, b, offset) != (float)mulGrad || Pam.DivGradAExact(g, a, b, offset) != (float)divGradA
                    || Pam.DivGradBExact(g, a, b, offset) != (float)divGradB || Pam.Exp2Grad(g, x) != (float)exp2Grad || Pam.Log2Grad(g, a) != (float)log2Grad)
                    Assert.Fail($"seed {seed}, offset {offset}, g = {g:R}, a = {a:R}, b = {b:R}, x = {x:R}: " +
                        $"MulGradAExact {Pam.MulGradAExact(g, a, b, offset):R} vs {mulGrad:R}, DivGradAExact {Pam.DivGradAExact(g, a, b, offset):R} vs {divGradA:R}, " +
                        $"DivGradBExact {Pam.DivGradBExact(g, a, b, offset):R} vs {divGradB:R}, Exp2Grad {Pam.Exp2Grad(g, x):R} vs {exp2Grad:R}, Log2Grad {Pam.Log2Grad(g, a):R} vs {log2Grad:R}");
            }
    }

    // ---------------------------------------------------------------- central finite differences

    [Fact]
    public void Mul_exact_derivative_matches_central_differences_away_from_kinks()
    {
        foreach (PamOffset offset in Offsets)
            CheckFiniteDifferences($"Mul ∂/∂a {offset}", 1e-9, 256,
                (a, b) => Pam.Mul(a, b, offset), (a, b) => Pam.MulGradAExact(1f, a, b, offset),
                (a, b) => MulPiece(a, b, offset));
    }

    [Fact]
    public void Div_exact_derivatives_match_central_differences_away_from_kinks()
    {
        foreach (PamOffset offset in Offsets)
        {
            CheckFiniteDifferences($"Div ∂/∂a {offset}", 1e-9, 256,
                (a, b) => Pam.Div(a, b, offset), (a, b) => Pam.DivGradAExact(1f, a, b, offset),
                (a, b) => DivPiece(a, b, offset));
            // ∂/∂b: swap roles so that the perturbed variable comes first.
            CheckFiniteDifferences($"Div ∂/∂b {offset}", 1e-9, 256,
                (b, a) => Pam.Div(a, b, offset), (b, a) => Pam.DivGradBExact(1f, a, b, offset),
                (b, a) => DivPiece(a, b, offset));
        }
    }

    [Fact]
    public void Exp2_and_Log2_derivatives_match_central_differences_away_from_kinks()
    {
        // Exp2 rounds x·2^23 only for |x| < 1, so test 1 ≤ |x| < 8 where it is exact. Log2 rounds its result to
        // 24 significant bits, so the step is wide and the tolerance looser.
        CheckFiniteDifferences("Exp2", 1e-9, 1 << 10,
            (x, _) => Pam.Exp2(x), (x, _) => Pam.Exp2Grad(1f, x), (x, _) => (long)Math.Floor(x),
            random => (random.Next(2) == 0 ? 1 : -1) * (float)(1 + 7 * random.NextDouble()));
        CheckFiniteDifferences("Log2", 1e-3, 1 << 18,
            (x, _) => Pam.Log2(x), (x, _) => Pam.Log2Grad(1f, x), (x, _) => ClosedFormReference.Decompose(x).E);
    }

    [Fact]
    public void Approximate_derivatives_are_the_papers_pam_expressions()
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        for (int n = 0; n < 10_000; n++)
        {
            float g = TestInputs.LogUniform(random, 20), a = TestInputs.LogUniform(random, 20), b = TestInputs.LogUniform(random, 20);
            Assert.Equal(Pam.Mul(g, b), Pam.MulGradA(g, a, b));
            Assert.Equal(Pam.Div(g, b), Pam.DivGradA(g, a, b));
            Assert.Equal(-Pam.Div(Pam.Mul(a, g), Pam.Mul(b, b)), Pam.DivGradB(g, a, b));
            Assert.Equal(Pam.Mul(g, b, PamOffset.Paper), Pam.MulGradA(g, a, b, PamOffset.Paper));
            Assert.Equal(-Pam.Div(Pam.Mul(a, g, PamOffset.Paper), Pam.Mul(b, b, PamOffset.Paper), PamOffset.Paper), Pam.DivGradB(g, a, b, PamOffset.Paper));
            Assert.Equal(Pam.MulGradA(g, a, b), PamArithmetic<PamDefaults>.MulGradA(g, a, b));
            Assert.Equal(Pam.DivGradBExact(g, a, b, PamOffset.Paper), PamArithmetic<PaperOffsetExactBackward>.DivGradB(g, a, b));
        }
    }

    [Fact]
    public void Exact_derivative_edge_cases()
    {
        Assert.Equal(0f, Pam.MulGradAExact(1f, 3f, 0f));                 // Mul(a, 0) is constant
        Assert.Equal(float.PositiveInfinity, Pam.MulGradAExact(1f, 3f, float.PositiveInfinity));
        Assert.True(float.IsNaN(Pam.MulGradAExact(float.NaN, 3f, 2f)));
        Assert.Equal(float.PositiveInfinity, Pam.DivGradAExact(1f, 3f, 0f));
        Assert.Equal(0f, Pam.DivGradAExact(1f, 3f, float.PositiveInfinity));
        Assert.Equal(-0f, Pam.DivGradBExact(1f, 0f, 2f));               // Div(0, b) is constant
        Assert.Equal(0f, Pam.Exp2Grad(1f, float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, Pam.Log2Grad(1f, 0f));
        Assert.Equal(float.PositiveInfinity, Pam.MulGradAExact(1f, 1.5f, float.MaxValue, PamOffset.Paper));   // b' overflows
        Assert.Equal(float.PositiveInfinity, Pam.ScaleByPowerOfTwo(1f, 0, 200));   // scaling overflows to ∞
        Assert.Equal(0f, Pam.ScaleByPowerOfTwo(1f, 0, -200));             // scaling underflows to zero
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The affine piece of Mul(·, b) that a lies on: exponent of a and the mantissa carry.</summary>
    private static long MulPiece(float a, float b, PamOffset offset)
    {
        int bitsA = TestInputs.Bits(a) & 0x7FFFFFFF, bitsB = (TestInputs.Bits(b) & 0x7FFFFFFF) + offset.Bits;
        long carry = (bitsA & 0x7FFFFF) + (bitsB & 0x7FFFFF) >= 1 << 23 ? 1 : 0;
        return (bitsA >> 23) * 2 + carry;
    }

    /// <summary>The affine piece of Div(a, b) in both variables: both exponents, the exponent of b' and the borrow.</summary>
    private static long DivPiece(float a, float b, PamOffset offset)
    {
        int bitsA = TestInputs.Bits(a) & 0x7FFFFFFF, bitsB = TestInputs.Bits(b) & 0x7FFFFFFF, bitsBOffset = bitsB + offset.Bits;
        long borrow = (bitsA & 0x7FFFFF) < (bitsBOffset & 0x7FFFFF) ? 1 : 0;
        return (((long)(bitsA >> 23) * 512 + (bitsB >> 23)) * 512 + (bitsBOffset >> 23)) * 2 + borrow;
    }

    /// <summary>
    /// Central difference of f in its first argument, stepping <paramref name="ulps"/> units in the last place
    /// either way, compared with the derivative where both steps stay on one affine piece.
    /// </summary>
    private static void CheckFiniteDifferences(string name, double tolerance, int ulps,
        Func<float, float, float> f, Func<float, float, float> derivative, Func<float, float, long> piece, Func<Random, float>? input = null)
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        int checkedPoints = 0;
        double worst = 0;
        string worstAt = "";
        for (int n = 0; n < Count; n++)
        {
            float x = input?.Invoke(random) ?? TestInputs.LogUniform(random, 30);
            float other = TestInputs.LogUniform(random, 30);
            float plus = BitConverter.Int32BitsToSingle(TestInputs.Bits(x) + ulps);
            float minus = BitConverter.Int32BitsToSingle(TestInputs.Bits(x) - ulps);
            long p = piece(x, other);
            if (piece(plus, other) != p || piece(minus, other) != p || Math.Abs(x) < 1e-30) continue;   // a kink in between
            double difference = ((double)f(plus, other) - f(minus, other)) / ((double)plus - minus);
            double exact = derivative(x, other);
            double error = Math.Abs(difference - exact) / Math.Abs(exact);
            checkedPoints++;
            if (error > worst) { worst = error; worstAt = $"x = {x:R}, other = {other:R}: difference {difference:R}, derivative {exact:R}"; }
        }
        Assert.True(checkedPoints > Count / 2, $"{name}: only {checkedPoints} of {Count} points away from kinks");
        Assert.True(worst <= tolerance, $"{name}, seed {seed}: worst relative disagreement {worst:E3} > {tolerance:E0} at {worstAt}");
    }
}
