using System;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// A fused GEMM epilogue: applied exactly once to every C element after its full k sum (including the
/// starting C value when accumulating), while the tile is still in cache. Implement it as a struct so the JIT
/// inlines it into the GEMM body; it must be element-wise (a lane's result depends only on its own value,
/// row and column) so that every SIMD path and thread count gives the same bits.
/// </summary>
[MultiplicationFree]
public interface IGemmEpilogue
{
    /// <summary>
    /// Transforms <paramref name="values"/> in place: C[<paramref name="row"/>, <paramref name="column"/> + i] for
    /// each i. In a batched GEMM, rows and columns are those of one batch item and the same epilogue applies to each item.
    /// </summary>
    void Apply(Span<float> values, int row, int column);
}

/// <summary>No epilogue: C is the plain product.</summary>
[MultiplicationFree]
public readonly struct NoEpilogue : IGemmEpilogue
{
    /// <inheritdoc />
    public void Apply(Span<float> values, int row, int column) { }
}

/// <summary>Adds a per-column bias: <c>C[i,j] = sum + bias[j]</c>.</summary>
/// <param name="Bias">One value per column of C (at least n).</param>
[MultiplicationFree]
public readonly record struct BiasEpilogue(ReadOnlyMemory<float> Bias) : IGemmEpilogue
{
    /// <inheritdoc />
    public void Apply(Span<float> values, int row, int column)
    {
        ReadOnlySpan<float> bias = Bias.Span.Slice(column, values.Length);
        int i = 0;
        for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            (Vector256.Create(values.Slice(i)) + Vector256.Create(bias.Slice(i))).CopyTo(values.Slice(i));
        for (; i < values.Length; i++) values[i] += bias[i];
    }
}

/// <summary>
/// Adds a per-column bias, then ReLU: <c>C[i,j] = x &gt; 0 ? x : +0</c> with <c>x = sum + bias[j]</c>, except that
/// NaN passes through (a NaN must surface in the loss, not vanish).
/// </summary>
/// <param name="Bias">One value per column of C (at least n).</param>
[MultiplicationFree]
public readonly record struct BiasReluEpilogue(ReadOnlyMemory<float> Bias) : IGemmEpilogue
{
    /// <inheritdoc />
    public void Apply(Span<float> values, int row, int column)
    {
        ReadOnlySpan<float> bias = Bias.Span.Slice(column, values.Length);
        int i = 0;
        for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var x = Vector256.Create(values.Slice(i)) + Vector256.Create(bias.Slice(i));
            Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.Zero, x).CopyTo(values.Slice(i));
        }
        for (; i < values.Length; i++)
        {
            float x = values[i] + bias[i];
            values[i] = x <= 0f ? 0f : x;
        }
    }
}

/// <summary>Adds a residual: <c>C[i,j] = sum + residual[i·ld + j]</c>.</summary>
/// <param name="Residual">The residual matrix, row-major.</param>
/// <param name="LeadingDimension">Elements between consecutive rows of <paramref name="Residual"/> (usually n).</param>
[MultiplicationFree]
public readonly record struct ResidualEpilogue(ReadOnlyMemory<float> Residual, int LeadingDimension) : IGemmEpilogue
{
    /// <inheritdoc />
    public void Apply(Span<float> values, int row, int column)
    {
        ReadOnlySpan<float> res = Residual.Span.Slice(row * LeadingDimension + column, values.Length);
        int i = 0;
        for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            (Vector256.Create(values.Slice(i)) + Vector256.Create(res.Slice(i))).CopyTo(values.Slice(i));
        for (; i < values.Length; i++) values[i] += res[i];
    }
}

/// <summary>Scales by a constant in the mode's arithmetic: <c>C[i,j] = TArith.Mul(sum, scale)</c> (a PAM product in PAM modes).</summary>
/// <typeparam name="TArith">The arithmetic mode; its vector <c>Mul</c> is bit-identical to its scalar one.</typeparam>
/// <param name="Scale">The constant factor (e.g. the attention scale 1/√d).</param>
[MultiplicationFree]
public readonly record struct ScaleEpilogue<TArith>(float Scale) : IGemmEpilogue where TArith : struct, IArithmetic
{
    /// <inheritdoc />
    public unsafe void Apply(Span<float> values, int row, int column)
    {
        int i = 0;
        fixed (float* v = values)
        {
            // A PAM product is tens of instructions per vector: the widest vectors, loaded without span slicing.
            if (Vector512.IsHardwareAccelerated)
            {
                var s16 = Vector512.Create(Scale);
                for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                    Vector512.Store(TArith.Mul(Vector512.Load(v + i), s16), v + i);
            }
            var s = Vector256.Create(Scale);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Store(TArith.Mul(Vector256.Load(v + i), s), v + i);
        }
        for (; i < values.Length; i++) values[i] = TArith.Mul(values[i], Scale);
    }
}
