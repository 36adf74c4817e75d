using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// <see cref="Attention.Forward"/> with the score scale fused into the softmax row pass: <c>S = Q·Kᵀ</c> is a plain
/// GEMM, and each row computes <c>Mul(Mul(s, scale), log2 e)</c> on the way into its softmax, where
/// <see cref="Attention.Forward"/> applies <c>Mul(s, scale)</c> in the GEMM epilogue and the softmax then multiplies by
/// log2 e. Each score sees the same two products in the same order, so probabilities and output are the same bits;
/// one epilogue pass over the scores is saved. Backward is <see cref="Attention.Backward"/> (it needs only the probabilities).
/// </summary>
[MultiplicationFree]
public static class AttentionFused
{
    /// <summary>Forward pass; arguments as <see cref="Attention.Forward"/>.</summary>
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
    public static unsafe void Forward<TMatmul, TElem>(Span<float> output, Span<float> probs,
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<byte> keyKeep,
        int batch, int tq, int tk, int dim, int heads, bool causal)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        const string op = "AttentionFused.Forward";
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(tq, op, nameof(tq));
        Shapes.RequirePositive(tk, op, nameof(tk));
        Shapes.RequirePositive(heads, op, nameof(heads));
        if (dim <= 0 || dim % heads != 0)
            throw new ArgumentException($"{op}: width {dim} is not a positive multiple of the head count {heads}.", nameof(dim));
        if (causal && tq != tk)
            throw new ArgumentException($"{op}: causal attention needs equal query and key lengths, got {tq} and {tk}.", nameof(causal));
        Shapes.Require(output.Length, op, nameof(output), batch, tq, dim);
        Shapes.Require(probs.Length, op, nameof(probs), batch, heads, tq, tk);
        Shapes.Require(q.Length, op, nameof(q), batch, tq, dim);
        Shapes.Require(k.Length, op, nameof(k), batch, tk, dim);
        Shapes.Require(v.Length, op, nameof(v), batch, tk, dim);
        Shapes.RequireOptional(keyKeep.Length, op, nameof(keyKeep), batch, tk);
        int hs = dim / heads;
        float scale = Attention.Scale<TElem>(hs);
        int qs = tq * dim, ks = tk * dim, ps = heads * tq * tk;
        for (int b = 0; b < batch; b++)
        {
            var p = probs.Slice(b * ps, ps);
            Gemm.ComputeBatched<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.Transpose, tq, tk, hs,
                q.Slice(b * qs, qs), dim, hs, k.Slice(b * ks, ks), dim, hs, p, tk, tq * tk, heads, default);
            var keep = keyKeep.IsEmpty ? default : keyKeep.Slice(b * tk, tk);
            fixed (float* pp = p)
            fixed (byte* pk = keep)
                RowParallel.For(heads * tq, Math.Max(1, 8192 / tk), 1, new RowsBody<TElem>(pp, pk, keep.Length, tq, tk, causal, scale));
            Gemm.ComputeBatched<TMatmul, NoEpilogue>(GemmOp.None, GemmOp.None, tq, hs, tk,
                p, tk, tq * tk, v.Slice(b * ks, ks), dim, hs, output.Slice(b * qs, qs), dim, hs, heads, default);
        }
    }

    private readonly unsafe struct RowsBody<TElem>(float* p, byte* keep, int keepLength, int tq, int tk, bool causal, float scale) : IRangeBody
        where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            var keepRow = new ReadOnlySpan<byte>(keep, keepLength);
            for (int r = start; r < end; r++)
                ScaledSoftmaxRow<TElem>(new Span<float>(p + (long)r * tk, tk), causal ? Math.Min(tk, r % tq + 1) : tk, keepRow, scale);
        }
    }

    /// <summary>
    /// <c>row[j] = Mul(row[j], scale)</c> for j &lt; <paramref name="limit"/>, then the softmax of the row as
    /// <see cref="Softmax"/> computes it; the two products of each entry happen in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaledSoftmaxRow<TElem>(Span<float> row, int limit, ReadOnlySpan<byte> keep, float scale) where TElem : struct, IArithmetic
    {
        int body = Vec.BodyWithTranscendentals<TElem>(limit);
        var log2e = Vector512.Create(Softmax.Log2E);
        var vscale = Vector512.Create(scale);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Mul(TElem.Mul(Vec.Load(row, j), vscale), log2e), row, j);
        for (int j = body; j < limit; j++) row[j] = TElem.Mul(TElem.Mul(row[j], scale), Softmax.Log2E);
        Softmax.NormalizeLog2RowInPlace<TElem>(row, limit, keep);
    }
}
