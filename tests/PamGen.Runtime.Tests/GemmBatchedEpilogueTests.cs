using System;
using Xunit;
using static PamGen.Tests.GemmTestSupport;

namespace PamGen.Tests;

/// <summary>Batched/strided GEMM and fused epilogues: each equals the plain GEMM per item followed by the scalar epilogue.</summary>
public class GemmBatchedEpilogueTests
{
    [Theory]
    [InlineData(GemmOp.None, GemmOp.Transpose)]   // attention scores Q·Kᵀ
    [InlineData(GemmOp.None, GemmOp.None)]        // P·V
    [InlineData(GemmOp.Transpose, GemmOp.None)]
    public void Strided_batches_equal_per_item_products(GemmOp opA, GemmOp opB)
    {
        const int batch = 5, m = 19, n = 33, k = 70;
        long sa = m * k + 3, sb = k * n + 5, sc = m * n + 7;   // gaps between items must stay untouched
        var a = Relu(Gaussian((int)(sa * batch), 61));
        var b = Gaussian((int)(sb * batch), 62);
        var c = Gaussian((int)(sc * batch), 63);
        var before = (float[])c.Clone();
        Gemm.ComputeBatched<PamArithmetic<PamDefaults>>(opA, opB, m, n, k, a, sa, b, sb, c, sc, batch);
        for (int t = 0; t < batch; t++)
        {
            var at = a.AsSpan((int)(t * sa), m * k).ToArray();
            var bt = b.AsSpan((int)(t * sb), k * n).ToArray();
            AssertBitEqual(RefPam(opA, opB, m, n, k, at, bt), c.AsSpan((int)(t * sc), m * n).ToArray(), n, $"item {t}");
            for (long g = t * sc + m * n; g < (t + 1) * sc; g++) Assert.Equal(before[g], c[g]);
        }
    }

    [Fact]
    public void Heads_of_an_interleaved_activation_via_leading_dimensions()
    {
        // Q and K are [T, H·D]; head h is columns h·D…h·D+D−1: lda = H·D, stride = D. Scores per head are T×T.
        const int heads = 3, t = 21, d = 8, width = heads * d;
        var q = Gaussian(t * width, 64); var kk = Gaussian(t * width, 65);
        var scores = new float[heads * t * t];
        Gemm.ComputeBatched<IeeeArithmetic, NoEpilogue>(GemmOp.None, GemmOp.Transpose, t, t, d,
            q, width, d, kk, width, d, scores, t, t * t, heads, default);
        for (int h = 0; h < heads; h++)
        {
            var qh = new float[t * d]; var kh = new float[t * d];
            for (int i = 0; i < t; i++)
                for (int j = 0; j < d; j++) { qh[i * d + j] = q[i * width + h * d + j]; kh[i * d + j] = kk[i * width + h * d + j]; }
            AssertBitEqual(RefFma(GemmOp.None, GemmOp.Transpose, t, t, d, qh, kh), scores.AsSpan(h * t * t, t * t).ToArray(), t, $"head {h}");
        }
    }

    [Fact]
    public void Epilogues_apply_once_after_the_full_sum()
    {
        const int m = 14, n = 70, k = 600;   // two k blocks: an epilogue applied per block would show
        var a = Relu(Gaussian(m * k, 71)); var b = Gaussian(k * n, 72);
        var bias = Gaussian(n, 73); var residual = Gaussian(m * (n + 2), 74);
        var plain = RefPam(GemmOp.None, GemmOp.None, m, n, k, a, b);
        foreach (var path in Paths)
        {
            var saved = Gemm.ForcedPath;
            Gemm.ForcedPath = path;
            try
            {
                var c = new float[m * n];
                Gemm.Compute<PamArithmetic<PamDefaults>, BiasEpilogue>(GemmOp.None, GemmOp.None, m, n, k, a, b, c, new BiasEpilogue(bias));
                AssertBitEqual(Map(plain, n, (x, i, j) => x + bias[j]), c, n, $"bias {path}");

                Gemm.Compute<PamArithmetic<PamDefaults>, BiasReluEpilogue>(GemmOp.None, GemmOp.None, m, n, k, a, b, c, new BiasReluEpilogue(bias));
                AssertBitEqual(Map(plain, n, (x, i, j) => x + bias[j] <= 0f ? 0f : x + bias[j]), c, n, $"bias+relu {path}");

                Gemm.Compute<PamArithmetic<PamDefaults>, ResidualEpilogue>(GemmOp.None, GemmOp.None, m, n, k, a, b, c, new ResidualEpilogue(residual, n + 2));
                AssertBitEqual(Map(plain, n, (x, i, j) => x + residual[i * (n + 2) + j]), c, n, $"residual {path}");

                const float scale = 0.35355338f;
                Gemm.Compute<PamArithmetic<PamDefaults>, ScaleEpilogue<PamArithmetic<PamDefaults>>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c, new ScaleEpilogue<PamArithmetic<PamDefaults>>(scale));
                AssertBitEqual(Map(plain, n, (x, i, j) => Pam.Mul(x, scale)), c, n, $"scale {path}");

                // Accumulating: the epilogue sees C + Σ.
                var c0 = Gaussian(m * n, 75);
                var acc = (float[])c0.Clone();
                Gemm.Compute<PamArithmetic<PamDefaults>, BiasEpilogue>(GemmOp.None, GemmOp.None, m, n, k, a, b, acc, new BiasEpilogue(bias), accumulate: true);
                AssertBitEqual(Map(RefPam(GemmOp.None, GemmOp.None, m, n, k, a, b, c0), n, (x, i, j) => x + bias[j]), acc, n, $"accumulate+bias {path}");
            }
            finally { Gemm.ForcedPath = saved; }
        }
    }

    [Fact]
    public void Relu_epilogue_keeps_nan()
    {
        var c = new float[] { float.NaN, -1f, 2f, -0f, 0.5f, -3f, 1f, float.NaN, -2f };
        new BiasReluEpilogue(new float[9]).Apply(c, 0, 0);
        Assert.True(float.IsNaN(c[0]) && float.IsNaN(c[7]));
        Assert.Equal(new[] { 0f, 2f, 0f, 0.5f, 0f, 1f }, new[] { c[1], c[2], c[3], c[4], c[5], c[6] });
        Assert.Equal(0, BitConverter.SingleToInt32Bits(c[3]));
    }

    private static float[] Map(float[] x, int n, Func<float, int, int, float> f)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = f(x[i], i / n, i % n);
        return y;
    }
}

/// <summary>Failures inside the parallel GEMM surface on the caller instead of killing a worker thread.</summary>
public class GemmFailureTests
{
    [Fact]
    public void An_epilogue_exception_on_a_worker_is_rethrown_to_the_caller()
    {
        const int m = 200, n = 300, k = 100;
        var a = Gaussian(m * k, 81); var b = Gaussian(k * n, 82); var c = new float[m * n];
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 2;
            var shortBias = new float[n - 10];   // too short: the last column block's Slice throws
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                Gemm.Compute<IeeeArithmetic, BiasEpilogue>(GemmOp.None, GemmOp.None, m, n, k, a, b, c, new BiasEpilogue(shortBias)));
            // The pool still works afterwards.
            Gemm.Compute<IeeeArithmetic>(GemmOp.None, GemmOp.None, m, n, k, a, b, c);
            AssertBitEqual(RefFma(GemmOp.None, GemmOp.None, m, n, k, a, b), c, n, "after failure");
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
