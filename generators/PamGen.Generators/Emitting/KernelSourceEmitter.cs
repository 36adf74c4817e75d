using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using System.Text;
using PamGen.Dsl.Emit;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Emitting;

/// <summary>Turns a <see cref="KernelSpec"/> into diagnostics or source files (text comes from the DSL's emitter).</summary>
internal static class KernelSourceEmitter
{
    public static void Emit(SourceProductionContext context, KernelSpec spec)
    {
        if (DiagnosticReporter.Report(context, spec.Diagnostics) || spec.Kernel is null || spec.Context is null) return;
        foreach (var file in KernelEmitter.Emit(spec.Kernel, spec.Context))
            context.AddSource(file.HintName, SourceText.From(file.Text, Encoding.UTF8));
    }
}
