using System;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The ops the generator added for positional embeddings of float sequences and patch embeddings:
/// <see cref="PositionalEmbedding"/> and <see cref="ImageToSequence"/> — forward by definition, backward against
/// finite differences, and accumulation into existing gradients.
/// </summary>
public sealed class SequenceLayoutOpsTests
{
    [Theory]
    [InlineData(2, 3, 5, 4)]
    [InlineData(1, 1, 33, 1)]
    public void PositionalEmbedding_adds_the_row_of_each_position_and_its_backward_matches_finite_differences(int batch, int seq, int dim, int extraRows)
    {
        var x = GradCheck.Random(batch * seq * dim, 50);
        var table = GradCheck.Random((seq + extraRows) * dim, 51);
        var o = new float[batch * seq * dim];
        PositionalEmbedding.Forward(o, x, table, batch, seq, dim);
        for (int b = 0; b < batch; b++)
        for (int t = 0; t < seq; t++)
        for (int c = 0; c < dim; c++)
        {
            int i = (b * seq + t) * dim + c;
            Assert.True(o[i] == x[i] + table[t * dim + c], $"output [{b}, {t}, {c}] = {o[i]}, expected {x[i] + table[t * dim + c]}");
        }
        new GradCheck().Input("input", x, out var dx).Input("table", table, out var dTable).Run(
            () => { PositionalEmbedding.Forward(o, x, table, batch, seq, dim); return o; },
            g => PositionalEmbedding.Backward(dx, dTable, g, batch, seq, dim), 52);
        // Rows past the sequence get no gradient.
        for (int i = seq * dim; i < dTable.Length; i++) Assert.True(dTable[i] == 0f, $"table gradient [{i / dim}, {i % dim}] = {dTable[i]} past the sequence");
    }

    [Theory]
    [InlineData(2, 3, 4)]
    [InlineData(1, 16, 1)]
    public void ImageToSequence_transposes_and_its_backward_accumulates_the_transpose(int batch, int channels, int positions)
    {
        var image = GradCheck.Random(batch * channels * positions, 53);
        var seq = new float[image.Length];
        ImageToSequence.Forward(seq, image, batch, channels, positions);
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        for (int t = 0; t < positions; t++)
        {
            float expected = image[(b * channels + c) * positions + t], actual = seq[(b * positions + t) * channels + c];
            Assert.True(actual == expected, $"sequence [{b}, {t}, {c}] = {actual}, expected image [{b}, {c}, {t}] = {expected}");
        }
        var dSeq = GradCheck.Random(seq.Length, 54);
        var dImage = GradCheck.Random(image.Length, 55);
        var before = (float[])dImage.Clone();
        ImageToSequence.Backward(dImage, dSeq, batch, channels, positions);
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        for (int t = 0; t < positions; t++)
        {
            int i = (b * channels + c) * positions + t;
            float expected = before[i] + dSeq[(b * positions + t) * channels + c];
            Assert.True(dImage[i] == expected, $"dImage [{b}, {c}, {t}] = {dImage[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Wrong_lengths_name_the_argument_and_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageToSequence.Forward(new float[5], new float[6], 1, 2, 3));
        Assert.Contains("sequence", e.Message);
        var p = Assert.Throws<ArgumentException>(() => PositionalEmbedding.Forward(new float[12], new float[12], new float[8], 1, 3, 4));
        Assert.Contains("position table", p.Message);
    }
}
