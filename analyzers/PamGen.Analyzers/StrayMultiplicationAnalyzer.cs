using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PamGen.Analyzers;

/// <summary>
/// Reports real floating-point multiplication left in <c>[MultiplicationFree]</c> code (PAM0100–PAM0103).
/// Works on operations, not syntax, so that <c>x *= y</c>, lifted nullable operators, user-defined operators
/// and extension calls are all seen the same way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StrayMultiplicationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Metadata name of the scope attribute (PamGen.Abstractions).</summary>
    public const string AttributeMetadataName = "PamGen.MultiplicationFreeAttribute";

    /// <summary>Metadata name of the source generator's kernel declaration attribute (PamGen.Abstractions).</summary>
    public const string KernelAttributeMetadataName = "PamGen.PamKernelAttribute";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        PamDiagnostics.FloatingOperator,
        PamDiagnostics.VectorOperator,
        PamDiagnostics.MultiplyingCall,
        PamDiagnostics.UnverifiedCall);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Generated code is analyzed and reported too: PamGen's source generator emits the kernels whose
        // multiplication-freedom is the point, so they must pass the same rules as hand-written code.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        // Without the attribute nothing can be in scope: register nothing, cost nothing.
        var attribute = context.Compilation.GetTypeByMetadataName(AttributeMetadataName);
        if (attribute is null) return;

        var checker = new StrayMultiplicationChecker(new MultiplicationFreeScope(attribute, context.Compilation.GetTypeByMetadataName(KernelAttributeMetadataName)), new FloatingTypes(context.Compilation));
        context.RegisterOperationAction(checker.AnalyzeBinary, OperationKind.Binary);
        context.RegisterOperationAction(checker.AnalyzeCompoundAssignment, OperationKind.CompoundAssignment);
        context.RegisterOperationAction(checker.AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(checker.AnalyzeFunctionPointerInvocation, OperationKind.FunctionPointerInvocation);
    }
}
