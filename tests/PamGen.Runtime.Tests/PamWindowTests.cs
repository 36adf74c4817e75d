using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The quick windows of the vector Mul and Div (<see cref="PamWindow"/>): every operand pair a window admits gives
/// the oracle's bits by the split form, at every corner and for the extreme offsets; and the span kernels give the
/// oracle's bits for operands at and around every window end, on every path, whatever lane of a group of vectors
/// they fall in.
/// </summary>
public class PamWindowTests
{
    private const uint Window = 1u << 29;
    private static readonly SimdPath[] Paths = { SimdPath.Scalar, SimdPath.Vector256, SimdPath.Vector512 };
    private static readonly int[] Offsets = { 0, PaperOffset.Bits, PamOffset.MaxAbsBits, -PamOffset.MaxAbsBits };

    public static TheoryData<int> OffsetData() => new(Offsets);

    [Theory]
    [MemberData(nameof(OffsetData))]
    public void Split_form_equals_the_oracle_at_every_window_corner(int k)
    {
        // In window, dx = X − LowX has bits 30…29 equal to the pattern and dy = Y − LowY has them clear, i.e.
        // |X| ∈ LowX + pattern + [0, 2^29) and |Y| ∈ LowY + [0, 2^29) (modulo 2^31). The result is linear in both
        // magnitudes there, so the corners (and a step inside them) bound every admitted pair.
        var cases = new (string Name, uint LowX, uint PatternX, uint LowY, Func<uint, uint, uint> Join, Func<float, float, int, float> Oracle)[]
        {
            ("Mul", PamWindow.MulLowX, PamWindow.MulPatternX, PamWindow.MulLowY(k), (dx, dy) => dx + dy, Pam.Mul),
            ("Div", PamWindow.DivLowX, PamWindow.DivPatternX, PamWindow.DivLowY(k), (dx, dy) => dx - dy, Pam.Div),
        };
        foreach (var c in cases)
        {
            uint xFirst = (c.LowX + c.PatternX) & 0x7FFFFFFF, yFirst = c.LowY & 0x7FFFFFFF;
            foreach (uint xStep in new uint[] { 0, 1, 0x400000, Window - 1 })
                foreach (uint yStep in new uint[] { 0, 1, 0x7FFFFF, Window - 1 })
                    foreach (uint signs in new uint[] { 0, 1, 2, 3 })
                    {
                        uint xBits = (xFirst + xStep) | (signs << 31), yBits = (yFirst + yStep) | ((signs >> 1) << 31);
                        uint dx = xBits - c.LowX, dy = yBits - c.LowY;
                        Assert.True((((dx ^ c.PatternX) | dy) & PamWindow.Mask) == 0, $"{c.Name}: the corner ({xBits:X8}, {yBits:X8}) is not in window");
                        float x = BitConverter.UInt32BitsToSingle(xBits), y = BitConverter.UInt32BitsToSingle(yBits);
                        uint expected = BitConverter.SingleToUInt32Bits(c.Oracle(x, y, k)), actual = c.Join(dx, dy);
                        Assert.True(expected == actual, $"{c.Name}({TestInputs.Describe(x)}, {TestInputs.Describe(y)}, k={k}): split form {actual:X8}, oracle {expected:X8}");
                    }
        }
    }

