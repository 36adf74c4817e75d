using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PamGen.Generators.Diagnostics;
using PamGen.Generators.Emitting;
using PamGen.Generators.Parsing;

namespace PamGen.Generators;

/// <summary>
/// Emits fused forward/backward kernels for <c>[PamKernel]</c> methods and the training code of <c>[PamModel]</c>
/// classes. <see cref="Initialize"/> only wires named steps: attribute lookup → parser (Roslyn → equatable spec)
/// → emitter (spec → text through PamGen.Dsl).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PamModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var kernels = context.SyntaxProvider
            .ForAttributeWithMetadataName("PamGen.PamKernelAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => KernelParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.KernelSpecs);
        context.RegisterSourceOutput(kernels, static (spc, spec) => Guard(spc, "a [PamKernel]", () => KernelSourceEmitter.Emit(spc, spec)));

        // ILGPU kernels only where they compile: the consuming compilation references ILGPU (directly or, as in
        // the samples, transitively through PamGen.Runtime). Read from the references alone, not the whole
        // compilation, so that editing sources does not re-run this step.
        var referencesIlgpu = context.MetadataReferencesProvider
            .Select(static (reference, _) => IlgpuReference.Is(reference))
            .Collect()
            .Select(static (flags, _) => flags.Contains(true))
            .WithTrackingName(TrackingNames.ReferencesIlgpu);
        context.RegisterSourceOutput(kernels.Combine(referencesIlgpu),
            static (spc, pair) => Guard(spc, "a [PamKernel]", () => KernelSourceEmitter.EmitIlgpu(spc, pair.Left, pair.Right)));

        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName("PamGen.PamModelAttribute",
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ModelParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.ModelSpecs);
        context.RegisterSourceOutput(models, static (spc, spec) => Guard(spc, "a [PamModel]", () => ModelSourceEmitter.Emit(spc, spec)));

        var orphans = context.SyntaxProvider
            .ForAttributeWithMetadataName("PamGen.ForwardAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => OrphanForwardParser.Parse(ctx))
            .WithTrackingName(TrackingNames.ForwardPlacement);
        context.RegisterSourceOutput(orphans, static (spc, diagnostics) => Guard(spc, "a [Forward]", () => DiagnosticReporter.Report(spc, diagnostics)));
    }

    // The generator must never throw (CS8785 would hide every other result): failures become PAM0900.
    private static void Guard(SourceProductionContext context, string what, Action emit)
    {
        try
        {
            emit();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, what, ex.GetType().Name + ": " + ex.Message));
        }
    }
}
