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
    public static unsafe void Forward<TMatmul>(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int n, int inDim, int outDim) where TMatmul : struct, IArithmetic
    {
        Check(output.Length, input.Length, weight.Length, bias.Length, n, inDim, outDim, "Linear.Forward", "output");
        if (bias.IsEmpty)
        {
            Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, input, weight, output);
            return;
        }
        // The bias is added in the GEMM epilogue, once per element after its full sum, while the tile is in cache
        // (the same bits as a separate pass: sum + bias[j]).
        fixed (float* pb = bias)
            Gemm.Compute<TMatmul, BiasPointerEpilogue>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, input, weight, output, new BiasPointerEpilogue(pb));
    }

    /// <summary><c>C[i, j] = sum + bias[j]</c> for a bias the caller keeps pinned during the GEMM.</summary>
    private readonly unsafe struct BiasPointerEpilogue(float* bias) : IGemmEpilogue
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(Span<float> values, int row, int column)
        {
            var b = new ReadOnlySpan<float>(bias + column, values.Length);
            int body = Vec.Body(values.Length);
            for (int j = 0; j < body; j += Vec.Width) Vec.Store(Vec.Load(values, j) + Vec.Load(b, j), values, j);
            for (int j = body; j < values.Length; j++) values[j] += b[j];
        }
    }

    /// <summary>
    /// <c>dBias[j] += dOutput[i, j]</c> in row order i = 0…n−1 for every column j; columns are split over
    /// <see cref="RowParallel"/> (each column still adds its rows in order: the same bits on any thread count).
    /// </summary>
    internal static unsafe void SumRows(Span<float> dBias, ReadOnlySpan<float> dOutput, int n, int outDim)
    {
        fixed (float* pd = dBias)
        fixed (float* pg = dOutput)
            // One wide column block per thread: each row is read in long contiguous pieces (narrow blocks, rows apart, defeat the prefetcher).
            RowParallel.For(outDim, (int)Math.Min(outDim, Math.Max(Math.Max(Vec.Width, (1L << 16) / n), 2 * outDim / RowParallel.ThreadCount)), Vec.Width,
                new SumRowsBody(pd, pg, n, outDim));
    }

    private readonly unsafe struct SumRowsBody(float* dBias, float* dOutput, int n, int outDim) : IRangeBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            var db = new Span<float>(dBias, outDim);
            int body = start + Vec.Body(end - start);
            for (int i = 0; i < n; i++)
            {
                var row = new ReadOnlySpan<float>(dOutput + (long)i * outDim, outDim);
                for (int j = start; j < body; j += Vec.Width) Vec.Store(Vec.Load(db, j) + Vec.Load(row, j), db, j);
                for (int j = body; j < end; j++) db[j] += row[j];
            }
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
