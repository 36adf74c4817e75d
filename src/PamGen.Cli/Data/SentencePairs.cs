using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace PamGen.Cli.Data;

/// <summary>A German sentence and its English translation.</summary>
internal sealed record SentencePair(string German, string English);

/// <summary>
/// Reads the full-sentence pairs out of the Ding German–English dictionary (Debian <c>trans-de-en</c>, GPL-2+,
/// fetched at setup, never committed). Each line is <c>German :: English</c>; both sides hold the same number of
/// <c>|</c>-separated alternatives, each a <c>;</c>-separated list of synonyms. A pair is kept when the first
/// synonym of aligned alternatives is a sentence on both sides: 3–12 words, ending in <c>.</c>, <c>?</c> or
/// <c>!</c>, at most <c>maxChars</c> characters once the dictionary's annotations (<c>{n}</c>, <c>[ugs.]</c>,
/// <c>(…)</c>) are removed.
/// </summary>
internal static partial class SentencePairs
{
    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Parses <paramref name="bytes"/> (the dictionary file named <paramref name="path"/>).</summary>
    /// <exception cref="InvalidDataException">A line is not UTF-8 or has no <c> :: </c>; the message names the file,
    /// the line, its byte offset and the fix.</exception>
    public static List<SentencePair> Parse(ReadOnlySpan<byte> bytes, string path, int maxChars)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var pairs = new List<SentencePair>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int offset = 0, lineNumber = 0;
        while (offset < bytes.Length)
        {
            int length = bytes[offset..].IndexOf((byte)'\n');
            if (length < 0) length = bytes.Length - offset;
            lineNumber++;
            string line;
            try
            {
                line = strict.GetString(bytes.Slice(offset, length)).TrimEnd('\r');
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}: line {lineNumber} (byte offset {offset}) is not valid UTF-8; the file is damaged: fetch it again (pamgen translate --fetch) or pass an intact copy with --data.");
            }
            int lineOffset = offset;
            offset += length + 1;
            if (line.Length == 0 || line[0] == '#') continue;
            int separator = line.IndexOf(" :: ", StringComparison.Ordinal);
            if (separator < 0)
                throw new InvalidDataException($"{path}: line {lineNumber} (byte offset {lineOffset}) has no ' :: ' between German and English: \"{Shorten(line)}\"; pass the Ding dictionary (usr/share/trans/de-en of Debian's trans-de-en) with --data.");
            string[] german = line[..separator].Split(" | "), english = line[(separator + 4)..].Split(" | ");
            if (german.Length != english.Length) continue;   // unaligned alternatives: no safe pairing
            for (int i = 0; i < german.Length; i++)
            {
                string de = Clean(german[i]), en = Clean(english[i]);
                if (IsSentence(de, maxChars) && IsSentence(en, maxChars) && seen.Add(de + "\n" + en))
                    pairs.Add(new SentencePair(de, en));
            }
        }
        if (pairs.Count == 0)
            throw new InvalidDataException($"{path}: no sentence pairs found in {lineNumber} lines; this is not the Ding dictionary (usr/share/trans/de-en of Debian's trans-de-en).");
        return pairs;
    }

    private static string Clean(string alternative)
    {
        int synonym = alternative.IndexOf("; ", StringComparison.Ordinal);
        string first = synonym < 0 ? alternative : alternative[..synonym];
        return Spaces().Replace(Annotation().Replace(first, ""), " ").Trim();
    }

    private static bool IsSentence(string text, int maxChars)
    {
        if (text.Length == 0 || text.Length > maxChars || text[^1] is not ('.' or '?' or '!')) return false;
        int words = text.Split(' ').Length;
        return words is >= 3 and <= 12;
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";

    /// <summary>A seeded shuffle of <paramref name="pairs"/> split into held-out and training sets.</summary>
    public static (List<SentencePair> Train, List<SentencePair> Test) Split(List<SentencePair> pairs, int testCount, int seed)
    {
        if (testCount >= pairs.Count)
            throw new ArgumentException($"--test {testCount} leaves no training pairs out of {pairs.Count}; choose fewer.", nameof(testCount));
        int[] order = DigitsDataset.Permutation(pairs.Count, seed);
        var test = new List<SentencePair>(testCount);
        var train = new List<SentencePair>(pairs.Count - testCount);
        for (int i = 0; i < order.Length; i++) (i < testCount ? test : train).Add(pairs[order[i]]);
        return (train, test);
    }
}
