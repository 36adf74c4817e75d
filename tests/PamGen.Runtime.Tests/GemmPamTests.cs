using System;
using Xunit;
using static PamGen.Tests.GemmTestSupport;

namespace PamGen.Tests;

/// <summary>PAM GEMM: bit-exact against the k-order sum of the scalar PAM product, on every path.</summary>
public class GemmPamTests
{
    public static TheoryData<GemmOp, GemmOp, int, int, int> Shapes()
    {
        var data = new TheoryData<GemmOp, GemmOp, int, int, int>();
        int[][] shapes = { new[] { 1, 1, 1 }, new[] { 7, 7, 7 }, new[] { 33, 65, 17 }, new[] { 13, 130, 600 }, new[] { 257, 70, 33 }, new[] { 6, 64, 1025 } };
        foreach (var opA in new[] { GemmOp.None, GemmOp.Transpose })
            foreach (var opB in new[] { GemmOp.None, GemmOp.Transpose })
                foreach (var s in shapes) data.Add(opA, opB, s[0], s[1], s[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Relu_activations_times_weights_are_bit_exact_on_every_path(GemmOp opA, GemmOp opB, int m, int n, int k)
    {
        var a = Relu(Gaussian(m * k, 1 + m + k));
        var b = Gaussian(k * n, 2 + n, 0.05f);
        var expected = RefPam(opA, opB, m, n, k, a, b);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(opA, opB, m, n, k, a, b, path: path), n, $"{opA}/{opB} {m}x{n}x{k} {path}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Dense_operands_with_offset_are_bit_exact_on_every_path(GemmOp opA, GemmOp opB, int m, int n, int k)
    {
        var a = Gaussian(m * k, 3 + m);
        var b = Gaussian(k * n, 4 + k, 3f);
        var expected = RefPam(opA, opB, m, n, k, a, b, offset: PaperOffset.Bits);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<PamArithmetic<PaperOffset>>(opA, opB, m, n, k, a, b, path: path), n, $"{opA}/{opB} {m}x{n}x{k} {path}");
    }

    [Theory]
    [InlineData(GemmOp.None, GemmOp.None)]
    [InlineData(GemmOp.Transpose, GemmOp.Transpose)]
    public void Zeros_in_both_operands_are_bit_exact(GemmOp opA, GemmOp opB)
    {
        const int m = 20, n = 100, k = 70;
        var a = Relu(Gaussian(m * k, 5));
        var b = Relu(Gaussian(k * n, 6));            // ReLU'd gradients as B: half zeros
        b[3] = -0f;
        b[7] = BitConverter.Int32BitsToSingle(0x00000123); // subnormal counts as zero
        a[5] = BitConverter.Int32BitsToSingle(unchecked((int)0x80000456));
        var expected = RefPam(opA, opB, m, n, k, a, b);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(opA, opB, m, n, k, a, b, path: path), n, $"{path}");
    }

    [Fact]
    public void All_zero_activations_give_positive_zero()
    {
        const int m = 9, n = 70, k = 40;
        var a = new float[m * k];
        for (int i = 0; i < a.Length; i += 2) a[i] = -0f;
        var b = Gaussian(k * n, 7);
        var expected = RefPam(GemmOp.None, GemmOp.None, m, n, k, a, b);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, path: path), n, $"{path}");
    }

    public static TheoryData<int> SpecialSeeds() => new() { 11, 12, 13, 14 };

