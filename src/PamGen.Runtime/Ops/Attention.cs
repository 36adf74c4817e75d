using System;

namespace PamGen;

/// <summary>
/// Multi-head scaled dot-product attention on already projected queries, keys and values laid out
/// [batch, seq, heads·headSize]. Per (batch, head): <c>S = Mul(Q·Kᵀ, 1/√d)</c>, <c>P = softmax(S)</c> with causal
/// and key-padding masks, <c>O = P·V</c>. The scale is a constant formed with the mode's <c>Sqrt</c> and <c>Div</c>
/// and applied in the GEMM epilogue; the products run in <c>TMatmul</c>, softmax and scaling in <c>TElem</c>.
/// Heads are read and written in place through the batched GEMM's leading dimensions (no gather/scatter copies);
/// forward keeps only the probabilities.
/// </summary>
[MultiplicationFree]
public static class Attention
{
    /// <summary>
    /// The scratch length backward needs at least (the score gradients of one batch element). Backward works on as
    /// many batch elements per pass as the scratch holds: batch × this runs every (batch, head) pair in one batched
    /// GEMM per product, the fastest; the bits are the same either way.
    /// </summary>
    public static int ScratchSize(int heads, int queryLength, int keyLength) => heads * queryLength * keyLength;

    /// <summary>The score scale <c>Div(1, Sqrt(headSize))</c> in the mode's arithmetic.</summary>
    public static float Scale<TElem>(int headSize) where TElem : struct, IArithmetic => TElem.Div(1f, TElem.Sqrt(headSize));

