using System;

namespace PamGen;

/// <summary>The geometry of a 2-D convolution (NCHW, square-free: separate kernel height and width).</summary>
/// <param name="Batch">Images.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelH">Kernel height.</param>
/// <param name="KernelW">Kernel width.</param>
/// <param name="Stride">Stride in both directions.</param>
/// <param name="Padding">Zero padding on every side.</param>
public readonly record struct Conv2dShape(int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW, int Stride = 1, int Padding = 0)
{
    /// <summary>Output height.</summary>
    public int OutHeight => (Height + 2 * Padding - KernelH) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OutWidth => (Width + 2 * Padding - KernelW) / Stride + 1;
    /// <summary>Rows of the im2col matrix (= weight columns): InChannels·KernelH·KernelW.</summary>
    public int PatchSize => InChannels * KernelH * KernelW;
    /// <summary>Scratch floats both passes need (the im2col matrix and its gradient).</summary>
    public int ScratchSize => 2 * PatchSize * OutHeight * OutWidth;
}

/// <summary>
/// 2-D convolution as im2col + GEMM: per image, <c>out[Cout, P] = W[Cout, K] · col[K, P]</c> (+ bias), K = Cin·kh·kw,
/// P = Ho·Wo. Backward: <c>dW += dout·colᵀ</c>, <c>dcol = Wᵀ·dout</c> scattered back by col2im. The im2col matrix is
/// rebuilt in backward rather than kept.
/// </summary>
[MultiplicationFree]
public static class Conv2d
{
    /// <summary>Forward pass.</summary>
    /// <param name="output">[B, Cout, Ho, Wo]</param>
    /// <param name="scratch">[<see cref="Conv2dShape.ScratchSize"/>]</param>
    /// <param name="input">[B, Cin, H, W]</param>
    /// <param name="weight">[Cout, Cin, kh, kw]</param>
    /// <param name="bias">[Cout] or empty</param>
    /// <param name="s">Geometry.</param>
    public static void Forward<TMatmul>(Span<float> output, Span<float> scratch, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv2dShape s)
        where TMatmul : struct, IArithmetic
    {
        Check(output.Length, scratch.Length, input.Length, weight.Length, bias.Length, s, "Conv2d.Forward");
        int k = s.PatchSize, p = s.OutHeight * s.OutWidth, inImg = s.InChannels * s.Height * s.Width, outImg = s.OutChannels * p;
        var col = scratch.Slice(0, k * p);
        for (int b = 0; b < s.Batch; b++)
        {
            Im2Col(col, input.Slice(b * inImg, inImg), s);
            var o = output.Slice(b * outImg, outImg);
            Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.None, s.OutChannels, p, k, weight, col, o);
            if (bias.IsEmpty) continue;
            for (int c = 0; c < s.OutChannels; c++)
            {
                var row = o.Slice(c * p, p);
                for (int j = 0; j < p; j++) row[j] += bias[c];
            }
        }
    }

    /// <summary>Backward pass; accumulates into <paramref name="dInput"/> (may be empty), <paramref name="dWeight"/> and <paramref name="dBias"/>.</summary>
    public static void Backward<TMatmul>(Span<float> dInput, Span<float> dWeight, Span<float> dBias, Span<float> scratch,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, Conv2dShape s)
        where TMatmul : struct, IArithmetic
    {
        Check(dOutput.Length, scratch.Length, input.Length, weight.Length, dBias.Length, s, "Conv2d.Backward");
        Shapes.RequireOptional(dInput.Length, "Conv2d.Backward", nameof(dInput), s.Batch, s.InChannels, s.Height, s.Width);
        Shapes.Require(dWeight.Length, "Conv2d.Backward", nameof(dWeight), s.OutChannels, s.InChannels, s.KernelH, s.KernelW);
        int k = s.PatchSize, p = s.OutHeight * s.OutWidth, inImg = s.InChannels * s.Height * s.Width, outImg = s.OutChannels * p;
        var col = scratch.Slice(0, k * p);
        var dcol = scratch.Slice(k * p, k * p);
        for (int b = 0; b < s.Batch; b++)
        {
            var g = dOutput.Slice(b * outImg, outImg);
            Im2Col(col, input.Slice(b * inImg, inImg), s);
            Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.Transpose, s.OutChannels, k, p, g, col, dWeight, accumulate: true);
            if (!dInput.IsEmpty)
            {
                Gemm.Compute<TMatmul>(GemmOp.Transpose, GemmOp.None, k, p, s.OutChannels, weight, g, dcol);
                Col2ImAdd(dInput.Slice(b * inImg, inImg), dcol, s);
            }
            if (dBias.IsEmpty) continue;
            for (int c = 0; c < s.OutChannels; c++)
            {
                var row = g.Slice(c * p, p);
                for (int j = 0; j < p; j++) dBias[c] += row[j];
            }
        }
    }

    private static void Im2Col(Span<float> col, ReadOnlySpan<float> img, Conv2dShape s)
    {
        int ho = s.OutHeight, wo = s.OutWidth;
        for (int c = 0; c < s.InChannels; c++)
        for (int ky = 0; ky < s.KernelH; ky++)
        for (int kx = 0; kx < s.KernelW; kx++)
        {
            var row = col.Slice(((c * s.KernelH + ky) * s.KernelW + kx) * ho * wo, ho * wo);
            for (int oy = 0; oy < ho; oy++)
            {
                int iy = oy * s.Stride - s.Padding + ky;
                for (int ox = 0; ox < wo; ox++)
                {
                    int ix = ox * s.Stride - s.Padding + kx;
                    row[oy * wo + ox] = (uint)iy < (uint)s.Height && (uint)ix < (uint)s.Width ? img[(c * s.Height + iy) * s.Width + ix] : 0f;
                }
            }
        }
    }

    private static void Col2ImAdd(Span<float> img, ReadOnlySpan<float> col, Conv2dShape s)
    {
        int ho = s.OutHeight, wo = s.OutWidth;
        for (int c = 0; c < s.InChannels; c++)
        for (int ky = 0; ky < s.KernelH; ky++)
        for (int kx = 0; kx < s.KernelW; kx++)
        {
            var row = col.Slice(((c * s.KernelH + ky) * s.KernelW + kx) * ho * wo, ho * wo);
            for (int oy = 0; oy < ho; oy++)
            {
                int iy = oy * s.Stride - s.Padding + ky;
                if ((uint)iy >= (uint)s.Height) continue;
                for (int ox = 0; ox < wo; ox++)
                {
                    int ix = ox * s.Stride - s.Padding + kx;
                    if ((uint)ix < (uint)s.Width) img[(c * s.Height + iy) * s.Width + ix] += row[oy * wo + ox];
                }
            }
        }
    }

    private static void Check(int outLen, int scratchLen, int inLen, int wLen, int bLen, Conv2dShape s, string op)
    {
        Shapes.RequirePositive(s.Batch, op, nameof(s.Batch));
        Shapes.RequirePositive(s.InChannels, op, nameof(s.InChannels));
        Shapes.RequirePositive(s.OutChannels, op, nameof(s.OutChannels));
        Shapes.RequirePositive(s.Stride, op, nameof(s.Stride));
        if (s.Padding < 0 || s.OutHeight <= 0 || s.OutWidth <= 0)
            throw new ArgumentException($"{op}: kernel [{s.KernelH}, {s.KernelW}] with padding {s.Padding} does not fit input [{s.Height}, {s.Width}].", nameof(s));
        Shapes.Require(outLen, op, "output", s.Batch, s.OutChannels, s.OutHeight, s.OutWidth);
        Shapes.Require(inLen, op, "input", s.Batch, s.InChannels, s.Height, s.Width);
        Shapes.Require(wLen, op, "weight", s.OutChannels, s.InChannels, s.KernelH, s.KernelW);
        Shapes.RequireOptional(bLen, op, "bias", s.OutChannels);
        if (scratchLen < s.ScratchSize) throw new ArgumentException($"{op}: scratch holds {scratchLen} floats but needs {s.ScratchSize} (Conv2dShape.ScratchSize).", "scratch");
    }
}