    [Theory]
    [MemberData(nameof(OffsetData))]
    public void Every_pair_a_window_admits_gives_the_oracle_bits(int k)
    {
        // The converse of the corners: random bit patterns over every binade and class (so most pairs lie
        // outside); whatever the window test admits must be exact, for two operands and for a fixed y.
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        int admitted = 0;
        for (int round = 0; round < 200_000; round++)
        {
            uint xBits = (uint)random.NextInt64(0, 1L << 32), yBits = (uint)random.NextInt64(0, 1L << 32);
            if (round % 2 == 0) xBits = (xBits & 0x807FFFFF) | (uint)random.Next(60, 196) << 23;   // near the windows
            float x = BitConverter.UInt32BitsToSingle(xBits), y = BitConverter.UInt32BitsToSingle(yBits);
            Check("Mul", xBits - PamWindow.MulLowX, yBits - PamWindow.MulLowY(k), PamWindow.MulPatternX, (dx, dy) => dx + dy, Pam.Mul(x, y, k));
            Check("Div", xBits - PamWindow.DivLowX, yBits - PamWindow.DivLowY(k), PamWindow.DivPatternX, (dx, dy) => dx - dy, Pam.Div(x, y, k));
            if (PamWindow.TryMulScalar(y, k, out uint low, out uint addend))
                Check("Mul by a fixed y", xBits - low, 0, 0, (_, _) => xBits + addend, Pam.Mul(x, y, k));
            if (PamWindow.TryDivScalar(y, k, out low, out addend))
                Check("Div by a fixed y", xBits - low, 0, 0, (_, _) => xBits + addend, Pam.Div(x, y, k));

            void Check(string name, uint dx, uint dy, uint pattern, Func<uint, uint, uint> join, float oracle)
            {
                if ((((dx ^ pattern) | dy) & PamWindow.Mask) != 0) return;
                admitted++;
                Assert.True(join(dx, dy) == BitConverter.SingleToUInt32Bits(oracle),
                    $"{name}({TestInputs.Describe(x)}, {TestInputs.Describe(y)}, k={k}) is admitted, but the fast form gives {join(dx, dy):X8} and the oracle {TestInputs.Describe(oracle)}; seed {seed}");
            }
        }
        Assert.True(admitted > 10_000, $"only {admitted} pairs were admitted: the sample does not exercise the windows (seed {seed})");
    }

    [Theory]
    [MemberData(nameof(OffsetData))]
    public void Scalar_operand_windows_equal_the_oracle_at_their_ends_for_every_binade(int k)
    {
        // A fixed y leaves x a window [low, low + 2^29) clamped so that x and the result stay normal: check both
        // ends (and just outside them, which must be rejected or still be exact) for y in every binade.
        foreach (uint binade in Enumerable.Range(1, 254).Select(e => (uint)e))
            foreach (uint mantissa in new uint[] { 0, 0x400000, 0x7FFFFF })
                foreach (bool divide in new[] { false, true })
                {
                    float y = BitConverter.UInt32BitsToSingle((binade << 23) | mantissa);
                    uint low, addend;
                    bool ok = divide ? PamWindow.TryDivScalar(y, k, out low, out addend) : PamWindow.TryMulScalar(y, k, out low, out addend);
                    Assert.True(ok, $"y = {TestInputs.Describe(y)} is normal but has no window");
                    foreach (uint xMagnitude in new[] { low, low + 1, low + Window / 2, low + Window - 1 })
                        foreach (float ySigned in new[] { y, -y })
                        {
                            float x = BitConverter.UInt32BitsToSingle(xMagnitude);
                            float expected = divide ? Pam.Div(x, ySigned, k) : Pam.Mul(x, ySigned, k);
                            bool admitted = ((xMagnitude - low) & PamWindow.Mask) == 0;
                            Assert.True(admitted, $"x = {TestInputs.Describe(x)} should be in the window of y = {TestInputs.Describe(y)}");
                            uint actual = BitConverter.SingleToUInt32Bits(x) + (divide ? DivAddend(ySigned, k) : MulAddend(ySigned, k));
                            Assert.True(BitConverter.SingleToUInt32Bits(expected) == actual,
                                $"{(divide ? "Div" : "Mul")}({TestInputs.Describe(x)}, {TestInputs.Describe(ySigned)}, k={k}): X + addend = {actual:X8}, oracle {TestInputs.Describe(expected)}");
                        }
                }
        foreach (float y in new[] { 0f, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN })
            Assert.False(PamWindow.TryMulScalar(y, k, out _, out _) || PamWindow.TryDivScalar(y, k, out _, out _), $"{y} is not normal: no fast form");
    }

    private static uint MulAddend(float y, int k)
    {
        PamWindow.TryMulScalar(y, k, out _, out uint addend);
        return addend;
    }

    private static uint DivAddend(float y, int k)
    {
        PamWindow.TryDivScalar(y, k, out _, out uint addend);
        return addend;
    }