    /// <summary>Forward pass.</summary>
    /// <param name="output">[batch, tq, dim]</param>
    /// <param name="probs">saved [batch, heads, tq, tk]</param>
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
    public static void Forward<TMatmul, TElem>(Span<float> output, Span<float> probs,
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<byte> keyKeep,
        int batch, int tq, int tk, int dim, int heads, bool causal)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        int hs = Check(output.Length, probs.Length, int.MaxValue, q.Length, k.Length, v.Length, keyKeep.Length, batch, tq, tk, dim, heads, causal, "Attention.Forward");
        var scale = new ScaleEpilogue<TElem>(Scale<TElem>(hs));
        int qs = tq * dim, ks = tk * dim, ps = heads * tq * tk;
        // Every (batch element, head) pair in one two-level batched GEMM (one fork/join for all of them): item (b, h)
        // reads head h's columns h·hs of batch element b's rows of width dim. S_bh = Q_bh·K_bhᵀ·scale.
        Gemm.ComputeBatched2<TMatmul, ScaleEpilogue<TElem>>(GemmOp.None, GemmOp.Transpose, tq, tk, hs,
            q, dim, qs, hs, k, dim, ks, hs, probs, tk, ps, tq * tk, batch, heads, scale);
        SoftmaxRows<TElem>(probs.Slice(0, batch * ps), batch * heads * tq, heads * tq, tq, tk, causal, keyKeep);
        // O_bh = P_bh·V_bh, written straight into head h's columns of the output rows.
        Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.None, tq, hs, tk,
            probs, tk, ps, tq * tk, v, dim, ks, hs, output, dim, qs, hs, batch, heads, default);
    }

    /// <summary>
    /// <see cref="Forward{TMatmul, TElem}"/> with the score scale as its own pass over the scores instead of in the score
    /// GEMM's epilogue (the unfused reference composition; the same bits: each score gets the same <c>Mul(s, scale)</c>).
    /// </summary>
    internal static unsafe void ForwardUnfused<TMatmul, TElem>(Span<float> output, Span<float> probs,
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<byte> keyKeep,
        int batch, int tq, int tk, int dim, int heads, bool causal)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        int hs = Check(output.Length, probs.Length, int.MaxValue, q.Length, k.Length, v.Length, keyKeep.Length, batch, tq, tk, dim, heads, causal, "Attention.ForwardUnfused");
        int qs = tq * dim, ks = tk * dim, ps = heads * tq * tk;
        Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.Transpose, tq, tk, hs,
            q, dim, qs, hs, k, dim, ks, hs, probs, tk, ps, tq * tk, batch, heads, default);
        fixed (float* pp = probs)
            RowParallel.For(batch * ps, 16384, Vec.Width, new ScaleBody<TElem>(pp, Scale<TElem>(hs)));
        SoftmaxRows<TElem>(probs.Slice(0, batch * ps), batch * heads * tq, heads * tq, tq, tk, causal, keyKeep);
        Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.None, tq, hs, tk,
            probs, tk, ps, tq * tk, v, dim, ks, hs, output, dim, qs, hs, batch, heads, default);
    }

    private readonly unsafe struct ScaleBody<TElem>(float* values, float scale) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end) => new ScaleEpilogue<TElem>(scale).Apply(new Span<float>(values + start, end - start), 0, 0);
    }

    /// <summary>Backward pass; accumulates into <paramref name="dq"/>, <paramref name="dk"/>, <paramref name="dv"/>.</summary>
    /// <param name="dq">[batch, tq, dim]</param>
    /// <param name="dk">[batch, tk, dim]</param>
    /// <param name="dv">[batch, tk, dim]</param>
    /// <param name="scratch">[at least <see cref="ScratchSize"/>; batch × that is fastest]</param>
    /// <param name="dOutput">[batch, tq, dim]</param>
    /// <param name="probs">[batch, heads, tq, tk] from forward</param>
    /// <param name="q">[batch, tq, dim]</param>
    /// <param name="k">[batch, tk, dim]</param>
    /// <param name="v">[batch, tk, dim]</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="tq">Query length.</param>
    /// <param name="tk">Key length.</param>
    /// <param name="dim">Model width.</param>
    /// <param name="heads">Number of heads.</param>
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
        int qs = tq * dim, ks = tk * dim, ps = heads * tq * tk;
        // dV_bh += P_bhᵀ·dO_bh for every (b, h) at once.
        Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.Transpose, GemmOp.None, tk, hs, tq,
            probs, tk, ps, tq * tk, dOutput, dim, qs, hs, dv, dim, ks, hs, batch, heads, default, accumulate: true);
        // The score gradients of as many batch elements as the scratch holds (all of them when it is batch·ScratchSize).
        int chunk = Math.Min(batch, scratch.Length / ps);
        for (int b0 = 0; b0 < batch; b0 += chunk)
        {
            int nb = Math.Min(chunk, batch - b0);
            var dS = scratch.Slice(0, nb * ps);
            var p = probs.Slice(b0 * ps, nb * ps);
            var dO = dOutput.Slice(b0 * qs, nb * qs);
            var vb = v.Slice(b0 * ks, nb * ks);
            var kb = k.Slice(b0 * ks, nb * ks);
            var qb = q.Slice(b0 * qs, nb * qs);
            // dP_bh = dO_bh·V_bhᵀ, then dS = scale·(P ⊙ (dP − rowdot)) in place.
            Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.Transpose, tq, tk, hs,
                dO, dim, qs, hs, vb, dim, ks, hs, dS, tk, ps, tq * tk, nb, heads, default);
            SoftmaxBackwardRows<TElem>(dS, p, nb * heads * tq, tk, scale);
            // dQ_bh += dS_bh·K_bh ; dK_bh += dS_bhᵀ·Q_bh
            Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.None, tq, hs, tk,
                dS, tk, ps, tq * tk, kb, dim, ks, hs, dq.Slice(b0 * qs, nb * qs), dim, qs, hs, nb, heads, default, accumulate: true);
            Gemm.ComputeBatched2<TMatmul, NoEpilogue>(GemmOp.Transpose, GemmOp.None, tk, hs, tq,
                dS, tk, ps, tq * tk, qb, dim, qs, hs, dk.Slice(b0 * ks, nb * ks), dim, ks, hs, nb, heads, default, accumulate: true);
        }
    }

    /// <summary>
    /// Softmax of <paramref name="rows"/> rows of <paramref name="p"/> in place, rows split over <see cref="RowParallel"/>;
    /// row r belongs to batch element r / <paramref name="rowsPerBatch"/> (its key mask) and query position r mod tq.
    /// </summary>
    private static unsafe void SoftmaxRows<TElem>(Span<float> p, int rows, int rowsPerBatch, int tq, int tk, bool causal, ReadOnlySpan<byte> keyKeep)
        where TElem : struct, IArithmetic
    {
        fixed (float* pp = p)
        fixed (byte* pk = keyKeep)
            RowParallel.For(rows, MinRowsPerThread(tk), 1, new SoftmaxRowsBody<TElem>(pp, pk, keyKeep.Length, rowsPerBatch, tq, tk, causal));
    }

    /// <summary>Softmax backward of <paramref name="rows"/> rows, <c>dS = scale·(P ⊙ (dS − rowdot))</c> in place.</summary>
    private static unsafe void SoftmaxBackwardRows<TElem>(Span<float> dS, ReadOnlySpan<float> p, int rows, int tk, float scale)
        where TElem : struct, IArithmetic
    {
        fixed (float* pd = dS)
        fixed (float* pp = p)
            RowParallel.For(rows, MinRowsPerThread(tk), 1, new SoftmaxBackwardRowsBody<TElem>(pd, pp, tk, scale));
    }

    private static int MinRowsPerThread(int tk) => Math.Max(1, 8192 / tk);

    private readonly unsafe struct SoftmaxRowsBody<TElem>(float* p, byte* keep, int keepLength, int rowsPerBatch, int tq, int tk, bool causal) : IRangeBody
        where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            int r = start;
            // Unmasked rows four at a time (their max and sum scans overlap as independent chains; same bits).
            if (!causal && keepLength == 0)
                for (; r + 4 <= end; r += 4) Softmax.ForwardRowsInPlace4<TElem>(new Span<float>(p + (long)r * tk, 4 * tk), tk);
            for (; r < end; r++)
            {
                // The key mask of row r's batch element (empty: no padding).
                var keepRow = keepLength == 0 ? default : new ReadOnlySpan<byte>(keep + (long)(r / rowsPerBatch) * tk, tk);
                Softmax.ForwardRowInPlace<TElem>(new Span<float>(p + (long)r * tk, tk), causal ? Math.Min(tk, r % tq + 1) : tk, keepRow);
            }
        }
    }

    private readonly unsafe struct SoftmaxBackwardRowsBody<TElem>(float* dS, float* p, int tk, float scale) : IRangeBody
        where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            int r = start;
            // Four rows at a time (their index-order dot products overlap as independent chains) where the vector path runs.
            if (Vec.Body(tk) > 0 && tk <= 1024)
                for (; r + 4 <= end; r += 4)
                    Softmax.BackwardRowsInPlace4<TElem>(new Span<float>(dS + (long)r * tk, 4 * tk), new ReadOnlySpan<float>(p + (long)r * tk, 4 * tk), tk, scale);
            for (; r < end; r++)
            {
                var row = new Span<float>(dS + (long)r * tk, tk);
                Softmax.BackwardRow<TElem>(row, row, new ReadOnlySpan<float>(p + (long)r * tk, tk), scale, accumulate: false);
            }
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
        if (scratchLen < ScratchSize(heads, tq, tk))
            throw new ArgumentException($"{op}: scratch holds {scratchLen} floats but needs {ScratchSize(heads, tq, tk)} (Attention.ScratchSize).", "scratch");
        return hs;
    }
}