    [Theory]
    [MemberData(nameof(SpecialSeeds))]
    public void Special_values_take_the_exact_general_path(int seed)
    {
        const int m = 14, n = 67, k = 45;
        var rng = new Random(seed);
        float[] specials =
        {
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-40f, -1e-45f, 3e38f, -2e38f,
            1.2e-38f, 1e-20f, 1e20f, BitConverter.Int32BitsToSingle(0x00800000), BitConverter.Int32BitsToSingle(0x7F7FFFFF),
        };
        var a = Relu(Gaussian(m * k, seed));
        var b = Gaussian(k * n, seed + 100);
        // Seed 11: sparse specials in both; 12: only huge/tiny exponents (underflow and overflow, no ∞/NaN input);
        // 13: specials in B only; 14: specials in A only.
        int count = seed == 12 ? 60 : 12;
        for (int t = 0; t < count; t++)
        {
            float v = seed == 12 ? (rng.Next(2) == 0 ? 1e-25f : 4e25f) * (rng.Next(2) == 0 ? 1 : -1) : specials[rng.Next(specials.Length)];
            if (seed != 13) a[rng.Next(a.Length)] = v;
            if (seed != 14) b[rng.Next(b.Length)] = seed == 12 ? 1f / v : v;
        }
        foreach (var (opA, opB) in new[] { (GemmOp.None, GemmOp.None), (GemmOp.Transpose, GemmOp.None), (GemmOp.None, GemmOp.Transpose) })
        {
            var expected = RefPam(opA, opB, m, n, k, a, b);
            foreach (var path in Paths)
                AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(opA, opB, m, n, k, a, b, path: path), n, $"{opA}/{opB} {path}");
        }
    }

    [Fact]
    public void Accumulate_continues_the_k_order_sum_from_C_including_negative_zero()
    {
        const int m = 13, n = 70, k = 600;
        var a = Relu(Gaussian(m * k, 21));
        var b = Gaussian(k * n, 22);
        b[5] = -0f;
        var c0 = Gaussian(m * n, 23);
        for (int i = 0; i < c0.Length; i += 3) c0[i] = -0f;   // −0 + (+0 product) must give +0, as the sum does
        for (int p = 0; p < k; p++) a[p] = 0f;               // row 0 of A is zero: row 0 of C keeps its −0s where the products are −0
        var expected = RefPam(GemmOp.None, GemmOp.None, m, n, k, a, b, c0);
        foreach (var path in Paths)
            AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c0, path), n, $"{path}");
        var noNegZero = Gaussian(m * n, 24);
        expected = RefPam(GemmOp.None, GemmOp.None, m, n, k, a, b, noNegZero);
        AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, noNegZero), n, "accumulate");
    }

    [Theory]
    [InlineData(GemmOp.None, GemmOp.None)]
    [InlineData(GemmOp.Transpose, GemmOp.None)]
    [InlineData(GemmOp.None, GemmOp.Transpose)]
    public void Negative_zero_in_one_C_tile_is_bit_exact_on_every_tile(GemmOp opA, GemmOp opB)
    {
        // Several row blocks and column panels: each tile checks its own C for −0, so only the tile holding one
        // may take the general kernel, and a tile that misses its −0 skips zero products and keeps −0 wrongly.
        const int m = 250, n = 200, k = 300;
        var a = Relu(Gaussian(m * k, 41));
        var b = Gaussian(k * n, 42);
        for (int i = 0; i < b.Length; i += 37) b[i] = i % 2 == 0 ? 0f : -0f;
        var c0 = Gaussian(m * n, 43);
        // −0 only in row 205 (inside a six-row micro-tile) and in row 17 of the narrow last column panel. Row 205 of
        // op(A) is all zero: its C row ends +0 where a product of +0 was added to −0.
        for (int j = 130; j < 140; j++) c0[205 * n + j] = -0f;
        c0[17 * n + 199] = -0f;
        for (int p = 0; p < k; p++) a[opA == GemmOp.None ? 205 * k + p : p * m + 205] = 0f;
        var expected = RefPam(opA, opB, m, n, k, a, b, c0);
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                foreach (var path in Paths)
                    AssertBitEqual(expected, Run<PamArithmetic<PamDefaults>>(opA, opB, m, n, k, a, b, c0, path), n, $"{opA}/{opB} {threads} threads {path}");
            }
        }
        finally { Gemm.MaxThreads = saved; }
    }

    [Fact]
    public void One_and_two_threads_give_identical_bits()
    {
        const int m = 150, n = 200, k = 700;
        var a = Relu(Gaussian(m * k, 31));
        var b = Gaussian(k * n, 32);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b);
            var oneIeee = Run<IeeeArithmetic>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b);
            Gemm.MaxThreads = 2;
            var two = Run<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b);
            var twoIeee = Run<IeeeArithmetic>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b);
            AssertBitEqual(one, two, n, "PAM 1 vs 2 threads");
            AssertBitEqual(oneIeee, twoIeee, n, "Ieee 1 vs 2 threads");
            AssertBitEqual(RefPam(GemmOp.None, GemmOp.Transpose, m, n, k, a, b), two, n, "PAM vs reference");
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