    [Theory]
    [MemberData(nameof(OffsetData))]
    public void Span_kernels_equal_the_oracle_at_the_window_ends_in_any_lane(int k)
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        float[] ends = WindowEnds(k);
        // Ordinary values (deep inside every window) with one window-end pair per 64 elements, at a random lane:
        // one lane decides whether its whole group of vectors takes the exact form.
        const int length = 64 * 400 + 23;
        float[] x = new float[length], y = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = TestInputs.LogUniform(random, 8);
            y[i] = TestInputs.LogUniform(random, 8);
        }
        for (int group = 0; group * 64 < length; group++)
        {
            int lane = Math.Min(length - 1, group * 64 + random.Next(64));
            x[lane] = ends[random.Next(ends.Length)];
            y[lane] = ends[random.Next(ends.Length)];
        }
        foreach (bool divide in new[] { false, true })
        {
            var expected = new float[length];
            for (int i = 0; i < length; i++) expected[i] = divide ? Pam.Div(x[i], y[i], k) : Pam.Mul(x[i], y[i], k);
            foreach (SimdPath path in Paths)
            {
                var actual = new float[length];
                if (divide) Pam.Binary<DivOp>(x, y, actual, k, path);
                else Pam.Binary<MulOp>(x, y, actual, k, path);
                AssertSameBits(expected, actual, x, y, $"{(divide ? "Div" : "Mul")} k={k} {path} seed {seed}");
            }

            // The span × scalar forms, with y at a window end and x ordinary or at a window end.
            foreach (float yValue in ends.Where((_, index) => index % 7 == 0))
            {
                for (int i = 0; i < length; i++) expected[i] = divide ? Pam.Div(x[i], yValue, k) : Pam.Mul(x[i], yValue, k);
                foreach (SimdPath path in Paths)
                {
                    var actual = new float[length];
                    if (divide) Pam.BinaryScalar<DivOp>(x, yValue, actual, k, path);
                    else Pam.BinaryScalar<MulOp>(x, yValue, actual, k, path);
                    AssertSameBits(expected, actual, x, new[] { yValue }, $"{(divide ? "Div" : "Mul")} by {TestInputs.Describe(yValue)} k={k} {path} seed {seed}");
                }
            }
        }
    }

    /// <summary>Magnitudes at, just below and just above every end of the two-operand windows, both signs, plus the extremes.</summary>
    private static float[] WindowEnds(int k)
    {
        var bits = new List<uint>();
        foreach (int binade in new[] { -33, -32, -31, 31, 32, 33 })
            foreach (int shift in new[] { 0, -k, k })
                foreach (int step in new[] { -1, 0, 1 })
                    bits.Add((uint)(((127 + binade) << 23) + shift + step));
        foreach (int binade in new[] { -126, -100, -64, -40, 40, 64, 100, 127 })   // far outside: under- and overflow
            bits.Add((uint)((127 + binade) << 23) + 0x2AAAAA);
        bits.AddRange(new uint[] { 0x00800000, 0x7F7FFFFF, 0x00000000, 0x00000001, 0x7F800000, 0x7FC00000, 0x3F800000, 0x3FC00000 });
        return bits.SelectMany(b => new[] { BitConverter.UInt32BitsToSingle(b), BitConverter.UInt32BitsToSingle(b | 0x80000000) }).ToArray();
    }

    private static void AssertSameBits(float[] expected, float[] actual, float[] x, float[] y, string context)
    {
        int mismatches = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
            if (TestInputs.Bits(expected[i]) != TestInputs.Bits(actual[i]))
            {
                mismatches++;
                if (first < 0) first = i;
            }
        if (mismatches == 0) return;
        Assert.Fail($"{context}: {mismatches} elements differ; first at {first}: x = {TestInputs.Describe(x[first])}, " +
                    $"y = {TestInputs.Describe(y[Math.Min(first, y.Length - 1)])}, got {TestInputs.Describe(actual[first])}, oracle {TestInputs.Describe(expected[first])}");
    }
}
