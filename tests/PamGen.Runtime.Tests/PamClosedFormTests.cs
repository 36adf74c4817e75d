using System;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The oracle equals an independent double-precision evaluation of the closed forms, bit for bit, on 1M fresh
/// random operands per operation and run: log-uniform magnitudes over ±60 binary orders, both signs.
/// </summary>
public class PamClosedFormTests
{
    private const int Count = 1_000_000;
    private static readonly float Paper = PamOffset.Paper.Constant;

    [Fact] public void Mul_equals_closed_form() => CheckBinary("Mul", Pam.Mul, ClosedFormReference.Mul);
    [Fact] public void Div_equals_closed_form() => CheckBinary("Div", Pam.Div, ClosedFormReference.Div);

    [Fact]
    public void Mul_with_offset_equals_paper_double_pam() =>
        CheckBinary("Mul+offset", (a, b) => Pam.Mul(a, b, PamOffset.Paper), (a, b) => ClosedFormReference.Mul(a, b, Paper));

    [Fact]
    public void Div_with_offset_equals_paper_double_pad() =>
        CheckBinary("Div+offset", (a, b) => Pam.Div(a, b, PamOffset.Paper), (a, b) => ClosedFormReference.Div(a, b, Paper));

    [Fact]
    public void Exp2_equals_correctly_rounded_closed_form()
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        // Uniform over the whole normal range and beyond, plus small magnitudes where rounding to 2^-23 matters.
        CheckUnary("Exp2", seed, Pam.Exp2, ClosedFormReference.Exp2,
            () => random.Next(2) == 0 ? (float)(random.NextDouble() * 280 - 140) : TestInputs.LogUniform(random, 40));
    }

    [Fact]
    public void Log2_equals_correctly_rounded_closed_form()
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        // Log-uniform over ±60 binary orders, plus values near 1 where the result is small.
        CheckUnary("Log2", seed, Pam.Log2, ClosedFormReference.Log2,
            () => random.Next(2) == 0 ? TestInputs.LogUniform(random) : TestInputs.LogUniform(random, 1.0 / (1 + random.Next(1 << 20))));
    }

    private static void CheckBinary(string name, Func<float, float, float> oracle, Func<float, float, float> reference)
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        int mismatches = 0;
        long worstDistance = 0;
        string worst = "";
        for (int i = 0; i < Count; i++)
        {
            float a = TestInputs.LogUniform(random), b = TestInputs.LogUniform(random);
            float actual = oracle(a, b), expected = reference(a, b);
            long distance = Math.Abs((long)TestInputs.Bits(actual) - TestInputs.Bits(expected));
            if (distance == 0) continue;
            mismatches++;
            if (distance > worstDistance)
            {
                worstDistance = distance;
                worst = $"{name}({TestInputs.Describe(a)}, {TestInputs.Describe(b)}) = {TestInputs.Describe(actual)}, closed form {TestInputs.Describe(expected)}";
            }
        }
        Assert.True(mismatches == 0, $"seed {seed}: {mismatches} of {Count} differ; worst: {worst}");
    }

    private static void CheckUnary(string name, int seed, Func<float, float> oracle, Func<float, float> reference, Func<float> next)
    {
        int mismatches = 0;
        long worstDistance = 0;
        string worst = "";
        for (int i = 0; i < Count; i++)
        {
            float x = next();
            float actual = oracle(x), expected = reference(x);
            long distance = Math.Abs((long)TestInputs.Bits(actual) - TestInputs.Bits(expected));
            if (distance == 0) continue;
            mismatches++;
            if (distance > worstDistance)
            {
                worstDistance = distance;
                worst = $"{name}({TestInputs.Describe(x)}) = {TestInputs.Describe(actual)}, closed form {TestInputs.Describe(expected)}";
            }
        }
        Assert.True(mismatches == 0, $"seed {seed}: {mismatches} of {Count} differ; worst: {worst}");
    }
}
