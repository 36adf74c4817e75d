using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// A learned positional embedding added to a float sequence: <c>out[b, t, :] = x[b, t, :] + P[t, :]</c>
/// (the position half of <see cref="Embedding"/>, for inputs that are not token ids). Additions only.
/// </summary>
[MultiplicationFree]
public static class PositionalEmbedding
{
    /// <summary>Forward pass.</summary>
    /// <param name="output">[batch, seq, dim]</param>
    /// <param name="input">[batch, seq, dim]</param>
    /// <param name="positionTable">[maxSeq ≥ seq, dim]</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="seq">Sequence length.</param>
    /// <param name="dim">Width.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> positionTable, int batch, int seq, int dim)
    {
        Check(output.Length, input.Length, positionTable.Length, batch, seq, dim, "PositionalEmbedding.Forward");
        for (int b = 0; b < batch; b++)
            Residual.Forward(output.Slice(b * seq * dim, seq * dim), input.Slice(b * seq * dim, seq * dim), positionTable.Slice(0, seq * dim));
    }

    /// <summary>Backward pass: <c>dx += dout</c>, <c>dP[t] += Σ_b dout[b, t]</c> (batch elements added in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Span<float> dInput, Span<float> dPositionTable, ReadOnlySpan<float> dOutput, int batch, int seq, int dim)
    {
        Check(dOutput.Length, dInput.Length, dPositionTable.Length, batch, seq, dim, "PositionalEmbedding.Backward");
        for (int b = 0; b < batch; b++)
            Residual.Backward(dInput.Slice(b * seq * dim, seq * dim), dPositionTable.Slice(0, seq * dim), dOutput.Slice(b * seq * dim, seq * dim));
    }

    private static void Check(int outLen, int inLen, int tableLen, int batch, int seq, int dim, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(seq, op, nameof(seq));
        Shapes.RequirePositive(dim, op, nameof(dim));
        Shapes.Require(outLen, op, "output", batch, seq, dim);
        Shapes.Require(inLen, op, "input", batch, seq, dim);
        if (tableLen % dim != 0 || tableLen / dim < seq)
            throw new ArgumentException($"{op}: the position table holds {tableLen} floats, shape [{tableLen / dim}, {dim}], but sequence length {seq} needs at least [{seq}, {dim}].", "positionTable");
    }
}
