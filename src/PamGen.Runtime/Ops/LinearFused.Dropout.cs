using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

public static partial class LinearFused
{
    /// <summary>
    /// <c>output = residual + Dropout(input·Wᵀ + bias)</c> in one GEMM pass: the bits of <see cref="Linear.Forward"/>
    /// followed by <see cref="Dropout.Forward{TElem}"/> and <see cref="Residual.Forward"/> (element <c>i·outDim + j</c>
    /// draws the same keep decision from <paramref name="seed"/>), without writing the linear or the dropout output.
    /// Backward is <see cref="Dropout.Backward{TElem}"/>'s (or its residual-fused form's) into the linear output's
    /// gradient, then <see cref="Linear.Backward"/>: both need only the seed and the gradients.
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
    /// <param name="seed">The dropout stream (as <see cref="Dropout.Forward{TElem}"/> takes it).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void ForwardDropoutResidual<TMatmul, TElem>(Span<float> output, ReadOnlySpan<float> residual, ReadOnlySpan<float> input,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int inDim, int outDim, float p, ulong seed)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
    {
        Check(output.Length, input.Length, weight.Length, bias.Length, n, inDim, outDim, "LinearFused.ForwardDropoutResidual");
        Shapes.Require(residual.Length, "LinearFused.ForwardDropoutResidual", nameof(residual), n, outDim);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        float scale = TElem.Div(1f, 1f - p);
        fixed (float* pb = bias)
        fixed (float* pr = residual)
            Gemm.Compute<TMatmul, BiasDropoutResidualEpilogue<TElem>>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, input, weight, output,
                new BiasDropoutResidualEpilogue<TElem>(bias.IsEmpty ? null : pb, pr, outDim, p, scale, seed));
    }
}

/// <summary>
/// Epilogue of <see cref="LinearFused.ForwardDropoutResidual"/>: <c>x = C + bias</c>, then
/// <c>C = residual + (keep(i) ? Mul(x, scale) : 0)</c> with <c>i = row·ld + column</c>, as <see cref="Dropout"/> draws it.
/// </summary>
[MultiplicationFree]
internal readonly unsafe struct BiasDropoutResidualEpilogue<TElem>(float* bias, float* residual, int ld, float p, float scale, ulong seed) : IGemmEpilogue
    where TElem : struct, IArithmetic
{
    public void Apply(Span<float> values, int row, int column)
    {
        if (bias != null) LinearFused.AddInto(values, new ReadOnlySpan<float>(bias + column, values.Length));
        int at = row * ld + column;
        var r = new ReadOnlySpan<float>(residual + at, values.Length);
        int body = Vec.Body(values.Length);
        var vseed = Vector512.Create(seed);
        var vp = Vector512.Create(p);
        var vscale = Vector512.Create(scale);
        for (int j = 0; j < body; j += Vec.Width)
            Vec.Store(Vec.Load(r, j) + Vector512.ConditionalSelect(Dropout.KeepMask(vseed, at + j, vp), TElem.Mul(Vec.Load(values, j), vscale), Vector512<float>.Zero), values, j);
        for (int j = body; j < values.Length; j++) values[j] = r[j] + (Dropout.Keep(seed, at + j, p) ? TElem.Mul(values[j], scale) : 0f);
    }
}
