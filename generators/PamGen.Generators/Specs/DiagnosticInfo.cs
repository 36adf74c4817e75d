using PamGen.Dsl;

namespace PamGen.Generators.Specs;

/// <summary>A diagnostic to report, as values: the descriptor id, where, and the message arguments.</summary>
public sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    /// <summary>Creates a diagnostic record.</summary>
    public static DiagnosticInfo Create(string id, LocationInfo? location, params string[] arguments)
        => new(id, location, EquatableArray.Create(arguments));
}
