using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// Token plus positional embedding: <c>out[b, t, :] = Mul(wte[tokens[b, t], :], scale) + wpe[t, :]</c>.
/// A scale of exactly 1 is skipped (no multiply at all); other scales (e.g. √C formed with the mode's
/// <c>Sqrt</c>) go through <c>TElem</c>.
/// </summary>
[MultiplicationFree]
public static class Embedding
{
    /// <summary>Forward pass.</summary>
    /// <param name="output">[batch, seq, dim]</param>
    /// <param name="tokens">[batch, seq] token ids in [0, vocab)</param>
    /// <param name="tokenTable">wte [vocab, dim]</param>
    /// <param name="positionTable">wpe [maxSeq ≥ seq, dim]</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="seq">Sequence length.</param>
    /// <param name="dim">Embedding width.</param>
    /// <param name="scale">Multiplier of the token embedding (1 = none).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TElem>(Span<float> output, ReadOnlySpan<int> tokens, ReadOnlySpan<float> tokenTable, ReadOnlySpan<float> positionTable,
        int batch, int seq, int dim, float scale = 1f) where TElem : struct, IArithmetic
    {
        int vocab = Check(output.Length, tokens, tokenTable.Length, positionTable.Length, batch, seq, dim, "Embedding.Forward");
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < seq; t++)
            {
                int id = tokens[b * seq + t];
                if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Embedding.Forward: token at [{b}, {t}] is {id}, outside the vocabulary [0, {vocab}).");
                var o = output.Slice((b * seq + t) * dim, dim);
                var e = tokenTable.Slice(id * dim, dim);
                var p = positionTable.Slice(t * dim, dim);
                if (scale == 1f)
                {
                    // Plain additions: the vector and scalar forms give the same bits.
                    int body = Vec.Body(dim);
                    for (int c = 0; c < body; c += Vec.Width) Vec.Store(Vec.Load(e, c) + Vec.Load(p, c), o, c);
                    for (int c = body; c < dim; c++) o[c] = e[c] + p[c];
                }
                else
                    for (int c = 0; c < dim; c++) o[c] = TElem.Mul(e[c], scale) + p[c];
            }
        }
    }

    /// <summary>Backward pass; accumulates into both tables (rows of repeated tokens add up in token order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<TElem>(Span<float> dTokenTable, Span<float> dPositionTable, ReadOnlySpan<float> dOutput, ReadOnlySpan<int> tokens,
        int batch, int seq, int dim, float scale = 1f) where TElem : struct, IArithmetic
    {
        int vocab = Check(dOutput.Length, tokens, dTokenTable.Length, dPositionTable.Length, batch, seq, dim, "Embedding.Backward");
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < seq; t++)
            {
                int id = tokens[b * seq + t];
                if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Embedding.Backward: token at [{b}, {t}] is {id}, outside the vocabulary [0, {vocab}).");
                var g = dOutput.Slice((b * seq + t) * dim, dim);
                var de = dTokenTable.Slice(id * dim, dim);
                var dp = dPositionTable.Slice(t * dim, dim);
                int body = scale == 1f ? Vec.Body(dim) : 0;
                for (int c = 0; c < body; c += Vec.Width)
                {
                    var gv = Vec.Load(g, c);
                    Vec.Store(Vec.Load(de, c) + gv, de, c);
                    Vec.Store(Vec.Load(dp, c) + gv, dp, c);
                }
                for (int c = body; c < dim; c++)
                {
                    de[c] += scale == 1f ? g[c] : TElem.Mul(g[c], scale);
                    dp[c] += g[c];
                }
            }
        }
    }

    private static int Check(int outLen, ReadOnlySpan<int> tokens, int wteLen, int wpeLen, int batch, int seq, int dim, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(seq, op, nameof(seq));
        Shapes.RequirePositive(dim, op, nameof(dim));
        Shapes.Require(outLen, op, "output", batch, seq, dim);
        if (tokens.Length != batch * seq)
            throw new ArgumentException($"{op}: 'tokens' holds {tokens.Length} ids but must have shape {Shapes.Format(new[] { batch, seq })}.", nameof(tokens));
        if (wteLen % dim != 0 || wteLen == 0)
            throw new ArgumentException($"{op}: the token table holds {wteLen} floats, not a whole number of rows of width {dim} (shape [vocab, {dim}]).", "tokenTable");
        if (wpeLen % dim != 0 || wpeLen / dim < seq)
            throw new ArgumentException($"{op}: the position table holds {wpeLen} floats, shape [{wpeLen / dim}, {dim}], but sequence length {seq} needs at least [{seq}, {dim}].", "positionTable");
        return wteLen / dim;
    }
}
