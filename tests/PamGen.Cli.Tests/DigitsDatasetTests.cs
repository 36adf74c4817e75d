using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using PamGen.Cli.Data;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>The embedded scikit-learn digits load, malformed input names the file and line, the split is deterministic.</summary>
public class DigitsDatasetTests
{
    [Fact]
    public void Embedded_digits_hold_1797_images_with_pixels_0_to_16_and_every_label()
    {
        var digits = DigitsDataset.LoadEmbedded();

        Assert.Equal(1797, digits.Count);
        var counts = new int[DigitsDataset.Classes];
        int maxPixel = -1, nonZero = 0;
        for (int i = 0; i < digits.Count; i++)
        {
            int label = digits.Label(i);
            Assert.InRange(label, 0, 9);
            counts[label]++;
            foreach (byte p in digits.Image(i))
            {
                Assert.InRange(p, 0, 16);
                maxPixel = Math.Max(maxPixel, p);
                if (p != 0) nonZero++;
            }
        }
        // scikit-learn's digits are nearly balanced: 174..183 images per class.
        Assert.True(counts.All(c => c >= 170 && c <= 190), "class counts: " + string.Join(", ", counts));
        Assert.Equal(16, maxPixel);
        // About half of the pixels are ink; a parser that dropped values would show far fewer.
        Assert.InRange(nonZero / (double)(digits.Count * DigitsDataset.Pixels), 0.3, 0.7);
        // The first line of the file is a 0.
        Assert.Equal(0, digits.Label(0));
        Assert.Equal(new byte[] { 0, 0, 5, 13, 9, 1, 0, 0 }, digits.Image(0)[..8].ToArray());
    }

    [Fact]
    public void A_short_line_names_the_file_the_line_and_the_count()
    {
        string good = string.Join(',', Enumerable.Repeat("3", 64)) + ",7";
        string text = good + "\n" + good + "\n1,2,3,4,5,6,7,8,9,10,11,12\n" + good + "\n";

        var bad = Assert.Throws<InvalidDataException>(() => DigitsDataset.LoadGzip(Gzip(text), "digits.csv.gz"));

        Assert.StartsWith("digits.csv.gz line 3: expected 65 comma-separated values (64 pixels, then the label), found 12.", bad.Message);
        Assert.Contains("python3-sklearn", bad.Message);
    }

    [Fact]
    public void Out_of_range_values_and_garbage_name_the_line_and_the_field()
    {
        string pixels = string.Join(',', Enumerable.Repeat("3", 63));
        var pixel = Assert.Throws<InvalidDataException>(() => DigitsDataset.Parse(new StringReader("\n" + pixels + ",17,4"), "x.csv"));
        Assert.StartsWith("x.csv line 2: pixel 64 is 17, outside 0..16.", pixel.Message);

        var label = Assert.Throws<InvalidDataException>(() => DigitsDataset.Parse(new StringReader(pixels + ",1,10"), "x.csv"));
        Assert.StartsWith("x.csv line 1: the label is 10, outside 0..9.", label.Message);

        var garbage = Assert.Throws<InvalidDataException>(() => DigitsDataset.Parse(new StringReader(pixels + ",a,1"), "x.csv"));
        Assert.StartsWith("x.csv line 1: pixel 64 'a' is not an integer.", garbage.Message);
    }

    [Fact]
    public void A_stream_that_is_not_gzip_is_named()
    {
        var bad = Assert.Throws<InvalidDataException>(() =>
            DigitsDataset.LoadGzip(new MemoryStream(Encoding.ASCII.GetBytes("0,1,2 this is plain text, not gzip")), "digits.csv.gz"));
        Assert.StartsWith("digits.csv.gz: not a valid gzip stream", bad.Message);
    }

    [Fact]
    public void Split_is_deterministic_disjoint_and_complete()
    {
        var digits = DigitsDataset.LoadEmbedded();
        var (train, test) = digits.Split(297, seed: 1);
        var (train2, test2) = digits.Split(297, seed: 1);
        var (_, test3) = digits.Split(297, seed: 2);

        Assert.Equal(1500, train.Count);
        Assert.Equal(297, test.Count);
        Assert.Equal(Fingerprint(test), Fingerprint(test2));
        Assert.Equal(Fingerprint(train), Fingerprint(train2));
        Assert.NotEqual(Fingerprint(test), Fingerprint(test3));

        // The split takes the seeded permutation's first 297 indices for testing and the rest for training:
        // a permutation of 0..1796 makes the two sets disjoint and together complete.
        int[] order = DigitsDataset.Permutation(digits.Count, 1);
        Assert.Equal(Enumerable.Range(0, digits.Count), order.OrderBy(i => i));
        Assert.Equal(Fingerprint(digits.Subset(order.AsSpan(0, 297))), Fingerprint(test));
        Assert.Equal(Fingerprint(digits.Subset(order.AsSpan(297))), Fingerprint(train));
        var labelCounts = Enumerable.Range(0, 10).Select(c => Count(train, c) + Count(test, c));
        Assert.Equal(Enumerable.Range(0, 10).Select(c => Count(digits, c)), labelCounts);
    }

    private static int Count(DigitsDataset data, int label) => Enumerable.Range(0, data.Count).Count(i => data.Label(i) == label);

    private static string Fingerprint(DigitsDataset data)
    {
        var text = new StringBuilder();
        for (int i = 0; i < data.Count; i++) text.Append(data.Label(i)).Append(':').Append(Convert.ToHexString(data.Image(i))).Append(';');
        return text.ToString();
    }

    private static MemoryStream Gzip(string text)
    {
        var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            zip.Write(Encoding.ASCII.GetBytes(text));
        buffer.Position = 0;
        return buffer;
    }
}
