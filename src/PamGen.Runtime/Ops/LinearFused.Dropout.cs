using System;
using System.Runtime.CompilerServices;

namespace PamGen;

public static partial class LinearFused
{
    /// <summary>
    /// <c>output = residual + Dropout(input·Wᵀ + bias)</c> in one GEMM pass: the GEMM writes its sums into
    /// <paramref name="output"/> and the epilogue adds the bias, applies the counter-based dropout mask of element
    /// <c>row·outDim + column</c> and adds the residual, while the tile is in cache. Each element sees the
    /// operations of <see cref="Linear.Forward"/> followed by <see cref="Dropout.Forward{TElem}"/> and
    /// <see cref="Residual.Forward"/> in the same order, so the bits are the same. Backward is
    /// <see cref="Dropout.BackwardResidual{TElem}"/> (into the linear output's gradient) and then
    /// <see cref="Linear.Backward"/>.
    /// </summary>
    /// <param name="output">[n, outDim]</param>
    /// <param name="residual">[n, outDim]</param>
    /// <param name="input">[n, inDim]</param>
    /// <param name="weight">[outDim, inDim]</param>
    /// <param name="bias">[outDim], or empty</param>
    /// <param name="n">Rows.</param>
    /// <param name="inDim">Input features.</param>
    /// <param name="outDim">Output features.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="seed">The dropout stream (the same seed <see cref="Dropout.Forward{TElem}"/> would take).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void ForwardDropoutResidual<TMatmul, TElem>(Span<float> output, ReadOnlySpan<float> residual, ReadOnlySpan<float> input,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int inDim, int outDim, float p, ulong seed)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        Check(output.Length, input.Length, weight.Length, bias.Length, n, inDim, outDim, "LinearFused.ForwardDropoutResidual");
        Shapes.Require(residual.Length, "LinearFused.ForwardDropoutResidual", nameof(residual), n, outDim);
        float scale = Dropout.KeptScale<TElem>(p);
        fixed (float* pb = bias)
        fixed (float* pr = residual)
            Gemm.Compute<TMatmul, BiasDropoutResidualEpilogue<TElem>>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, input, weight, output,
                new BiasDropoutResidualEpilogue<TElem>(bias.IsEmpty ? null : pb, pr, outDim, p, scale, seed));
    }
}

/// <summary>
/// Epilogue of <see cref="LinearFused.ForwardDropoutResidual{TMatmul, TElem}"/>: <c>C = residual + Dropout(C + bias)</c>,
/// the unfused order. Pointers are pinned by the caller for the GEMM's duration.
/// </summary>
[MultiplicationFree]
internal readonly unsafe struct BiasDropoutResidualEpilogue<TElem>(float* bias, float* residual, int ld, float p, float scale, ulong seed) : IGemmEpilogue
    where TElem : struct, IArithmetic
{
    public void Apply(Span<float> values, int row, int column)
    {
        if (bias != null) LinearFused.AddInto(values, new ReadOnlySpan<float>(bias + column, values.Length));
        Dropout.ResidualRun<TElem>(values, new ReadOnlySpan<float>(residual + (long)row * ld + column, values.Length), row * ld + column, p, scale, seed);
    }
}
