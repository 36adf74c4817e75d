using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// Reads a channels-first image [batch, channels, positions] as a sequence [batch, positions, channels] (a
/// transpose per batch element): how a patch embedding's convolution output becomes a token sequence. Copies only.
/// </summary>
[MultiplicationFree]
public static class ImageToSequence
{
    /// <summary>Forward pass: <c>sequence[b, t, c] = image[b, c, t]</c>.</summary>
    /// <param name="sequence">[batch, positions, channels]</param>
    /// <param name="image">[batch, channels, positions]</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="channels">Channels (the sequence's width).</param>
    /// <param name="positions">Pixels per channel (the sequence's length).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> sequence, ReadOnlySpan<float> image, int batch, int channels, int positions)
    {
        Check(sequence.Length, image.Length, batch, channels, positions, "ImageToSequence.Forward");
        int n = channels * positions;
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        for (int t = 0; t < positions; t++)
            sequence[b * n + t * channels + c] = image[b * n + c * positions + t];
    }

    /// <summary>Backward pass; accumulates <c>dImage[b, c, t] += dSequence[b, t, c]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Span<float> dImage, ReadOnlySpan<float> dSequence, int batch, int channels, int positions)
    {
        Check(dSequence.Length, dImage.Length, batch, channels, positions, "ImageToSequence.Backward");
        int n = channels * positions;
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        for (int t = 0; t < positions; t++)
            dImage[b * n + c * positions + t] += dSequence[b * n + t * channels + c];
    }

    private static void Check(int seqLen, int imageLen, int batch, int channels, int positions, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(channels, op, nameof(channels));
        Shapes.RequirePositive(positions, op, nameof(positions));
        Shapes.Require(seqLen, op, "sequence", batch, positions, channels);
        Shapes.Require(imageLen, op, "image", batch, channels, positions);
    }
}
