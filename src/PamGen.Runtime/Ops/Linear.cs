using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// Fully connected layer, llm.c layout: <c>out[n, outDim] = in[n, inDim] · W[outDim, inDim]ᵀ + bias[outDim]</c>.
/// The products run in the GEMM's arithmetic <c>TMatmul</c> (NT forward; NN and TN backward);
/// the bias is an ordinary addition.
/// </summary>
[MultiplicationFree]
public static class Linear
{
    /// <summary>Forward pass; keeps nothing beyond its input (backward needs <paramref name="input"/>).</summary>
    /// <param name="output">[n, outDim]</param>
    /// <param name="input">[n, inDim]</param>
    /// <param name="weight">[outDim, inDim]</param>
    /// <param name="bias">[outDim], or empty for no bias</param>
    /// <param name="n">Rows (batch × sequence).</param>
    /// <param name="inDim">Input features.</param>
    /// <param name="outDim">Output features.</param>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Forward<TMatmul>(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int n, int inDim, int outDim) where TMatmul : struct, IArithmetic
    {
        Check(output.Length, input.Length, weight.Length, bias.Length, n, inDim, outDim, "Linear.Forward", "output");
        Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, input, weight, output);
        if (!bias.IsEmpty) AddBias(output, bias, n, outDim);
    }

    /// <summary><c>row[j] += bias[j]</c> for every row (plain additions: vector and scalar give the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddBias(Span<float> output, ReadOnlySpan<float> bias, int n, int outDim)
    {
        int body = Vec.Body(outDim);
        for (int i = 0; i < n; i++)
        {
            var row = output.Slice(i * outDim, outDim);
            for (int j = 0; j < body; j += Vec.Width) Vec.Store(Vec.Load(row, j) + Vec.Load(bias, j), row, j);
            for (int j = body; j < outDim; j++) row[j] += bias[j];
        }
    }

    /// <summary><c>dBias[j] += dOutput[i, j]</c> in row order i = 0…n−1 for every column j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumRows(Span<float> dBias, ReadOnlySpan<float> dOutput, int n, int outDim)
    {
        int body = Vec.Body(outDim);
        for (int i = 0; i < n; i++)
        {
            var row = dOutput.Slice(i * outDim, outDim);
            for (int j = 0; j < body; j += Vec.Width) Vec.Store(Vec.Load(dBias, j) + Vec.Load(row, j), dBias, j);
            for (int j = body; j < outDim; j++) dBias[j] += row[j];
        }
    }

    /// <summary>Backward pass; accumulates into <paramref name="dInput"/>, <paramref name="dWeight"/> and <paramref name="dBias"/>.</summary>
    /// <param name="dInput">[n, inDim], or empty when the input needs no gradient</param>
    /// <param name="dWeight">[outDim, inDim]</param>
    /// <param name="dBias">[outDim], or empty</param>
    /// <param name="dOutput">[n, outDim]</param>
    /// <param name="input">[n, inDim]</param>
    /// <param name="weight">[outDim, inDim]</param>
    /// <param name="n">Rows.</param>
    /// <param name="inDim">Input features.</param>
    /// <param name="outDim">Output features.</param>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Backward<TMatmul>(Span<float> dInput, Span<float> dWeight, Span<float> dBias,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        int n, int inDim, int outDim) where TMatmul : struct, IArithmetic
    {
        Check(dOutput.Length, input.Length, weight.Length, dBias.Length, n, inDim, outDim, "Linear.Backward", "dOutput");
        Shapes.RequireOptional(dInput.Length, "Linear.Backward", nameof(dInput), n, inDim);
        Shapes.Require(dWeight.Length, "Linear.Backward", nameof(dWeight), outDim, inDim);
        if (!dInput.IsEmpty)
            Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.None, n, inDim, outDim, dOutput, weight, dInput, accumulate: true);
        Gemm.Compute<TMatmul>(GemmOp.Transpose, GemmOp.None, outDim, inDim, n, dOutput, input, dWeight, accumulate: true);
        if (!dBias.IsEmpty) SumRows(dBias, dOutput, n, outDim);
    }

    private static void Check(int outLen, int inLen, int wLen, int bLen, int n, int inDim, int outDim, string op, string outName)
    {
        Shapes.RequirePositive(n, op, nameof(n));
        Shapes.RequirePositive(inDim, op, nameof(inDim));
        Shapes.RequirePositive(outDim, op, nameof(outDim));
        Shapes.Require(outLen, op, outName, n, outDim);
        Shapes.Require(inLen, op, "input", n, inDim);
        Shapes.Require(wLen, op, "weight", outDim, inDim);
        Shapes.RequireOptional(bLen, op, "bias", outDim);
    }
}
