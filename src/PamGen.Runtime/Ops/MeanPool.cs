using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// Mean over the sequence of the kept positions: <c>out[b, c] = Div(Σ_{t kept} x[b, t, c], count_b)</c>.
/// A sequence with no kept position gives zeros.
/// </summary>
[MultiplicationFree]
public static class MeanPool
{
    /// <summary>Forward pass.</summary>
    /// <param name="output">[batch, dim]</param>
    /// <param name="input">[batch, seq, dim]</param>
    /// <param name="keep">[batch, seq], 1 = include; empty = all</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="seq">Sequence length.</param>
    /// <param name="dim">Width.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TElem>(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<byte> keep, int batch, int seq, int dim)
        where TElem : struct, IArithmetic
    {
        Check(output.Length, input.Length, keep.Length, batch, seq, dim, "MeanPool.Forward");
        for (int b = 0; b < batch; b++)
        {
            var o = output.Slice(b * dim, dim);
            o.Clear();
            int count = 0;
            for (int t = 0; t < seq; t++)
            {
                if (!keep.IsEmpty && keep[b * seq + t] == 0) continue;
                count++;
                var x = input.Slice((b * seq + t) * dim, dim);
                for (int c = 0; c < dim; c++) o[c] += x[c];
            }
            if (count == 0) continue;
            float n = count;
            for (int c = 0; c < dim; c++) o[c] = TElem.Div(o[c], n);
        }
    }

    /// <summary>Backward pass: <c>dx[b, t, c] += Div(dout[b, c], count_b)</c> for kept positions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<byte> keep, int batch, int seq, int dim)
        where TElem : struct, IArithmetic
    {
        Check(dOutput.Length, dInput.Length, keep.Length, batch, seq, dim, "MeanPool.Backward");
        for (int b = 0; b < batch; b++)
        {
            int count = 0;
            for (int t = 0; t < seq; t++) if (keep.IsEmpty || keep[b * seq + t] != 0) count++;
            if (count == 0) continue;
            float n = count;
            var g = dOutput.Slice(b * dim, dim);
            for (int t = 0; t < seq; t++)
            {
                if (!keep.IsEmpty && keep[b * seq + t] == 0) continue;
                var dx = dInput.Slice((b * seq + t) * dim, dim);
                for (int c = 0; c < dim; c++) dx[c] += TElem.Div(g[c], n);
            }
        }
    }

    private static void Check(int outLen, int inLen, int keepLen, int batch, int seq, int dim, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(seq, op, nameof(seq));
        Shapes.RequirePositive(dim, op, nameof(dim));
        Shapes.Require(outLen, op, "output", batch, dim);
        Shapes.Require(inLen, op, "input", batch, seq, dim);
        Shapes.RequireOptional(keepLen, op, "keep", batch, seq);
    }
}
