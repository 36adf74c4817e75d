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
        // A sum in index order is one chain of dependent additions; to keep the adder busy a thread advances four
        // tensors' chains side by side, so tensors are grouped four at a time by similar length (longest first).
        var partial = new float[grads.Count];
        var order = new int[grads.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var lengths = new int[grads.Count];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = -grads[i].Length;
        Array.Sort(lengths, order);
        RowParallel.For((order.Length + 3) / 4, 1, 1, new SumOfSquaresBody<TElem>(grads, order, partial));
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

    /// <summary>Groups of four tensors (by <c>order</c>): each group's sums side by side, one group per work item.</summary>
    private readonly struct SumOfSquaresBody<TElem>(IReadOnlyList<Tensor> grads, int[] order, float[] partial) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            for (int group = start; group < end; group++)
            {
                int first = 4 * group;
                if (first + 4 <= order.Length)
                {
                    int a = order[first], b = order[first + 1], c = order[first + 2], d = order[first + 3];
                    (partial[a], partial[b], partial[c], partial[d]) = SumOfSquares4<TElem>(grads[a].Span, grads[b].Span, grads[c].Span, grads[d].Span);
                }
                else
                {
                    for (int i = first; i < order.Length; i++) partial[order[i]] = SumOfSquares<TElem>(grads[order[i]].Span, 0, 0f);
                }
            }
        }
    }

    private readonly struct ScaleBody<TElem>(IReadOnlyList<Tensor> grads, float scale) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            for (int t = start; t < end; t++) Scale<TElem>(grads[t].Span, scale);
        }
    }

    /// <summary>
    /// <c>s + Σ Mul(g[i], g[i])</c> for i from <paramref name="from"/> (a multiple of the vector width) in index order;
    /// the squares of the vector body are formed 16 at a time (the same bits as the scalar Mul), the tail's one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfSquares<TElem>(ReadOnlySpan<float> g, int from, float s) where TElem : struct, IArithmetic
    {
        int body = Vec.Body(g.Length);
        Span<float> squares = stackalloc float[Vec.Width];
        for (int i = from; i < body; i += Vec.Width)
        {
            var v = Vec.Load(g, i);
            Vec.Store(TElem.Mul(v, v), squares, 0);
            for (int j = 0; j < Vec.Width; j++) s += squares[j];
        }
        for (int i = Math.Max(from, body); i < g.Length; i++) s += TElem.Mul(g[i], g[i]);
        return s;
    }

    /// <summary>
    /// <see cref="SumOfSquares{TElem}"/> of four tensors, their four chains of additions interleaved over the vector body
    /// they have in common, each then finished on its own: every sum keeps its index order, hence its bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float, float, float, float) SumOfSquares4<TElem>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d)
        where TElem : struct, IArithmetic
    {
        int common = Math.Min(Math.Min(Vec.Body(a.Length), Vec.Body(b.Length)), Math.Min(Vec.Body(c.Length), Vec.Body(d.Length)));
        float sa = 0f, sb = 0f, sc = 0f, sd = 0f;
        Span<float> squares = stackalloc float[4 * Vec.Width];
        for (int i = 0; i < common; i += Vec.Width)
        {
            var va = Vec.Load(a, i);
            var vb = Vec.Load(b, i);
            var vc = Vec.Load(c, i);
            var vd = Vec.Load(d, i);
            Vec.Store(TElem.Mul(va, va), squares, 0);
            Vec.Store(TElem.Mul(vb, vb), squares, Vec.Width);
            Vec.Store(TElem.Mul(vc, vc), squares, 2 * Vec.Width);
            Vec.Store(TElem.Mul(vd, vd), squares, 3 * Vec.Width);
            for (int j = 0; j < Vec.Width; j++)
            {
                sa += squares[j];
                sb += squares[Vec.Width + j];
                sc += squares[2 * Vec.Width + j];
                sd += squares[3 * Vec.Width + j];
            }
        }
        return (SumOfSquares<TElem>(a, common, sa), SumOfSquares<TElem>(b, common, sb), SumOfSquares<TElem>(c, common, sc), SumOfSquares<TElem>(d, common, sd));
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
