using System;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The packing pass against a scalar model: normalised values and the panel statistics that choose the kernel (a
/// missed minimum or maximum would pick a kernel that is not exact for the block). Run lengths cover whole vectors,
/// overlapping tail vectors and the scalar path; specials sit anywhere, tails included. <see cref="GemmPacking.ScanRuns"/>
/// (the read-only pass for A read in place) must agree, and refuse blocks holding a subnormal.
/// </summary>
public class GemmPackingTests
{
    public static TheoryData<int, int> Blocks() => new()
    {
        { 1, 1 }, { 3, 15 }, { 5, 16 }, { 4, 17 }, { 7, 31 }, { 2, 64 }, { 9, 66 }, { 6, 70 }, { 3, 130 }, { 40, 64 },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public unsafe void NormalizeRuns_matches_the_scalar_model(int runs, int len)
    {
        const int addend = 0x12345 - 0x3F800000;
        int srcStride = len + 3, dstStride = len + 5;
        float[] specials =
        {
            0f, -0f, 1e-40f, -1e-42f, float.PositiveInfinity, float.NaN, 3e38f, -1.2e-38f,
            BitConverter.Int32BitsToSingle(0x00800000), BitConverter.Int32BitsToSingle(0x7F7FFFFF),
        };
        for (int seed = 0; seed < 12; seed++)
        {
            var rng = new Random(seed * 1000 + runs * 31 + len);
            var src = GemmTestSupport.Gaussian(runs * srcStride, seed + len);
            // Some trials are all normal (the dense case), some put a few specials anywhere, some many zeros.
            int specialsCount = seed % 3 == 0 ? 0 : seed % 3 == 1 ? 1 + rng.Next(3) : runs * len / 2;
            for (int t = 0; t < specialsCount; t++)
                src[rng.Next(runs) * srcStride + rng.Next(len)] = seed % 3 == 2 ? (rng.Next(2) == 0 ? 0f : -0f) : specials[rng.Next(specials.Length)];

            var dst = new int[runs * dstStride];
            var info = PanelInfo.Empty;
            info.Min = 0x7F000000;   // statistics add to what the caller holds
            fixed (float* ps = src)
            fixed (int* pd = dst)
                GemmPacking.NormalizeRuns(ps, srcStride, runs, len, pd, dstStride, addend, ref info);

            int min = 0x7F000000, max = 0, zeros = 0;
            for (int q = 0; q < runs; q++)
                for (int i = 0; i < len; i++)
                {
                    int x = BitConverter.SingleToInt32Bits(src[q * srcStride + i]);
                    bool zero = (x & 0x7F800000) == 0;
                    int expected = (zero ? x & int.MinValue : x) + addend;
                    Assert.True(expected == dst[q * dstStride + i],
                        $"run {q} element {i} (0x{x:X8}): expected 0x{expected:X8}, got 0x{dst[q * dstStride + i]:X8} (seed {seed})");
                    if (zero) zeros++;
                    else { min = Math.Min(min, x & 0x7FFFFFFF); max = Math.Max(max, x & 0x7FFFFFFF); }
                }
            string what = $"seed {seed}, {runs} runs of {len}";
            Assert.True(min == info.Min, $"{what}: Min expected 0x{min:X8}, got 0x{info.Min:X8}");
            Assert.True(max == info.Max, $"{what}: Max expected 0x{max:X8}, got 0x{info.Max:X8}");
            Assert.True(zeros == info.Zeros, $"{what}: Zeros expected {zeros}, got {info.Zeros}");
            Assert.True((zeros > 0) == info.HasZero, $"{what}: HasZero expected {zeros > 0}");
            // The read-only pass of in-place A blocks: the same statistics, or false when a subnormal needs normalising.
            var scanned = PanelInfo.Empty;
            scanned.Min = 0x7F000000;
            bool subnormal = false;
            for (int q = 0; q < runs; q++)
                for (int i = 0; i < len; i++)
                {
                    int mag = BitConverter.SingleToInt32Bits(src[q * srcStride + i]) & 0x7FFFFFFF;
                    subnormal |= mag != 0 && mag < 0x00800000;
                }
            bool clean;
            fixed (float* ps = src) clean = GemmPacking.ScanRuns(ps, srcStride, runs, len, ref scanned);
            Assert.True(clean == !subnormal, $"{what}: ScanRuns returned {clean} with subnormal={subnormal}");
            if (clean)
                Assert.True(scanned.Min == min && scanned.Max == max && scanned.Zeros == zeros && scanned.HasZero == zeros > 0,
                    $"{what}: ScanRuns gave Min 0x{scanned.Min:X8} Max 0x{scanned.Max:X8} Zeros {scanned.Zeros}, expected 0x{min:X8} 0x{max:X8} {zeros}");
            // Gaps between runs are never written.
            for (int q = 0; q < runs; q++)
                for (int i = len; i < dstStride && q * dstStride + i < dst.Length; i++)
                    Assert.True(dst[q * dstStride + i] == 0, $"{what}: wrote past run {q} at {i}");
        }
    }
}
