using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>Hyper-parameters of <see cref="AdamW"/>.</summary>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Epsilon">Denominator guard.</param>
/// <param name="WeightDecay">Decoupled weight decay (applied to parameters declared with decay).</param>
public sealed record AdamWOptions(float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f, float WeightDecay = 0.01f);

/// <summary>
/// AdamW, NUMERICS.md §3: <c>m = Mul(m, β1) + Mul(g, 1 − β1)</c>, <c>v = Mul(v, β2) + Mul(Mul(g, g), 1 − β2)</c>,
/// <c>p −= Mul(p, Mul(wd, lr))</c>, <c>p −= Mul(Div(m, Sqrt(v) + ε), step)</c> with the per-step scalar
/// <c>step = Div(Mul(lr, Sqrt(1 − Pow(β2, t))), 1 − Pow(β1, t))</c> computed in the same arithmetic
/// (the bias corrections folded into the step size, as in Kingma &amp; Ba §2).
/// </summary>
[MultiplicationFree]
public static class AdamW
{
    /// <summary>The per-step scalars: the step size with bias corrections and the decay factor <c>Mul(wd, lr)</c>.</summary>
    public static (float Step, float Decay) Scalars<TElem>(float learningRate, int t, AdamWOptions o) where TElem : struct, IArithmetic
    {
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "AdamW steps count from 1.");
        float bc1 = 1f - TElem.Pow(o.Beta1, t);
        float bc2 = 1f - TElem.Pow(o.Beta2, t);
        return (TElem.Div(TElem.Mul(learningRate, TElem.Sqrt(bc2)), bc1), TElem.Mul(o.WeightDecay, learningRate));
    }

    /// <summary>Updates one parameter tensor in place.</summary>
    /// <param name="param">[n]</param>
    /// <param name="m">[n] first moments</param>
    /// <param name="v">[n] second moments</param>
    /// <param name="grad">[n]</param>
    /// <param name="step">From <see cref="Scalars{TElem}"/>.</param>
    /// <param name="decay">From <see cref="Scalars{TElem}"/>; pass 0 for parameters without weight decay.</param>
    /// <param name="o">Hyper-parameters.</param>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Update<TElem>(Span<float> param, Span<float> m, Span<float> v, ReadOnlySpan<float> grad, float step, float decay, AdamWOptions o)
        where TElem : struct, IArithmetic
    {
        Relu.RequireSame(param.Length, m.Length, "AdamW.Update");
        Relu.RequireSame(param.Length, v.Length, "AdamW.Update");
        Relu.RequireSame(param.Length, grad.Length, "AdamW.Update");
        // Elements are independent: chunks over RowParallel give the same bits as one pass.
        fixed (float* pp = param)
        fixed (float* pm = m)
        fixed (float* pv = v)
        fixed (float* pg = grad)
            RowParallel.For(param.Length, 16384, Vec.Width, new UpdateBody<TElem>(pp, pm, pv, pg, step, decay, o.Beta1, o.Beta2, o.Epsilon));
    }

    private readonly unsafe struct UpdateBody<TElem>(float* p, float* m, float* v, float* g, float step, float decay, float beta1, float beta2, float eps)
        : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end) => UpdateCore<TElem>(new Span<float>(p + start, end - start), new Span<float>(m + start, end - start),
            new Span<float>(v + start, end - start), new ReadOnlySpan<float>(g + start, end - start), step, decay, beta1, beta2, eps);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateCore<TElem>(Span<float> param, Span<float> m, Span<float> v, ReadOnlySpan<float> grad, float step, float decay,
        float beta1, float beta2, float epsilon) where TElem : struct, IArithmetic
    {
        var o = (Beta1: beta1, Beta2: beta2, Epsilon: epsilon);
        float c1 = 1f - o.Beta1, c2 = 1f - o.Beta2;
        int body = Vec.Body(param.Length);
        Vector512<float> b1 = Vector512.Create(o.Beta1), b2 = Vector512.Create(o.Beta2), vc1 = Vector512.Create(c1), vc2 = Vector512.Create(c2),
            veps = Vector512.Create(o.Epsilon), vstep = Vector512.Create(step), vdecay = Vector512.Create(decay);
        for (int i = 0; i < body; i += Vec.Width)
        {
            var g = Vec.Load(grad, i);
            var mi = TElem.Mul(Vec.Load(m, i), b1) + TElem.Mul(g, vc1);
            var vi = TElem.Mul(Vec.Load(v, i), b2) + TElem.Mul(TElem.Mul(g, g), vc2);
            Vec.Store(mi, m, i);
            Vec.Store(vi, v, i);
            var p = Vec.Load(param, i);
            if (decay != 0f) p -= TElem.Mul(p, vdecay);
            Vec.Store(p - TElem.Mul(TElem.Div(mi, TElem.Sqrt(vi) + veps), vstep), param, i);
        }
        for (int i = body; i < param.Length; i++)
        {
            float g = grad[i];
            float mi = TElem.Mul(m[i], o.Beta1) + TElem.Mul(g, c1);
            float vi = TElem.Mul(v[i], o.Beta2) + TElem.Mul(TElem.Mul(g, g), c2);
            m[i] = mi;
            v[i] = vi;
            float p = param[i];
            if (decay != 0f) p -= TElem.Mul(p, decay);
            param[i] = p - TElem.Mul(TElem.Div(mi, TElem.Sqrt(vi) + o.Epsilon), step);
        }
    }

    /// <summary>
    /// Updates every parameter of an arena (step <paramref name="t"/> counts from 1) in one pass split over
    /// <see cref="RowParallel"/>: the arena keeps parameters, gradients and both moments contiguous in the same layout,
    /// so the threads share out the whole parameter range rather than one tensor at a time (one fork/join instead of
    /// one per tensor, and no small tensor left to one thread). Each chunk walks the runs of consecutive tensors with
    /// the same decay rule; elements are independent, so the bits are those of updating each tensor on its own.
    /// </summary>
    public static unsafe void Update<TElem>(TensorArena arena, float learningRate, int t, AdamWOptions o) where TElem : struct, IArithmetic
    {
        var (step, decay) = Scalars<TElem>(learningRate, t, o);
        var (runEnds, runDecays) = DecayRuns(arena.Parameters);
        if (runEnds.Length == 0) return;
        fixed (float* pp = arena.ParameterData)
        fixed (float* pm = arena.FirstMoments)
        fixed (float* pv = arena.SecondMoments)
        fixed (float* pg = arena.ParameterGrads)
            RowParallel.For(arena.ParameterCount, 16384, Vec.Width,
                new ArenaBody<TElem>(pp, pm, pv, pg, runEnds, runDecays, step, decay, o.Beta1, o.Beta2, o.Epsilon));
    }

    /// <summary>The ends of the runs of consecutive parameters (declaration order = arena order) sharing a decay flag.</summary>
    private static (int[] Ends, bool[] Decays) DecayRuns(IReadOnlyList<Tensor> parameters)
    {
        var ends = new List<int>();
        var decays = new List<bool>();
        int at = 0;
        foreach (var p in parameters)
        {
            if (p.Offset != at) throw new InvalidOperationException($"AdamW: parameter '{p.Name}' is at offset {p.Offset}, expected {at} (parameters must be contiguous in declaration order).");
            at += p.Length;
            if (p.Length == 0) continue;
            if (decays.Count > 0 && decays[^1] == p.Decay) ends[^1] = at;
            else
            {
                ends.Add(at);
                decays.Add(p.Decay);
            }
        }
        return (ends.ToArray(), decays.ToArray());
    }

    private readonly unsafe struct ArenaBody<TElem>(float* p, float* m, float* v, float* g, int[] runEnds, bool[] runDecays,
        float step, float decay, float beta1, float beta2, float eps) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            int r = 0;
            while (runEnds[r] <= start) r++;
            for (int at = start; at < end; r++)
            {
                int stop = Math.Min(end, runEnds[r]), n = stop - at;
                UpdateCore<TElem>(new Span<float>(p + at, n), new Span<float>(m + at, n), new Span<float>(v + at, n), new ReadOnlySpan<float>(g + at, n),
                    step, runDecays[r] ? decay : 0f, beta1, beta2, eps);
                at = stop;
            }
        }
    }
}
