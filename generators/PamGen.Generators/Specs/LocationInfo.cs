using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace PamGen.Generators.Specs;

/// <summary>
/// A source location as plain values (file path, span, line span), so specs stay equatable and hold no
/// Roslyn object; turned back into a <see cref="Location"/> only when a diagnostic is reported.
/// </summary>
public sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    /// <summary>Captures <paramref name="node"/>'s span.</summary>
    public static LocationInfo From(SyntaxNode node) => From(node.GetLocation());

    /// <summary>Captures a location (source locations only; others become an empty location).</summary>
    public static LocationInfo From(Location location)
    {
        var line = location.GetLineSpan();
        return new LocationInfo(line.Path ?? "", location.SourceSpan.Start, location.SourceSpan.Length,
            line.StartLinePosition.Line, line.StartLinePosition.Character, line.EndLinePosition.Line, line.EndLinePosition.Character);
    }

    /// <summary>The Roslyn location for reporting.</summary>
    public Location ToLocation() => Location.Create(FilePath, new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
}
