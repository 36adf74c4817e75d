using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Inverted dropout with a counter-based mask: element <c>i</c> is kept when the uniform drawn from
/// <c>hash(seed, i)</c> is at least <c>p</c>, so forward and backward agree without storing the mask and the
/// result does not depend on threading. Kept values are <c>Mul(x, Div(1, 1 − p))</c> (NUMERICS.md §3).
/// The mask is drawn 16 lanes at a time (the same SplitMix64 hash on ulong lanes) and the work is split over
/// <see cref="RowParallel"/>; each element's result is the scalar definition's.
/// </summary>
[MultiplicationFree]
public static class Dropout
{
    private const ulong IndexSalt = 0x632BE59BD9B4E019UL;
    private const int MinPerThread = 16384;

    /// <summary>Whether element <paramref name="index"/> is kept under <paramref name="seed"/> and drop probability <paramref name="p"/>.</summary>
    public static bool Keep(ulong seed, int index, float p)
        => SeededRandom.UniformFromBits(SeededRandom.Mix(seed ^ SeededRandom.Mix((ulong)index + IndexSalt))) >= p;

    /// <summary>Forward pass.</summary>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Forward<TElem>(Span<float> output, ReadOnlySpan<float> input, float p, ulong seed) where TElem : struct, IArithmetic
    {
        Relu.RequireSame(output.Length, input.Length, "Dropout.Forward");
        CheckP(p);
        float scale = TElem.Div(1f, 1f - p);
        fixed (float* o = output)
        fixed (float* x = input)
            RowParallel.For(input.Length, MinPerThread, Vec.Width, new ForwardBody<TElem>(o, x, p, scale, seed));
    }

    /// <summary>Backward pass; accumulates into <paramref name="dInput"/>.</summary>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Backward<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, float p, ulong seed) where TElem : struct, IArithmetic
    {
        Relu.RequireSame(dInput.Length, dOutput.Length, "Dropout.Backward");
        CheckP(p);
        float scale = TElem.Div(1f, 1f - p);
        fixed (float* dx = dInput)
        fixed (float* dy = dOutput)
            RowParallel.For(dOutput.Length, MinPerThread, Vec.Width, new BackwardBody<TElem>(dx, dy, p, scale, seed));
    }

    /// <summary>
    /// Dropout fused with the residual connection that follows it: <c>output = residual + Dropout(input)</c>, the
    /// same bits as <see cref="Forward{TElem}"/> into a buffer followed by <see cref="Residual.Forward"/>, in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void ForwardResidual<TElem>(Span<float> output, ReadOnlySpan<float> residual, ReadOnlySpan<float> input, float p, ulong seed)
        where TElem : struct, IArithmetic
    {
        Relu.RequireSame(output.Length, input.Length, "Dropout.ForwardResidual");
        Relu.RequireSame(residual.Length, input.Length, "Dropout.ForwardResidual");
        CheckP(p);
        float scale = TElem.Div(1f, 1f - p);
        fixed (float* o = output)
        fixed (float* r = residual)
        fixed (float* x = input)
            RowParallel.For(input.Length, MinPerThread, Vec.Width, new ForwardResidualBody<TElem>(o, r, x, p, scale, seed));
    }

    /// <summary>
    /// Backward of <see cref="ForwardResidual{TElem}"/>: <c>dResidual += dOutput</c> and, for kept elements,
    /// <c>dInput += Mul(+0 + dOutput, scale)</c>: the same bits as <see cref="Residual.Backward"/> into the dropout
    /// output's zeroed gradient followed by <see cref="Backward{TElem}"/>, without that intermediate gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void BackwardResidual<TElem>(Span<float> dResidual, Span<float> dInput, ReadOnlySpan<float> dOutput, float p, ulong seed)
        where TElem : struct, IArithmetic
    {
        Relu.RequireSame(dInput.Length, dOutput.Length, "Dropout.BackwardResidual");
        Relu.RequireSame(dResidual.Length, dOutput.Length, "Dropout.BackwardResidual");
        CheckP(p);
        float scale = TElem.Div(1f, 1f - p);
        fixed (float* dr = dResidual)
        fixed (float* dx = dInput)
        fixed (float* dy = dOutput)
            RowParallel.For(dOutput.Length, MinPerThread, Vec.Width, new BackwardResidualBody<TElem>(dr, dx, dy, p, scale, seed));
    }

