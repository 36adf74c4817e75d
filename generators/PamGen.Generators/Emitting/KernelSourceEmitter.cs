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

    /// <summary>Adds <c>{Type}.{Kernel}.Ilgpu.g.cs</c> when the compilation references ILGPU (diagnostics are reported by <see cref="Emit"/>).</summary>
    public static void EmitIlgpu(SourceProductionContext context, KernelSpec spec, bool referencesIlgpu)
    {
        if (!referencesIlgpu || spec.Diagnostics.Count > 0 || spec.Kernel is null || spec.Context is null) return;
        var file = IlgpuKernelEmitter.Emit(spec.Kernel, spec.Context);
        if (file is not null) context.AddSource(file.HintName, SourceText.From(file.Text, Encoding.UTF8));
    }
}
