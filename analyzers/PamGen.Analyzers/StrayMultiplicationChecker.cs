using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace PamGen.Analyzers;

/// <summary>
/// The per-compilation state and callbacks of <see cref="StrayMultiplicationAnalyzer"/>: symbols looked up
/// once, caches shared by the concurrent callbacks.
/// </summary>
internal sealed class StrayMultiplicationChecker
{
    private readonly MultiplicationFreeScope _scope;
    private readonly FloatingTypes _types;
    private readonly ConcurrentDictionary<INamedTypeSymbol, ApiFamily> _families = new(SymbolEqualityComparer.Default);

    public StrayMultiplicationChecker(MultiplicationFreeScope scope, FloatingTypes types)
    {
        _scope = scope;
        _types = types;
    }

    public void AnalyzeBinary(OperationAnalysisContext context)
    {
        var operation = (IBinaryOperation)context.Operation;
        if (operation.OperatorKind is not (BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide)) return;
        // Constant-folded products (const float X = 2f * 3f) are computed by the compiler, not at run time.
        if (operation.ConstantValue.HasValue) return;

        var kind = ClassifyOperator(operation.OperatorMethod, operation.Type, operation.LeftOperand.Type, operation.RightOperand.Type);
        if (kind == FloatingKind.None || !_scope.Contains(operation, context.ContainingSymbol)) return;

        var isMultiply = operation.OperatorKind == BinaryOperatorKind.Multiply;
        var fix = FixFor(kind, operation.OperatorMethod, operation.Type, operation.LeftOperand.Type, operation.RightOperand.Type);
        Report(context, operation, kind, isMultiply ? "*" : "/", operation.Type, isMultiply, fix, FixForms.Binary);
    }

    public void AnalyzeCompoundAssignment(OperationAnalysisContext context)
    {
        var operation = (ICompoundAssignmentOperation)context.Operation;
        if (operation.OperatorKind is not (BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide)) return;

        var kind = ClassifyOperator(operation.OperatorMethod, operation.Target.Type, operation.Target.Type, operation.Value.Type);
        if (kind == FloatingKind.None || !_scope.Contains(operation, context.ContainingSymbol)) return;

        var isMultiply = operation.OperatorKind == BinaryOperatorKind.Multiply;
        var fix = FixFor(kind, operation.OperatorMethod, operation.Target.Type, operation.Target.Type, operation.Value.Type);
        Report(context, operation, kind, isMultiply ? "*=" : "/=", operation.Target.Type, isMultiply, fix, FixForms.Compound);
    }

    public void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var operation = (IInvocationOperation)context.Operation;
        var method = operation.TargetMethod;
        if (method.ContainingType is not { } type) return;

        // A [PamKernel] declaration called directly computes in float32 (PamMath); its generated kernels are the PAM form.
        if (_scope.IsKernelDeclaration(method.OriginalDefinition))
        {
            if (_scope.Contains(operation, context.ContainingSymbol))
            {
                Report(context, PamDiagnostics.MultiplyingCall, operation.Syntax, null, Describe(method),
                    $"the generated {method.Name}Forward<TArith> kernel (the declaration itself computes in float32)");
            }
            return;
        }

        var family = _families.GetOrAdd(type.OriginalDefinition, MultiplyingApis.FamilyOf);
        if (family == ApiFamily.NeverMultiplies) return;

        if (family == ApiFamily.PamVerified)
        {
            // Verified mode-generic code multiplies for real when instantiated with the IEEE control mode.
            if (IsIeeeInstantiation(method) && _scope.Contains(operation, context.ContainingSymbol))
            {
                Report(context, PamDiagnostics.MultiplyingCall, operation.Syntax, null,
                    Describe(method), "PamArithmetic<...> (IeeeArithmetic really multiplies)");
            }
            return;
        }

        if (family == ApiFamily.IeeeMode)
        {
            if (_scope.Contains(operation, context.ContainingSymbol))
            {
                Report(context, PamDiagnostics.MultiplyingCall, operation.Syntax, null,
                    Describe(method), "the same member of PamArithmetic<...> or TArith");
            }
            return;
        }

        // LINQ Average divides even when averaging integers; everything else counts only with floating values.
        var multiplies = MultiplyingApis.Multiplies(family, method);
        if (!(multiplies && family == ApiFamily.Linq) && !InvolvesFloating(operation)) return;

        if (family != ApiFamily.Unknown)
        {
            if (!multiplies || !_scope.Contains(operation, context.ContainingSymbol)) return;
            var replacement = MultiplyingApis.PamReplacement(family, method);
            var properties = replacement is null
                ? null
                : ImmutableDictionary<string, string?>.Empty
                    .Add(FixProperties.Member, replacement)
                    .Add(FixProperties.Form, FixForms.Call)
                    .Add(FixProperties.Target, FixTargets.Scalar);
            Report(context, PamDiagnostics.MultiplyingCall, operation.Syntax, properties, Describe(method),
                replacement is null ? "an explicit PAM formulation (Pam.Mul, Pam.Div, Pam.Exp2, Pam.Log2, ...)" : "Pam." + replacement);
            return;
        }