    private readonly unsafe struct ForwardResidualBody<TElem>(float* output, float* residual, float* input, float p, float scale, ulong seed) : IRangeBody
        where TElem : struct, IArithmetic
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            var o = new Span<float>(output, end);
            var r = new ReadOnlySpan<float>(residual, end);
            var x = new ReadOnlySpan<float>(input, end);
            int body = start + Vec.Body(end - start);
            var vseed = Vector512.Create(seed);
            var vp = Vector512.Create(p);
            var vscale = Vector512.Create(scale);
            for (int i = start; i < body; i += Vec.Width)
                Vec.Store(Vec.Load(r, i) + Vector512.ConditionalSelect(KeepMask(vseed, i, vp), TElem.Mul(Vec.Load(x, i), vscale), Vector512<float>.Zero), o, i);
            for (int i = body; i < end; i++) o[i] = r[i] + (Keep(seed, i, p) ? TElem.Mul(x[i], scale) : 0f);
        }
    }

    private readonly unsafe struct BackwardResidualBody<TElem>(float* dResidual, float* dInput, float* dOutput, float p, float scale, ulong seed) : IRangeBody
        where TElem : struct, IArithmetic
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            var dr = new Span<float>(dResidual, end);
            var dx = new Span<float>(dInput, end);
            var dy = new ReadOnlySpan<float>(dOutput, end);
            int body = start + Vec.Body(end - start);
            var vseed = Vector512.Create(seed);
            var vp = Vector512.Create(p);
            var vscale = Vector512.Create(scale);
            for (int i = start; i < body; i += Vec.Width)
            {
                var g = Vec.Load(dy, i);
                Vec.Store(Vec.Load(dr, i) + g, dr, i);
                var old = Vec.Load(dx, i);
                // +0 + g: the value the dropout output's zeroed gradient would have held (−0 becomes +0).
                Vec.Store(Vector512.ConditionalSelect(KeepMask(vseed, i, vp), old + TElem.Mul(Vector512<float>.Zero + g, vscale), old), dx, i);
            }
            for (int i = body; i < end; i++)
            {
                float g = dy[i];
                dr[i] += g;
                if (Keep(seed, i, p)) dx[i] += TElem.Mul(0f + g, scale);
            }
        }
    }

    /// <summary><see cref="Keep"/> for elements <paramref name="index"/> … <paramref name="index"/> + 15 as a lane mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> KeepMask(Vector512<ulong> vseed, int index, Vector512<float> vp)
    {
        var lo = Vector512.Create((ulong)index + IndexSalt) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var hi = lo + Vector512.Create(8UL);
        var bits = Vector512.Narrow(Mix(vseed ^ Mix(lo)) >> 41, Mix(vseed ^ Mix(hi)) >> 41) | Vector512.Create(0x3F800000u);
        return Vector512.GreaterThanOrEqual(bits.AsSingle() - Vector512<float>.One, vp);
    }

    /// <summary><see cref="SeededRandom.Mix"/> on eight lanes (integer multiplies only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ (z >> 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    private readonly unsafe struct ForwardBody<TElem>(float* output, float* input, float p, float scale, ulong seed) : IRangeBody
        where TElem : struct, IArithmetic
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            var o = new Span<float>(output, end);
            var x = new ReadOnlySpan<float>(input, end);
            int body = start + Vec.Body(end - start);
            var vseed = Vector512.Create(seed);
            var vp = Vector512.Create(p);
            var vscale = Vector512.Create(scale);
            for (int i = start; i < body; i += Vec.Width)
                Vec.Store(Vector512.ConditionalSelect(KeepMask(vseed, i, vp), TElem.Mul(Vec.Load(x, i), vscale), Vector512<float>.Zero), o, i);
            for (int i = body; i < end; i++) o[i] = Keep(seed, i, p) ? TElem.Mul(x[i], scale) : 0f;
        }
    }

    private readonly unsafe struct BackwardBody<TElem>(float* dInput, float* dOutput, float p, float scale, ulong seed) : IRangeBody
        where TElem : struct, IArithmetic
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            var dx = new Span<float>(dInput, end);
            var dy = new ReadOnlySpan<float>(dOutput, end);
            int body = start + Vec.Body(end - start);
            var vseed = Vector512.Create(seed);
            var vp = Vector512.Create(p);
            var vscale = Vector512.Create(scale);
            for (int i = start; i < body; i += Vec.Width)
            {
                var old = Vec.Load(dx, i);
                // Dropped elements keep dx as it was (adding +0 would turn −0 into +0).
                Vec.Store(Vector512.ConditionalSelect(KeepMask(vseed, i, vp), old + TElem.Mul(Vec.Load(dy, i), vscale), old), dx, i);
            }
            for (int i = body; i < end; i++) if (Keep(seed, i, p)) dx[i] += TElem.Mul(dy[i], scale);
        }
    }

    private static void CheckP(float p)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
    }
}
