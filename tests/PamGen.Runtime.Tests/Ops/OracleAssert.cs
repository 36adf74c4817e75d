using System;
using Xunit;

namespace PamGen.Tests;

/// <summary>Comparisons of a Pam-mode operation with a slow scalar composition of the <see cref="Pam"/> oracle.</summary>
internal static class OracleAssert
{
    /// <summary>Every element bit for bit (elementwise work); fails naming the first differing element.</summary>
    public static void BitExact(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: oracle {expected[i]:G9} (0x{BitConverter.SingleToInt32Bits(expected[i]):X8}), op {actual[i]:G9} (0x{BitConverter.SingleToInt32Bits(actual[i]):X8})");
        }
    }

    /// <summary>
    /// Reductions: <c>|actual − expected| ≤ 1e-5 · termSum</c> per element, where <paramref name="termSums"/> holds the
    /// sum of the absolute values of the terms that produced it; fails naming the worst element.
    /// </summary>
    public static void WithinTermTolerance(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> termSums, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        string message = "";
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = 1e-5 * termSums[i] + 1e-30;
            double err = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(err)) err = double.PositiveInfinity;
            if (err / allowed > worst)
            {
                worst = err / allowed;
                message = $"{what}[{i}]: oracle {expected[i]:G9}, op {actual[i]:G9}, |error| {err:G3}, allowed {allowed:G3}";
            }
        }
        Assert.True(worst <= 1, "Worst element: " + message);
    }
}
