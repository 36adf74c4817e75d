using PamGen.Dsl;
using PamGen.Dsl.Emit;
using PamGen.Dsl.Scalar;

namespace PamGen.Generators.Specs;

/// <summary>
/// What the parser extracts from one <c>[PamKernel]</c> method: where to emit, the parsed kernel, or the
/// diagnostics that block it. Equatable, free of Roslyn objects.
/// </summary>
/// <param name="Context">The enclosing namespace and types, or null when the declaration is invalid.</param>
/// <param name="Kernel">The parsed kernel, or null when the declaration is invalid.</param>
/// <param name="Diagnostics">Errors; when non-empty nothing is emitted.</param>
public sealed record KernelSpec(TypeContext? Context, KernelDefinition? Kernel, EquatableArray<DiagnosticInfo> Diagnostics);