        if (_scope.Contains(method.OriginalDefinition) || !_scope.Contains(operation, context.ContainingSymbol)) return;
        Report(context, PamDiagnostics.UnverifiedCall, operation.Syntax, null, Describe(method));
    }

    /// <summary>A call through a function pointer (<c>delegate*&lt;float, float&gt;</c>): the target is unknown, so it is unverified.</summary>
    public void AnalyzeFunctionPointerInvocation(OperationAnalysisContext context)
    {
        var operation = (IFunctionPointerInvocationOperation)context.Operation;
        var signature = operation.GetFunctionPointerSignature();
        var floating = _types.Carries(signature.ReturnType);
        foreach (var parameter in signature.Parameters) floating |= _types.Carries(parameter.Type);
        if (!floating || !_scope.Contains(operation, context.ContainingSymbol)) return;
        Report(context, PamDiagnostics.UnverifiedCall, operation.Syntax, null, "function pointer " + operation.Target.Syntax);
    }

    private FloatingKind ClassifyOperator(IMethodSymbol? method, ITypeSymbol? result, ITypeSymbol? left, ITypeSymbol? right)
    {
        if (method is not null)
        {
            var family = _families.GetOrAdd(method.ContainingType.OriginalDefinition, MultiplyingApis.FamilyOf);
            if (family == ApiFamily.PamVerified || _scope.Contains(method.OriginalDefinition)) return FloatingKind.None;
        }

        var kind = Max(_types.Classify(result), Max(_types.Classify(left), _types.Classify(right)));
        if (kind != FloatingKind.None || method is null) return kind;

        // A user-defined operator on a type of our own: it multiplies floats if its type holds them.
        if (_types.HoldsFloatingFields(method.ContainingType) || _types.Carries(method.ReturnType)) return FloatingKind.Scalar;
        foreach (var parameter in method.Parameters)
        {
            if (_types.HoldsFloatingFields(parameter.Type)) return FloatingKind.Scalar;
        }
        return FloatingKind.None;
    }

    /// <summary>The Pam replacement a code fix can offer, or null: float32 scalars and Vector256/512 of float only (PAM is float32).</summary>
    private string? FixFor(FloatingKind kind, IMethodSymbol? method, ITypeSymbol? result, ITypeSymbol? left, ITypeSymbol? right)
    {
        if (kind == FloatingKind.Scalar)
        {
            return method is null && IsFloat(result) && IsFloat(left) && IsFloatOrInteger(right) ? FixTargets.Scalar : null;
        }
        foreach (var bits in new[] { 256, 512 })
        {
            if (_types.IsVectorOfFloat(result, bits) && _types.IsVectorOfFloat(left, bits) && _types.IsVectorOfFloat(right, bits))
            {
                return bits == 256 ? FixTargets.Vector256 : FixTargets.Vector512;
            }
        }
        return null;
    }

    private static void Report(
        OperationAnalysisContext context, IOperation operation, FloatingKind kind, string token, ITypeSymbol? type,
        bool isMultiply, string? fixTarget, string form)
    {
        var member = isMultiply ? "Mul" : "Div";
        var verb = isMultiply ? "multiplication" : "division";
        var properties = fixTarget is null
            ? null
            : ImmutableDictionary<string, string?>.Empty
                .Add(FixProperties.Member, member)
                .Add(FixProperties.Form, form)
                .Add(FixProperties.Target, fixTarget);
        var typeName = type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
        if (kind == FloatingKind.Vector)
        {
            Report(context, PamDiagnostics.VectorOperator, operation.Syntax, properties, token, typeName, verb,
                $"TArith.{member} or PamArithmetic<PamDefaults>.{member} (Vector256/Vector512 of float), or a Pam span kernel");
        }
        else
        {
            var advice = type?.SpecialType == SpecialType.System_Single
                ? $"Pam.{member}, or TArith.{member} in mode-generic code"
                : $"Pam.{member} on float operands (PAM is float32 only)";
            Report(context, PamDiagnostics.FloatingOperator, operation.Syntax, properties, token, typeName, verb, advice);
        }
    }

    private static void Report(
        OperationAnalysisContext context, DiagnosticDescriptor descriptor, SyntaxNode syntax,
        ImmutableDictionary<string, string?>? properties, params object[] arguments)
    {
        context.ReportDiagnostic(Diagnostic.Create(descriptor, syntax.GetLocation(), properties, arguments));
    }

    private bool InvolvesFloating(IInvocationOperation operation)
    {
        var method = operation.TargetMethod;
        if (_types.Carries(method.ReturnType)) return true;
        if (operation.Instance is { } instance && _types.Carries(instance.Type)) return true;
        foreach (var parameter in method.Parameters)
        {
            if (_types.Carries(parameter.Type)) return true;
        }
        return false;
    }

    private bool IsIeeeInstantiation(IMethodSymbol method)
    {
        foreach (var argument in method.TypeArguments)
        {
            if (IsIeeeMode(argument)) return true;
        }
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (var argument in type.TypeArguments)
            {
                if (IsIeeeMode(argument)) return true;
            }
        }
        return false;
    }

    private bool IsIeeeMode(ITypeSymbol type) =>
        type is INamedTypeSymbol named && _families.GetOrAdd(named.OriginalDefinition, MultiplyingApis.FamilyOf) == ApiFamily.IeeeMode;

    private static string Describe(IMethodSymbol method) =>
        method.ContainingType is { } type
            ? type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + method.Name
            : method.Name;

    private static bool IsFloat(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Single;

    private static bool IsFloatOrInteger(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Single or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16
            or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Char => true,
        _ => false,
    };

    private static FloatingKind Max(FloatingKind a, FloatingKind b) => a > b ? a : b;
}
