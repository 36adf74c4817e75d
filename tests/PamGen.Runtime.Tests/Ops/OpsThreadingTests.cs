using System;
using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// The row-wise ops split over <see cref="RowParallel"/> give identical bits on one and on two threads, in Ieee and
/// Pam modes, at sizes large enough to be split (odd sizes, so chunk ends and scalar tails are exercised); the
/// vectorised plain-addition passes equal their scalar definitions.
/// </summary>
public class OpsThreadingTests
{
    private static float[] Rand(int n, ulong seed, float scale = 1f) => GradCheck.Random(n, seed, scale);

    /// <summary>Runs <paramref name="op"/> (which returns every output it wrote) with one and with two threads and compares bits.</summary>
    private static void SameBitsOnOneAndTwoThreads(string what, Func<float[][]> op)
    {
        int saved = Gemm.MaxThreads;
        float[][] one, two;
        try
        {
            Gemm.MaxThreads = 1;
            one = op();
            Gemm.MaxThreads = 2;
            two = op();
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
        Assert.Equal(one.Length, two.Length);
        for (int t = 0; t < one.Length; t++)
            OracleAssert.BitExact(one[t], two[t], $"{what} output {t} (1 thread vs 2)");
    }

    [Fact]
    public void Dropout_Gelu_and_AdamW_same_bits_on_one_and_two_threads()
    {
        const int n = 40_007;
        var x = Rand(n, 1); var g = Rand(n, 2); var dx0 = Rand(n, 3);
        SameBitsOnOneAndTwoThreads("Dropout Ieee", () => Elementwise<IeeeArithmetic>(x, g, dx0));
        SameBitsOnOneAndTwoThreads("Dropout Pam", () => Elementwise<P>(x, g, dx0));

        var p0 = Rand(n, 4); var m0 = Rand(n, 5, 0.01f); var v0 = Rand(n, 6, 0.01f);
        for (int i = 0; i < n; i++) v0[i] = Math.Abs(v0[i]);
        SameBitsOnOneAndTwoThreads("AdamW Ieee", () => Adam<IeeeArithmetic>(p0, m0, v0, g));
        SameBitsOnOneAndTwoThreads("AdamW Pam", () => Adam<P>(p0, m0, v0, g));
    }

    private static float[][] Elementwise<TElem>(float[] x, float[] g, float[] dx0) where TElem : struct, IArithmetic
    {
        var y = new float[x.Length]; var dx = (float[])dx0.Clone();
        Dropout.Forward<TElem>(y, x, 0.3f, 77);
        Dropout.Backward<TElem>(dx, g, 0.3f, 77);
        var gy = new float[x.Length]; var gdx = (float[])dx0.Clone();
        Gelu.Forward<TElem>(gy, x);
        Gelu.Backward<TElem>(gdx, g, x);
        return new[] { y, dx, gy, gdx };
    }

    private static float[][] Adam<TElem>(float[] p0, float[] m0, float[] v0, float[] g) where TElem : struct, IArithmetic
    {
        float[] p = (float[])p0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone();
        var (step, decay) = AdamW.Scalars<TElem>(1e-3f, 3, new AdamWOptions());
        AdamW.Update<TElem>(p, m, v, g, step, decay, new AdamWOptions());
        return new[] { p, m, v };
    }

    [Theory]
    [InlineData(700, 50)]
    [InlineData(257, 33)]
    public void LayerNorm_same_bits_on_one_and_two_threads(int n, int dim)
    {
        var x = Rand(n * dim, 10); var gamma = Rand(dim, 11); var beta = Rand(dim, 12); var dy = Rand(n * dim, 13);
        var dx0 = Rand(n * dim, 14); var dg0 = Rand(dim, 15); var db0 = Rand(dim, 16);
        SameBitsOnOneAndTwoThreads("LayerNorm Ieee", () => Norm<IeeeArithmetic>(x, gamma, beta, dy, dx0, dg0, db0, n, dim));
        SameBitsOnOneAndTwoThreads("LayerNorm Pam", () => Norm<P>(x, gamma, beta, dy, dx0, dg0, db0, n, dim));
    }

    private static float[][] Norm<TElem>(float[] x, float[] gamma, float[] beta, float[] dy, float[] dx0, float[] dg0, float[] db0, int n, int dim)
        where TElem : struct, IArithmetic
    {
        var y = new float[n * dim]; var mean = new float[n]; var std = new float[n];
        float[] dx = (float[])dx0.Clone(), dg = (float[])dg0.Clone(), db = (float[])db0.Clone();
        LayerNorm.Forward<TElem>(y, mean, std, x, gamma, beta, n, dim);
        LayerNorm.Backward<TElem>(dx, dg, db, dy, x, gamma, mean, std, n, dim);
        return new[] { y, mean, std, dx, dg, db };
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Attention_softmax_rows_same_bits_on_one_and_two_threads(bool causal)
    {
        const int batch = 2, seq = 131, heads = 2, dim = 16;
        var q = Rand(batch * seq * dim, 20); var k = Rand(batch * seq * dim, 21); var v = Rand(batch * seq * dim, 22);
        var dOut = Rand(batch * seq * dim, 23);
        var keep = new byte[batch * seq];
        for (int i = 0; i < keep.Length; i++) keep[i] = (byte)(i % 7 == 3 ? 0 : 1);
        SameBitsOnOneAndTwoThreads("Attention Ieee", () => Attend<IeeeArithmetic>(q, k, v, dOut, keep, batch, seq, dim, heads, causal));
        SameBitsOnOneAndTwoThreads("Attention Pam", () => Attend<P>(q, k, v, dOut, keep, batch, seq, dim, heads, causal));
    }

    private static float[][] Attend<TElem>(float[] q, float[] k, float[] v, float[] dOut, byte[] keep, int batch, int seq, int dim, int heads, bool causal)
        where TElem : struct, IArithmetic
    {
        var o = new float[batch * seq * dim]; var probs = new float[batch * heads * seq * seq];
        var dq = new float[o.Length]; var dk = new float[o.Length]; var dv = new float[o.Length];
        var scratch = new float[Attention.ScratchSize(heads, seq, seq)];
        Attention.Forward<TElem, TElem>(o, probs, q, k, v, keep, batch, seq, seq, dim, heads, causal);
        Attention.Backward<TElem, TElem>(dq, dk, dv, scratch, dOut, probs, q, k, v, batch, seq, seq, dim, heads);
        return new[] { o, probs, dq, dk, dv };
    }

    [Fact]
    public void Clipping_same_bits_on_one_and_two_threads_and_sums_per_tensor_in_order()
    {
        SameBitsOnOneAndTwoThreads("Clipping Ieee", Clip<IeeeArithmetic>);
        SameBitsOnOneAndTwoThreads("Clipping Pam", Clip<P>);
    }

    private static float[][] Clip<TElem>() where TElem : struct, IArithmetic
    {
        var arena = new TensorArena();
        var shapes = new[] { 1001, 7, 33, 4099, 257, 16 };
        var tensors = new Tensor[shapes.Length];
        for (int t = 0; t < shapes.Length; t++) tensors[t] = arena.Parameter("p" + t, false, ParameterInit.Zeros, 0f, shapes[t]);
        arena.Allocate();
        for (int t = 0; t < shapes.Length; t++) Rand(shapes[t], 40 + (ulong)t, 2f).CopyTo(tensors[t].GradSpan);
        // The defined norm: per tensor Σ Mul(g, g) in index order, partial sums added in tensor order.
        float total = 0f;
        foreach (var t in tensors)
        {
            float s = 0f;
            foreach (float g in t.GradSpan) s += TElem.Mul(g, g);
            total += s;
        }
        var grads = Array.ConvertAll(tensors, t => t.Grad!);
        float norm = GradientClipping.ClipGlobalNorm<TElem>(grads, 1f, 1);
        Assert.Equal(BitConverter.SingleToInt32Bits(TElem.Sqrt(total)), BitConverter.SingleToInt32Bits(norm));
        return new[] { new[] { norm }, arena.ParameterGrads.ToArray() };
    }

    [Fact]
    public void Embedding_with_unit_scale_is_the_plain_sum_and_accumulates_in_token_order()
    {
        const int batch = 3, seq = 5, dim = 37, vocab = 4;
        int[] tokens = { 0, 3, 3, 1, 2, 0, 1, 1, 1, 2, 3, 0, 0, 2, 1 };
        var wte = Rand(vocab * dim, 50); var wpe = Rand(seq * dim, 51); var g = Rand(batch * seq * dim, 52);
        var o = new float[batch * seq * dim];
        Embedding.Forward<P>(o, tokens, wte, wpe, batch, seq, dim);
        var dwte = Rand(vocab * dim, 53); var dwpe = Rand(seq * dim, 54);
        float[] edwte = (float[])dwte.Clone(), edwpe = (float[])dwpe.Clone();
        Embedding.Backward<P>(dwte, dwpe, g, tokens, batch, seq, dim);
        var eo = new float[o.Length];
        for (int r = 0; r < batch * seq; r++)
            for (int c = 0; c < dim; c++)
            {
                eo[r * dim + c] = wte[tokens[r] * dim + c] + wpe[r % seq * dim + c];
                edwte[tokens[r] * dim + c] += g[r * dim + c];
                edwpe[r % seq * dim + c] += g[r * dim + c];
            }
        OracleAssert.BitExact(eo, o, "embedding");
        OracleAssert.BitExact(edwte, dwte, "token table gradient");
        OracleAssert.BitExact(edwpe, dwpe, "position table gradient");
    }
}
