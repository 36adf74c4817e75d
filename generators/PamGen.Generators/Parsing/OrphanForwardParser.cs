using System.Linq;
using Microsoft.CodeAnalysis;
using PamGen.Dsl;
using PamGen.Generators.Diagnostics;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Parsing;

/// <summary>
/// Checks a <c>[Forward]</c> method's placement: outside a <c>[PamModel]</c> class it would silently do nothing,
/// so it gets PAM0003. Returns the diagnostics only (empty when the placement is right).
/// </summary>
internal static class OrphanForwardParser
{
    public static EquatableArray<DiagnosticInfo> Parse(GeneratorAttributeSyntaxContext context)
    {
        var containing = context.TargetSymbol.ContainingType;
        bool inModel = containing?.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "PamGen.PamModelAttribute") == true;
        if (inModel) return EquatableArray<DiagnosticInfo>.Empty;
        var location = context.TargetSymbol.Locations.FirstOrDefault();
        return EquatableArray.Create(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, location is null ? null : LocationInfo.From(location),
            $"[Forward] is on '{context.TargetSymbol.Name}' in '{containing?.Name}', which is not a [PamModel] class",
            "add [PamModel] to the class or remove [Forward]"));
    }
}
