using Microsoft.CodeAnalysis;

namespace PamGen.Analyzers;

/// <summary>
/// Every diagnostic PamGen's analyzers report, in one place so that IDs stay stable (STYLE.md item 3):
/// PAM0100–PAM0199 are the stray-multiplication rules. IDs are never reused; a retired rule moves to
/// AnalyzerReleases.Shipped.md's "Removed Rules" table.
/// </summary>
public static class PamDiagnostics
{
    /// <summary>Category shared by the stray-multiplication rules (used by .editorconfig's <c>dotnet_analyzer_diagnostic.category-*</c>).</summary>
    public const string MultiplicationCategory = "PamMultiplication";

    /// <summary>
    /// Base of the help links: the "Diagnostics" section of the repository README. Each rule has an anchor
    /// named by its lower-case ID. Change it here if the repository moves.
    /// </summary>
    public const string HelpLinkBase = "https://github.com/pamgen/pamgen/blob/main/README.md#";

    /// <summary>ID of <see cref="FloatingOperator"/>.</summary>
    public const string FloatingOperatorId = "PAM0100";
    /// <summary>ID of <see cref="VectorOperator"/>.</summary>
    public const string VectorOperatorId = "PAM0101";
    /// <summary>ID of <see cref="MultiplyingCall"/>.</summary>
    public const string MultiplyingCallId = "PAM0102";
    /// <summary>ID of <see cref="UnverifiedCall"/>.</summary>
    public const string UnverifiedCallId = "PAM0103";

    /// <summary>PAM0100: <c>*</c>, <c>/</c>, <c>*=</c> or <c>/=</c> on a floating-point scalar in multiplication-free code.</summary>
    public static readonly DiagnosticDescriptor FloatingOperator = new(
        FloatingOperatorId,
        title: "Floating-point multiplication or division in multiplication-free code",
        messageFormat: "'{0}' on '{1}' is a real floating-point {2} in [MultiplicationFree] code; use {3}",
        category: MultiplicationCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Code marked [MultiplicationFree] (on the assembly, a containing type or the method) must not multiply or divide floating-point numbers: a training step in Pam mode contains no floating-point multiply or divide instruction. Replace the operator with the PAM operation (Pam.Mul, Pam.Div) or the arithmetic mode's (TArith.Mul, TArith.Div).",
        helpLinkUri: HelpLinkBase + "pam0100");

    /// <summary>PAM0101: <c>*</c>, <c>/</c>, <c>*=</c> or <c>/=</c> on a vector or matrix of floating-point elements.</summary>
    public static readonly DiagnosticDescriptor VectorOperator = new(
        VectorOperatorId,
        title: "Floating-point vector multiplication or division in multiplication-free code",
        messageFormat: "'{0}' on '{1}' is a real lane-wise floating-point {2} in [MultiplicationFree] code; use {3}",
        category: MultiplicationCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Operators on Vector<T>, Vector64/128/256/512<T> of floating-point elements and on System.Numerics vectors, matrices, quaternions and planes compile to vector multiply or divide instructions. Use the arithmetic mode's vector operations (TArith.Mul, PamArithmetic<PamDefaults>.Mul) or PAM span kernels.",
        helpLinkUri: HelpLinkBase + "pam0101");

    /// <summary>PAM0102: a call of a framework API known to multiply or divide in floating point.</summary>
    public static readonly DiagnosticDescriptor MultiplyingCall = new(
        MultiplyingCallId,
        title: "Call of a multiplying API in multiplication-free code",
        messageFormat: "'{0}' multiplies or divides in floating point and must not be called from [MultiplicationFree] code; use {1}",
        category: MultiplicationCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Math/MathF transcendental and power functions, FusedMultiplyAdd, ScaleB, Round with digits, System.Runtime.Intrinsics multiply/divide/FMA/dot/reciprocal/square-root members, System.Numerics geometry products, TensorPrimitives multiplying members and LINQ Average all execute floating-point multiplications or divisions. Use the Pam equivalent (Pam.Exp, Pam.Log, Pam.Pow, Pam.Sqrt, ...) or an explicit PAM formulation.",
        helpLinkUri: HelpLinkBase + "pam0102");

    /// <summary>PAM0103: a call into float-valued code that is neither multiplication-free nor verified (Info by default).</summary>
    public static readonly DiagnosticDescriptor UnverifiedCall = new(
        UnverifiedCallId,
        title: "Call into unverified floating-point code from multiplication-free code",
        messageFormat: "'{0}' computes with floating-point values but is neither [MultiplicationFree] nor part of PamGen's verified surface; mark it [MultiplicationFree] or call a PAM equivalent",
        category: MultiplicationCategory,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "The analyzer checks only code in [MultiplicationFree] scope, so a call into other float-valued code may hide a multiplication. PamGen's own verified types (Pam, PamArithmetic<>, IArithmetic, Gemm) and framework members known not to multiply (Abs, Min, Max, Clamp, Floor, Ceiling, Round, Sign, Truncate, CopySign, BitConverter, comparisons, conversions) are never reported. Raise the severity in .editorconfig to make unverified calls an error.",
        helpLinkUri: HelpLinkBase + "pam0103");
}
