using System;

namespace PamGen;

/// <summary>
/// Multi-head scaled dot-product attention on already projected queries, keys and values laid out
/// [batch, seq, heads·headSize]. Per (batch, head): <c>S = Mul(Q·Kᵀ, 1/√d)</c>, <c>P = softmax(S)</c> with causal
/// and key-padding masks, <c>O = P·V</c>. The scale is a constant formed with the mode's <c>Sqrt</c> and <c>Div</c>;
/// the products run in <c>TMatmul</c>, softmax and scaling in <c>TElem</c>.
/// Forward keeps only the probabilities; heads are gathered from q, k, v into scratch on both passes.
/// </summary>
public static class Attention
{
    /// <summary>The scratch length both passes need.</summary>
    public static int ScratchSize(int queryLength, int keyLength, int headSize)
        => queryLength * keyLength + 3 * queryLength * headSize + 4 * keyLength * headSize;

    /// <summary>The score scale <c>Div(1, Sqrt(headSize))</c> in the mode's arithmetic.</summary>
    public static float Scale<TElem>(int headSize) where TElem : struct, IArithmetic => TElem.Div(1f, TElem.Sqrt(headSize));

    /// <summary>Forward pass.</summary>
    /// <param name="output">[batch, tq, dim]</param>
    /// <param name="probs">saved [batch, heads, tq, tk]</param>
    /// <param name="scratch">[<see cref="ScratchSize"/>]</param>
    /// <param name="q">[batch, tq, dim]</param>
    /// <param name="k">[batch, tk, dim]</param>
    /// <param name="v">[batch, tk, dim]</param>
    /// <param name="keyKeep">[batch, tk] 1 = attend, 0 = padding; empty = all</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="tq">Query length.</param>
    /// <param name="tk">Key length.</param>
    /// <param name="dim">Model width (heads × head size).</param>
    /// <param name="heads">Number of heads.</param>
    /// <param name="causal">Mask keys after the query position (self-attention, tq = tk).</param>
    public static void Forward<TMatmul, TElem>(Span<float> output, Span<float> probs, Span<float> scratch,
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<byte> keyKeep,
        int batch, int tq, int tk, int dim, int heads, bool causal)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        int hs = Check(output.Length, probs.Length, scratch.Length, q.Length, k.Length, v.Length, keyKeep.Length, batch, tq, tk, dim, heads, causal, "Attention.Forward");
        float scale = Scale<TElem>(hs);
        var qh = scratch.Slice(0, tq * hs);
        var kh = scratch.Slice(tq * hs, tk * hs);
        var vh = scratch.Slice(tq * hs + tk * hs, tk * hs);
        var oh = scratch.Slice(tq * hs + 2 * tk * hs, tq * hs);
        var mask = new SoftmaxMask(causal, tq, keyKeep, tq);
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                Gather(qh, q, b, h, tq, dim, hs);
                Gather(kh, k, b, h, tk, dim, hs);
                Gather(vh, v, b, h, tk, dim, hs);
                var p = probs.Slice((b * heads + h) * tq * tk, tq * tk);
                Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.Transpose, tq, tk, hs, qh, kh, p);
                for (int i = 0; i < p.Length; i++) p[i] = TElem.Mul(p[i], scale);
                for (int i = 0; i < tq; i++)
                    Softmax.ForwardRowInPlace<TElem>(p.Slice(i * tk, tk), mask.Limit(i, tk), mask.KeepRow(b * tq, tk));
                Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.None, tq, hs, tk, p, vh, oh);
                Scatter(output, oh, b, h, tq, dim, hs, accumulate: false);
            }
        }
    }

    /// <summary>Backward pass; accumulates into <paramref name="dq"/>, <paramref name="dk"/>, <paramref name="dv"/>.</summary>
    public static void Backward<TMatmul, TElem>(Span<float> dq, Span<float> dk, Span<float> dv, Span<float> scratch,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> probs, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        int batch, int tq, int tk, int dim, int heads)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        int hs = Check(dOutput.Length, probs.Length, scratch.Length, q.Length, k.Length, v.Length, 0, batch, tq, tk, dim, heads, false, "Attention.Backward");
        Shapes.Require(dq.Length, "Attention.Backward", nameof(dq), batch, tq, dim);
        Shapes.Require(dk.Length, "Attention.Backward", nameof(dk), batch, tk, dim);
        Shapes.Require(dv.Length, "Attention.Backward", nameof(dv), batch, tk, dim);
        float scale = Scale<TElem>(hs);
        int o = 0;
        var dS = scratch.Slice(o, tq * tk); o += tq * tk;
        var qh = scratch.Slice(o, tq * hs); o += tq * hs;
        var dOh = scratch.Slice(o, tq * hs); o += tq * hs;
        var dqh = scratch.Slice(o, tq * hs); o += tq * hs;
        var kh = scratch.Slice(o, tk * hs); o += tk * hs;
        var vh = scratch.Slice(o, tk * hs); o += tk * hs;
        var dkh = scratch.Slice(o, tk * hs); o += tk * hs;
        var dvh = scratch.Slice(o, tk * hs);
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                Gather(qh, q, b, h, tq, dim, hs);
                Gather(kh, k, b, h, tk, dim, hs);
                Gather(vh, v, b, h, tk, dim, hs);
                Gather(dOh, dOutput, b, h, tq, dim, hs);
                var p = probs.Slice((b * heads + h) * tq * tk, tq * tk);
                // dV = Pᵀ·dO, dP = dO·Vᵀ
                Gemm.Compute<TMatmul>(GemmOp.Transpose, GemmOp.None, tk, hs, tq, p, dOh, dvh);
                Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.Transpose, tq, tk, hs, dOh, vh, dS);
                for (int i = 0; i < tq; i++)
                {
                    var row = dS.Slice(i * tk, tk);
                    Softmax.BackwardRow<TElem>(row, row, p.Slice(i * tk, tk), scale, accumulate: false);
                }
                // dQ = dS·K, dK = dSᵀ·Q
                Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.None, tq, hs, tk, dS, kh, dqh);
                Gemm.Compute<TMatmul>(GemmOp.Transpose, GemmOp.None, tk, hs, tq, dS, qh, dkh);
                Scatter(dq, dqh, b, h, tq, dim, hs, accumulate: true);
                Scatter(dk, dkh, b, h, tk, dim, hs, accumulate: true);
                Scatter(dv, dvh, b, h, tk, dim, hs, accumulate: true);
            }
        }
    }

    private static void Gather(Span<float> dst, ReadOnlySpan<float> src, int b, int h, int t, int dim, int hs)
    {
        for (int i = 0; i < t; i++) src.Slice((b * t + i) * dim + h * hs, hs).CopyTo(dst.Slice(i * hs, hs));
    }

    private static void Scatter(Span<float> dst, ReadOnlySpan<float> src, int b, int h, int t, int dim, int hs, bool accumulate)
    {
        for (int i = 0; i < t; i++)
        {
            var d = dst.Slice((b * t + i) * dim + h * hs, hs);
            var s = src.Slice(i * hs, hs);
            if (accumulate) for (int c = 0; c < hs; c++) d[c] += s[c];
            else s.CopyTo(d);
        }
    }

    private static int Check(int outLen, int probsLen, int scratchLen, int qLen, int kLen, int vLen, int keepLen,
        int batch, int tq, int tk, int dim, int heads, bool causal, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(tq, op, nameof(tq));
        Shapes.RequirePositive(tk, op, nameof(tk));
        Shapes.RequirePositive(heads, op, nameof(heads));
        if (dim <= 0 || dim % heads != 0)
            throw new ArgumentException($"{op}: width {dim} is not a positive multiple of the head count {heads}.", nameof(dim));
        if (causal && tq != tk)
            throw new ArgumentException($"{op}: causal attention needs equal query and key lengths, got {tq} and {tk}.", nameof(causal));
        int hs = dim / heads;
        Shapes.Require(outLen, op, "output", batch, tq, dim);
        Shapes.Require(probsLen, op, "probs", batch, heads, tq, tk);
        Shapes.Require(qLen, op, "q", batch, tq, dim);
        Shapes.Require(kLen, op, "k", batch, tk, dim);
        Shapes.Require(vLen, op, "v", batch, tk, dim);
        Shapes.RequireOptional(keepLen, op, "keyKeep", batch, tk);
        if (scratchLen < ScratchSize(tq, tk, hs))
            throw new ArgumentException($"{op}: scratch holds {scratchLen} floats but needs {ScratchSize(tq, tk, hs)} (Attention.ScratchSize).", "scratch");
        return hs;
    }
}
