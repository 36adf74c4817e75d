using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// An elementwise function with its backward, as a struct the JIT specialises (generated models implement it for
/// each fused <c>[PamKernel]</c> chain by forwarding to the generated span kernels).
/// </summary>
[MultiplicationFree]
public interface IElementwiseKernel
{
    /// <summary><c>output[i] = f(input[i])</c>.</summary>
    void Forward(Span<float> output, ReadOnlySpan<float> input);

    /// <summary><c>dInput[i] += f'(input[i]) · dOutput[i]</c> (accumulating).</summary>
    void Backward(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input);
}

/// <summary>
/// A <see cref="Linear"/> layer together with what follows it: a residual (<c>out = r + (in·Wᵀ + b)</c>, added in the
/// GEMM epilogue: no separate linear output at all) or an elementwise activation (<c>out = f(in·Wᵀ + b)</c>, the
/// pre-activation kept for backward). Every element sees the same operations in the same order as the unfused
/// <see cref="Linear.Forward"/> followed by the activation or <see cref="Residual.Forward"/>, so the results are the
/// same bits. The activation runs as its own pass after the GEMM, forward and backward: measured on this project's 2-core AVX-512
/// machine, applying it in the GEMM epilogue on 64-column tile rows was 10–15 % slower than the two passes, and a
/// one-pass backward with the bias sums about twice as slow. The weight and input gradients stay
/// <see cref="Linear.Backward"/>'s GEMMs.
/// </summary>
[MultiplicationFree]
public static partial class LinearFused
{
    /// <summary>
    /// <c>preActivation = input·Wᵀ + bias</c> (the bias in the GEMM epilogue), then <c>output = f(preActivation)</c> over
    /// contiguous element ranges split between threads (faster than applying f in the epilogue, see the type's remarks).
    /// </summary>
    /// <param name="output">[n, outDim] f(pre)</param>
    /// <param name="preActivation">[n, outDim] saved for backward</param>
    /// <param name="input">[n, inDim]</param>
    /// <param name="weight">[outDim, inDim]</param>
    /// <param name="bias">[outDim], or empty</param>
    /// <param name="n">Rows.</param>
    /// <param name="inDim">Input features.</param>
    /// <param name="outDim">Output features.</param>
    /// <param name="kernel">The activation (a struct; its value carries no state).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void ForwardActivation<TMatmul, TKernel>(Span<float> output, Span<float> preActivation, ReadOnlySpan<float> input,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int inDim, int outDim, TKernel kernel = default)
        where TMatmul : struct, IArithmetic where TKernel : struct, IElementwiseKernel
    {
        Check(preActivation.Length, input.Length, weight.Length, bias.Length, n, inDim, outDim, "LinearFused.ForwardActivation");
        Shapes.Require(output.Length, "LinearFused.ForwardActivation", nameof(output), n, outDim);
        Linear.Forward<TMatmul>(preActivation, input, weight, bias, n, inDim, outDim);
        fixed (float* po = output)
        fixed (float* px = preActivation)
            RowParallel.For(n * outDim, MinElementsPerThread, Vec.Width, new ForwardBody<TKernel>(po, px, kernel));
    }

