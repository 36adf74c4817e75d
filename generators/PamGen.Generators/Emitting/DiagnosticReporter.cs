using System.Linq;
using Microsoft.CodeAnalysis;
using PamGen.Dsl;
using PamGen.Generators.Diagnostics;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Emitting;

/// <summary>Reports the diagnostics carried by a spec.</summary>
internal static class DiagnosticReporter
{
    /// <summary>Reports every diagnostic; returns whether there was any (then nothing is emitted).</summary>
    public static bool Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ById[d.Id], d.Location?.ToLocation() ?? Location.None,
                d.Arguments.Cast<object>().ToArray()));
        return diagnostics.Count > 0;
    }
}
