using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Global-norm gradient clipping: <c>norm = Sqrt(Σ Mul(g, g))</c> over every tensor; when it exceeds the limit each
/// gradient is scaled by <c>Div(max, norm + 1e-6)</c> through the mode's <c>Mul</c>. A non-finite norm stops the step
/// with the first non-finite tensor's name.
/// </summary>
[MultiplicationFree]
public static class GradientClipping
{
    /// <summary>Clips in place and returns the norm before clipping.</summary>
    /// <param name="grads">The gradient tensors, in the order to search when the norm is not finite.</param>
    /// <param name="maxNorm">The limit; 0 or less (or ∞) measures without clipping.</param>
    /// <param name="step">The training step, for the error message.</param>
    /// <param name="locate">Optional: names the operation where a non-finite gradient first appeared (searched before the gradients themselves).</param>
    public static float ClipGlobalNorm<TElem>(IReadOnlyList<Tensor> grads, float maxNorm, int step, Func<string?>? locate = null) where TElem : struct, IArithmetic
    {
        // Partial sums per tensor keep the float32 accumulation short. Each tensor's sum is one thread's, in index
        // order, and the partial sums are added in tensor order: the same bits on any number of threads.
        var partial = new float[grads.Count];
        RowParallel.For(grads.Count, 1, 1, new SumOfSquaresBody<TElem>(grads, partial));
        float total = 0f;
        foreach (float s in partial) total += s;
        if (!float.IsFinite(total))
        {
            string? source = locate?.Invoke();
            if (source is not null) throw new NonFiniteException(source, step, "backward");
            foreach (var t in grads)
                if (!NonFiniteException.AllFinite(t.Span)) throw new NonFiniteException(t.Name, step, "backward");
            throw new NonFiniteException("gradient norm (overflow of the sum of squares)", step, "backward");
        }
        float norm = TElem.Sqrt(total);
        if (maxNorm > 0f && float.IsFinite(maxNorm) && norm > maxNorm)
        {
            float scale = TElem.Div(maxNorm, norm + 1e-6f);
            // Elementwise: tensors spread over RowParallel give the same bits as one pass.
            RowParallel.For(grads.Count, 1, 1, new ScaleBody<TElem>(grads, scale));
        }
        return norm;
    }

    private readonly struct SumOfSquaresBody<TElem>(IReadOnlyList<Tensor> grads, float[] partial) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            for (int t = start; t < end; t++) partial[t] = SumOfSquares<TElem>(grads[t].Span);
        }
    }

    private readonly struct ScaleBody<TElem>(IReadOnlyList<Tensor> grads, float scale) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            for (int t = start; t < end; t++) Scale<TElem>(grads[t].Span, scale);
        }
    }

    /// <summary><c>Σ Mul(g, g)</c> in index order; the squares are formed 16 at a time (the same bits as the scalar Mul).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfSquares<TElem>(ReadOnlySpan<float> g) where TElem : struct, IArithmetic
    {
        float s = 0f;
        int body = Vec.Body(g.Length);
        Span<float> squares = stackalloc float[Vec.Width];
        for (int i = 0; i < body; i += Vec.Width)
        {
            var v = Vec.Load(g, i);
            Vec.Store(TElem.Mul(v, v), squares, 0);
            for (int j = 0; j < Vec.Width; j++) s += squares[j];
        }
        for (int i = body; i < g.Length; i++) s += TElem.Mul(g[i], g[i]);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale<TElem>(Span<float> span, float scale) where TElem : struct, IArithmetic
    {
        int body = Vec.Body(span.Length);
        var vscale = Vector512.Create(scale);
        for (int i = 0; i < body; i += Vec.Width) Vec.Store(TElem.Mul(Vec.Load(span, i), vscale), span, i);
        for (int i = body; i < span.Length; i++) span[i] = TElem.Mul(span[i], scale);
    }
}