    /// <summary><c>output = residual + (input·Wᵀ + bias)</c>, in one GEMM pass.</summary>
    /// <param name="output">[n, outDim]</param>
    /// <param name="residual">[n, outDim]</param>
    /// <param name="input">[n, inDim]</param>
    /// <param name="weight">[outDim, inDim]</param>
    /// <param name="bias">[outDim], or empty</param>
    /// <param name="n">Rows.</param>
    /// <param name="inDim">Input features.</param>
    /// <param name="outDim">Output features.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void ForwardResidual<TMatmul>(Span<float> output, ReadOnlySpan<float> residual, ReadOnlySpan<float> input,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int inDim, int outDim)
        where TMatmul : struct, IArithmetic
    {
        Check(output.Length, input.Length, weight.Length, bias.Length, n, inDim, outDim, "LinearFused.ForwardResidual");
        Shapes.Require(residual.Length, "LinearFused.ForwardResidual", nameof(residual), n, outDim);
        fixed (float* pb = bias)
        fixed (float* pr = residual)
            Gemm.Compute<TMatmul, BiasResidualEpilogue>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, input, weight, output,
                new BiasResidualEpilogue(bias.IsEmpty ? null : pb, pr, outDim));
    }

    /// <summary>
    /// <c>dPre += f'(pre)·dOutput</c>, then <c>dBias[j] += dPre[i, j]</c> in row order i = 0…n−1 (as
    /// <see cref="Linear.Backward"/> sums them): the activation's backward runs over contiguous element ranges split between
    /// threads, the bias sums over column blocks (every column's sum keeps its order), so the bits do not depend on the
    /// thread count. Two passes, not one: a single pass must give each thread whole columns, and reading every row in
    /// pieces a page apart made the activation's backward about twice as slow (2.1–2.4 ms against 1.0–1.2 ms for both
    /// passes at [2048, 1024] in Pam mode).
    /// </summary>
    /// <param name="dPre">[n, outDim] gradient of the pre-activation (accumulated into)</param>
    /// <param name="dBias">[outDim] (accumulated into), or empty</param>
    /// <param name="dOutput">[n, outDim]</param>
    /// <param name="preActivation">[n, outDim] from forward</param>
    /// <param name="n">Rows.</param>
    /// <param name="outDim">Features.</param>
    /// <param name="kernel">The activation.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void BackwardActivation<TKernel>(Span<float> dPre, Span<float> dBias, ReadOnlySpan<float> dOutput,
        ReadOnlySpan<float> preActivation, int n, int outDim, TKernel kernel = default)
        where TKernel : struct, IElementwiseKernel
    {
        const string op = "LinearFused.BackwardActivation";
        Shapes.RequirePositive(n, op, nameof(n));
        Shapes.RequirePositive(outDim, op, nameof(outDim));
        Shapes.Require(dPre.Length, op, nameof(dPre), n, outDim);
        Shapes.Require(dOutput.Length, op, nameof(dOutput), n, outDim);
        Shapes.Require(preActivation.Length, op, nameof(preActivation), n, outDim);
        Shapes.RequireOptional(dBias.Length, op, nameof(dBias), outDim);
        fixed (float* pd = dPre)
        fixed (float* py = dOutput)
        fixed (float* px = preActivation)
            RowParallel.For(n * outDim, MinElementsPerThread, Vec.Width, new BackwardBody<TKernel>(pd, py, px, kernel));
        if (!dBias.IsEmpty) Linear.SumRows(dBias, dPre, n, outDim);
    }

    private readonly unsafe struct ForwardBody<TKernel>(float* output, float* pre, TKernel kernel) : IRangeBody
        where TKernel : struct, IElementwiseKernel
    {
        public void Run(int start, int end) => kernel.Forward(new Span<float>(output + start, end - start), new ReadOnlySpan<float>(pre + start, end - start));
    }

    /// <summary>Elements per thread below which the activation runs on the caller alone.</summary>
    private const int MinElementsPerThread = 4096;

    private readonly unsafe struct BackwardBody<TKernel>(float* dPre, float* dOut, float* pre, TKernel kernel) : IRangeBody
        where TKernel : struct, IElementwiseKernel
    {
        public void Run(int start, int end)
            => kernel.Backward(new Span<float>(dPre + start, end - start), new ReadOnlySpan<float>(dOut + start, end - start), new ReadOnlySpan<float>(pre + start, end - start));
    }

    /// <summary>
    /// The residual branch's backward when the linear branch was fused (<see cref="ForwardResidual"/>):
    /// <c>dResidual += dOutput</c>; the linear branch reads <paramref name="dOutput"/> directly as its output gradient.
    /// </summary>
    /// <param name="dResidual">[n] gradient of the residual operand (accumulated into)</param>
    /// <param name="dOutput">[n] gradient of the sum</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardResidual(Span<float> dResidual, ReadOnlySpan<float> dOutput)
    {
        Relu.RequireSame(dResidual.Length, dOutput.Length, "LinearFused.BackwardResidual");
        AddInto(dResidual, dOutput);
    }

    /// <summary><c>into[j] += values[j]</c> (plain additions: vector and scalar give the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddInto(Span<float> into, ReadOnlySpan<float> values)
    {
        int body = Vec.Body(into.Length);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(Vec.Load(into, j) + Vec.Load(values, j), into, j);
        for (int j = body; j < into.Length; j++) into[j] += values[j];
    }

    private static void Check(int outLen, int inLen, int wLen, int bLen, int n, int inDim, int outDim, string op)
    {
        Shapes.RequirePositive(n, op, nameof(n));
        Shapes.RequirePositive(inDim, op, nameof(inDim));
        Shapes.RequirePositive(outDim, op, nameof(outDim));
        Shapes.Require(outLen, op, "output", n, outDim);
        Shapes.Require(inLen, op, "input", n, inDim);
        Shapes.Require(wLen, op, "weight", outDim, inDim);
        Shapes.RequireOptional(bLen, op, "bias", outDim);
    }
}

/// <summary>Epilogue of <see cref="LinearFused.ForwardResidual"/>: <c>C = (C + bias) + residual</c>, the unfused order.</summary>
[MultiplicationFree]
internal readonly unsafe struct BiasResidualEpilogue(float* bias, float* residual, int ld) : IGemmEpilogue
{
    public void Apply(Span<float> values, int row, int column)
    {
        if (bias != null) LinearFused.AddInto(values, new ReadOnlySpan<float>(bias + column, values.Length));
        LinearFused.AddInto(values, new ReadOnlySpan<float>(residual + (long)row * ld + column, values.Length));
    }
}
