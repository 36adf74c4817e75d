using System.Text;

namespace PamGen.Dsl.Emit;

/// <summary>An indented text writer for generated C# (after System.Text.Json's SourceWriter).</summary>
public sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    /// <summary>Writes one line at the current indentation (an empty line stays empty).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0) _text.Append(' ', 4 * _indent).Append(text);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public SourceWriter Open(string? header = null)
    {
        if (header is not null) Line(header);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c> (plus an optional suffix such as <c>;</c>).</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();
}
