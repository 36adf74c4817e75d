using Microsoft.CodeAnalysis;

namespace PamGen.Generators;

/// <summary>
/// Emits fused forward/backward kernels for <c>[PamModel]</c> classes. The pipeline is wired in
/// <see cref="Initialize"/>; parsing and emitting live in their own files.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PamModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The model pipeline arrives with the DSL issue; until then the generator registers nothing.
    }
}
