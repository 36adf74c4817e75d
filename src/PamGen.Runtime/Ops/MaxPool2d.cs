using System;

namespace PamGen;

/// <summary>
/// 2-D max pooling (NCHW, no padding): <c>out[b, c, oy, ox] = max over the window</c>. Backward routes the gradient to
/// the first maximum of each window, found again from the input (no index buffer kept).
/// </summary>
[MultiplicationFree]
public static class MaxPool2d
{
    /// <summary>Output side length for an input side, kernel and stride.</summary>
    public static int OutSize(int size, int kernel, int stride) => (size - kernel) / stride + 1;

    /// <summary>Forward pass: <paramref name="output"/> [B, C, Ho, Wo] from <paramref name="input"/> [B, C, H, W].</summary>
    public static void Forward(Span<float> output, ReadOnlySpan<float> input, int batch, int channels, int height, int width, int kernel, int stride)
    {
        Check(output.Length, input.Length, batch, channels, height, width, kernel, stride, "MaxPool2d.Forward");
        int ho = OutSize(height, kernel, stride), wo = OutSize(width, kernel, stride);
        for (int plane = 0; plane < batch * channels; plane++)
        {
            var img = input.Slice(plane * height * width, height * width);
            for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++)
                output[(plane * ho + oy) * wo + ox] = img[ArgMax(img, oy, ox, width, kernel, stride)];
        }
    }

    /// <summary>Backward pass; accumulates into <paramref name="dInput"/>.</summary>
    public static void Backward(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, int batch, int channels, int height, int width, int kernel, int stride)
    {
        Check(dOutput.Length, input.Length, batch, channels, height, width, kernel, stride, "MaxPool2d.Backward");
        Shapes.Require(dInput.Length, "MaxPool2d.Backward", nameof(dInput), batch, channels, height, width);
        int ho = OutSize(height, kernel, stride), wo = OutSize(width, kernel, stride);
        for (int plane = 0; plane < batch * channels; plane++)
        {
            var img = input.Slice(plane * height * width, height * width);
            var dimg = dInput.Slice(plane * height * width, height * width);
            for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++)
                dimg[ArgMax(img, oy, ox, width, kernel, stride)] += dOutput[(plane * ho + oy) * wo + ox];
        }
    }

    private static int ArgMax(ReadOnlySpan<float> img, int oy, int ox, int width, int kernel, int stride)
    {
        int best = oy * stride * width + ox * stride;
        for (int ky = 0; ky < kernel; ky++)
        for (int kx = 0; kx < kernel; kx++)
        {
            int idx = (oy * stride + ky) * width + ox * stride + kx;
            if (img[idx] > img[best]) best = idx;
        }
        return best;
    }

    private static void Check(int outLen, int inLen, int batch, int channels, int height, int width, int kernel, int stride, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(channels, op, nameof(channels));
        Shapes.RequirePositive(kernel, op, nameof(kernel));
        Shapes.RequirePositive(stride, op, nameof(stride));
        if (kernel > height || kernel > width)
            throw new ArgumentException($"{op}: kernel {kernel} does not fit input [{height}, {width}].", nameof(kernel));
        Shapes.Require(inLen, op, "input", batch, channels, height, width);
        Shapes.Require(outLen, op, "output", batch, channels, OutSize(height, kernel, stride), OutSize(width, kernel, stride));
    }
}
