using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using PamGen.Dsl.Emit;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Emitting;

/// <summary>Turns a <see cref="ModelSpec"/> into diagnostics or source files (text comes from the DSL's model emitter).</summary>
internal static class ModelSourceEmitter
{
    public static void Emit(SourceProductionContext context, ModelSpec spec)
    {
        if (DiagnosticReporter.Report(context, spec.Diagnostics) || spec.Graph is null || spec.Context is null) return;
        foreach (var file in ModelEmitter.Emit(spec.Graph, spec.Context))
            context.AddSource(file.HintName, SourceText.From(file.Text, Encoding.UTF8));
    }
}
