using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PamGen.Cli.Data;

namespace PamGen.Cli.Training;

/// <summary>
/// Characters as tokens, shared by source and target: ids 0–3 are padding, begin, end and unknown, then every
/// character of the training pairs in ordinal order. A small vocabulary suits a few thousand sentence pairs, where
/// most words would be seen once.
/// </summary>
internal sealed class CharVocabulary
{
    public const int Pad = 0, Begin = 1, End = 2, Unknown = 3;
    private const int Reserved = 4;

    private readonly Dictionary<char, int> _ids;
    private readonly char[] _chars;

    private CharVocabulary(char[] chars)
    {
        _chars = chars;
        _ids = chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + Reserved);
    }

    /// <summary>Tokens, reserved ones included.</summary>
    public int Count => _chars.Length + Reserved;

    /// <summary>The vocabulary of <paramref name="pairs"/>' characters (both languages).</summary>
    public static CharVocabulary Build(IEnumerable<SentencePair> pairs)
        => new(pairs.SelectMany(p => p.German + p.English).Distinct().Order().ToArray());

    /// <summary>The id of <paramref name="c"/>, or <see cref="Unknown"/>.</summary>
    public int Id(char c) => _ids.TryGetValue(c, out int id) ? id : Unknown;

    /// <summary>The text of <paramref name="ids"/> up to the first end token; reserved ids other than unknown are dropped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            if (id == End) break;
            if (id == Unknown) text.Append('\uFFFD');
            else if (id >= Reserved && id < Count) text.Append(_chars[id - Reserved]);
        }
        return text.ToString();
    }
}
