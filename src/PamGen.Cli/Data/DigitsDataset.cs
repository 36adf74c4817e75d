using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace PamGen.Cli.Data;

/// <summary>
/// scikit-learn's 8×8 handwritten digits (1,797 images, pixel values 0..16, labels 0..9), embedded in
/// <c>pamgen</c> as <c>digits.csv.gz</c> so that <c>pamgen train</c> needs no download (licence: Data/NOTICE.md).
/// Each CSV line holds 64 pixel values in row-major order followed by the label.
/// </summary>
internal sealed class DigitsDataset
{
    /// <summary>Pixels per image (8 × 8).</summary>
    public const int Pixels = 64;
    /// <summary>Distinct pixel values 0..16.</summary>
    public const int Levels = 17;
    /// <summary>Digit classes 0..9.</summary>
    public const int Classes = 10;
    /// <summary>The embedded file's name (also the manifest resource name).</summary>
    public const string ResourceName = "digits.csv.gz";

    private readonly byte[] _pixels;
    private readonly int[] _labels;

    private DigitsDataset(byte[] pixels, int[] labels)
    {
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>The 64 pixel values (0..16) of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => _pixels.AsSpan(index * Pixels, Pixels);

    /// <summary>The label (0..9) of image <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>Loads the copy embedded in the <c>pamgen</c> assembly.</summary>
    public static DigitsDataset LoadEmbedded()
    {
        using var stream = typeof(DigitsDataset).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"The embedded resource '{ResourceName}' is missing from {typeof(DigitsDataset).Assembly.GetName().Name}; " +
                "rebuild src/PamGen.Cli (its .csproj embeds Data/digits.csv.gz with LogicalName 'digits.csv.gz').");
        return LoadGzip(stream, ResourceName);
    }

    /// <summary>Gunzips and parses <paramref name="gzip"/>; <paramref name="name"/> names the source in error messages.</summary>
    public static DigitsDataset LoadGzip(Stream gzip, string name)
    {
        string text;
        try
        {
            using var unzip = new GZipStream(gzip, CompressionMode.Decompress);
            using var reader = new StreamReader(unzip);
            text = reader.ReadToEnd();
        }
        catch (InvalidDataException bad)
        {
            throw new InvalidDataException(
                $"{name}: not a valid gzip stream ({bad.Message}). Restore the file from the Debian package python3-sklearn " +
                "(sklearn/datasets/data/digits.csv.gz).", bad);
        }
        return Parse(new StringReader(text), name);
    }

    /// <summary>
    /// Parses CSV text: one image per line, 64 pixel values 0..16 then the label 0..9, comma-separated.
    /// Empty lines are skipped; anything else malformed throws <see cref="InvalidDataException"/> naming
    /// <paramref name="name"/> and the line.
    /// </summary>
    public static DigitsDataset Parse(TextReader reader, string name)
    {
        var pixels = new List<byte>();
        var labels = new List<int>();
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line != null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != Pixels + 1)
                throw Bad(name, lineNumber, $"expected {Pixels + 1} comma-separated values (64 pixels, then the label), found {fields.Length}");
            for (int i = 0; i <= Pixels; i++)
            {
                int limit = i < Pixels ? Levels - 1 : Classes - 1;
                string what = i < Pixels ? $"pixel {i + 1}" : "the label";
                if (!int.TryParse(fields[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                    && !TryParseIntegralFloat(fields[i], out value))
                    throw Bad(name, lineNumber, $"{what} '{fields[i]}' is not an integer");
                if (value < 0 || value > limit)
                    throw Bad(name, lineNumber, $"{what} is {value}, outside 0..{limit}");
                if (i < Pixels) pixels.Add((byte)value);
                else labels.Add(value);
            }
        }
        if (labels.Count == 0) throw Bad(name, lineNumber, "no images found (the file is empty)");
        return new DigitsDataset(pixels.ToArray(), labels.ToArray());
    }

    // Some exports write the values as "16.0": accept integral floats, nothing else.
    private static bool TryParseIntegralFloat(string field, out int value)
    {
        value = 0;
        if (!double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d != Math.Floor(d) || Math.Abs(d) > 1000)
            return false;
        value = (int)d;
        return true;
    }

    private static InvalidDataException Bad(string name, int line, string problem) =>
        new($"{name} line {line}: {problem}. Each line must hold 64 pixel values 0..16 and then the label 0..9; " +
            "restore the file from the Debian package python3-sklearn (sklearn/datasets/data/digits.csv.gz).");

    /// <summary>
    /// A deterministic shuffled split: <paramref name="testCount"/> images for testing, the rest for training, the
    /// same for the same <paramref name="seed"/> on every machine and .NET version (seeded <see cref="Random"/>).
    /// </summary>
    public (DigitsDataset Train, DigitsDataset Test) Split(int testCount, int seed)
    {
        if (testCount <= 0 || testCount >= Count)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount, $"The test set must hold between 1 and {Count - 1} of the {Count} images.");
        int[] order = Permutation(Count, seed);
        return (Subset(order.AsSpan(testCount)), Subset(order.AsSpan(0, testCount)));
    }

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public DigitsDataset Subset(ReadOnlySpan<int> indices)
    {
        var pixels = new byte[indices.Length * Pixels];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * Pixels, Pixels));
            labels[i] = _labels[indices[i]];
        }
        return new DigitsDataset(pixels, labels);
    }

    /// <summary>Fisher–Yates shuffle of 0..<paramref name="count"/>−1 with a seeded <see cref="Random"/>.</summary>
    public static int[] Permutation(int count, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var random = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
