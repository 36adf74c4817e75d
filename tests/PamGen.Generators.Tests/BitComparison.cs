using System;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>Bit-for-bit comparison of two float arrays, failing with the mismatch count and the worst element.</summary>
internal static class BitComparison
{
    /// <summary>
    /// Asserts <paramref name="actual"/> holds the same bits as <paramref name="expected"/>; the failure names the
    /// mismatches, the worst element (by ulp distance, described by <paramref name="where"/> if given) and both values
    /// under the names <paramref name="expectedName"/> and <paramref name="actualName"/>.
    /// </summary>
    public static void AssertEqual(string what, float[] expected, float[] actual, string expectedName = "expected", string actualName = "actual",
        Func<int, string>? where = null)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}");
        int mismatches = 0, worst = -1;
        long worstDistance = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            long distance = Math.Abs((long)BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]));
            if (distance == 0) continue;
            mismatches++;
            if (distance > worstDistance) (worstDistance, worst) = (distance, i);
        }
        if (mismatches == 0) return;
        string at = where is null ? $"[{worst}]" : where(worst);
        Assert.Fail($"{what}: {mismatches} of {expected.Length} differ; worst {at}: {actualName} {actual[worst]:R} vs {expectedName} {expected[worst]:R} ({worstDistance} ulp apart)");
    }
}
