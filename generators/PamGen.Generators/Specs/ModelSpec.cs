using PamGen.Dsl;
using PamGen.Dsl.Emit;
using PamGen.Dsl.Model;

namespace PamGen.Generators.Specs;

/// <summary>
/// What the parser extracts from one <c>[PamModel]</c> class: where to emit, the checked and fused model graph,
/// or the diagnostics that block it. Equatable, free of Roslyn objects.
/// </summary>
/// <param name="Context">The enclosing namespace and types, or null when invalid.</param>
/// <param name="Graph">The fused model graph, or null when invalid.</param>
/// <param name="Diagnostics">Errors; when non-empty nothing is emitted.</param>
public sealed record ModelSpec(TypeContext? Context, ModelGraph? Graph, EquatableArray<DiagnosticInfo> Diagnostics);
