using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// The sigmoid GELU <c>x·σ(1.702x)</c>, composed from mode operations as
/// <c>y = Div(x, 1 + Exp(−Mul(x, 1.702)))</c> (the paper's PAM GELU).
/// Backward: with <c>d = 1 + Exp(−Mul(x, 1.702))</c> and <c>s = Div(1, d)</c>,
/// <c>dx += Mul(dy, s + Mul(Mul(y, 1 − s), 1.702))</c> (= dy·(σ + 1.702·x·σ·(1−σ)) in float32).
/// </summary>
[MultiplicationFree]
public static class Gelu
{
    /// <summary>The sigmoid slope 1.702.</summary>
    public const float Slope = 1.702f;

    private const int MinPerThread = 4096;

    /// <summary>Forward pass (split over <see cref="RowParallel"/>; each element as in the scalar definition).</summary>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Forward<TElem>(Span<float> output, ReadOnlySpan<float> input) where TElem : struct, IArithmetic
    {
        Relu.RequireSame(output.Length, input.Length, "Gelu.Forward");
        fixed (float* o = output)
        fixed (float* x = input)
            RowParallel.For(input.Length, MinPerThread, Vec.Width, new ForwardBody<TElem>(o, x));
    }

    /// <summary>Backward pass; accumulates into <paramref name="dInput"/>.</summary>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Backward<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input) where TElem : struct, IArithmetic
    {
        Relu.RequireSame(dInput.Length, input.Length, "Gelu.Backward");
        Relu.RequireSame(dOutput.Length, input.Length, "Gelu.Backward");
        fixed (float* dx = dInput)
        fixed (float* dy = dOutput)
        fixed (float* x = input)
            RowParallel.For(input.Length, MinPerThread, Vec.Width, new BackwardBody<TElem>(dx, dy, x));
    }

    private readonly unsafe struct ForwardBody<TElem>(float* o, float* x) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end) => ForwardCore<TElem>(new Span<float>(o + start, end - start), new ReadOnlySpan<float>(x + start, end - start));
    }

    private readonly unsafe struct BackwardBody<TElem>(float* dx, float* dy, float* x) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end) => BackwardCore<TElem>(new Span<float>(dx + start, end - start),
            new ReadOnlySpan<float>(dy + start, end - start), new ReadOnlySpan<float>(x + start, end - start));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardCore<TElem>(Span<float> output, ReadOnlySpan<float> input) where TElem : struct, IArithmetic
    {
        int body = Vec.BodyWithTranscendentals<TElem>(input.Length);
        var slope = Vector512.Create(Slope);
        for (int i = 0; i < body; i += Vec.Width)
        {
            var x = Vec.Load(input, i);
            Vec.Store(TElem.Div(x, Vector512<float>.One + TElem.Exp(-TElem.Mul(x, slope))), output, i);
        }
        for (int i = body; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = TElem.Div(x, 1f + TElem.Exp(-TElem.Mul(x, Slope)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardCore<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input) where TElem : struct, IArithmetic
    {
        int body = Vec.BodyWithTranscendentals<TElem>(input.Length);
        var slope = Vector512.Create(Slope);
        var one = Vector512<float>.One;
        for (int i = 0; i < body; i += Vec.Width)
        {
            var x = Vec.Load(input, i);
            var d = one + TElem.Exp(-TElem.Mul(x, slope));
            var s = TElem.Div(one, d);
            var y = TElem.Div(x, d);
            Vec.Store(Vec.Load(dInput, i) + TElem.Mul(Vec.Load(dOutput, i), s + TElem.Mul(TElem.Mul(y, one - s), slope)), dInput, i);
        }
        for (int i = body; i < input.Length; i++)
        {
            float x = input[i];
            float d = 1f + TElem.Exp(-TElem.Mul(x, Slope));
            float s = TElem.Div(1f, d);
            float y = TElem.Div(x, d);
            dInput[i] += TElem.Mul(dOutput[i], s + TElem.Mul(TElem.Mul(y, 1f - s), Slope));
        }
    }
}

/// <summary>
/// <see cref="Gelu"/> as the elementwise kernel of a fused linear layer (<see cref="LinearFused"/>): the GEMM
/// epilogue and the fused backward call it on tile-sized pieces, so it runs the per-element core directly rather than
/// <see cref="Gelu.Forward{TElem}"/>'s thread split; every element gets the same operations, hence the same bits.
/// </summary>
[MultiplicationFree]
internal readonly struct GeluKernel<TElem> : IElementwiseKernel where TElem : struct, IArithmetic
{
    public void Forward(Span<float> output, ReadOnlySpan<float> input) => Gelu.ForwardCore<TElem>(output, input);

    public void Backward(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input) => Gelu.BackwardCore<TElem>(dInput, dOutput, input);
}
