using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PamGen.Analyzers;

/// <summary>
/// Decides whether code lies in <c>[MultiplicationFree]</c> scope: the attribute on the code's own lambda or
/// local function, its method (or the property of an accessor), any containing type (so nested types and every
/// part of a partial type are covered) or its assembly. One instance per compilation; answers are cached per
/// symbol because analysis runs concurrently over many operations of the same method.
/// </summary>
internal sealed class MultiplicationFreeScope
{
    private readonly INamedTypeSymbol _attribute;
    private readonly INamedTypeSymbol? _kernelAttribute;
    private readonly ConcurrentDictionary<ISymbol, bool> _cache = new(SymbolEqualityComparer.Default);

    public MultiplicationFreeScope(INamedTypeSymbol attribute, INamedTypeSymbol? kernelAttribute)
    {
        _attribute = attribute;
        _kernelAttribute = kernelAttribute;
    }

    /// <summary>
    /// True when <paramref name="operation"/>, found in the body of <paramref name="containingSymbol"/>, is in scope.
    /// The body of a <c>[PamKernel]</c> declaration never is: it is DSL source that the generator turns into mode-generic
    /// kernels (those are checked); calling the declaration directly is reported at the call (see <see cref="IsKernelDeclaration"/>).
    /// </summary>
    public bool Contains(IOperation operation, ISymbol containingSymbol)
    {
        if (IsKernelDeclaration(containingSymbol)) return false;
        if (Contains(containingSymbol)) return true;
        // A lambda or local function may carry the attribute itself inside an unmarked method.
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            var function = current switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
            if (function is not null && HasAttribute(function)) return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="symbol"/> or anything containing it carries the attribute (cached).</summary>
    public bool Contains(ISymbol symbol)
    {
        if (_cache.TryGetValue(symbol, out var known)) return known;
        var result = Compute(symbol);
        _cache.TryAdd(symbol, result);
        return result;
    }

    private bool Compute(ISymbol symbol)
    {
        if (HasAttribute(symbol)) return true;
        if (symbol is IAssemblySymbol) return false;
        if (symbol is IMethodSymbol { AssociatedSymbol: { } property } && HasAttribute(property)) return true;
        var container = symbol.ContainingSymbol;
        if (container is null || container is INamespaceSymbol)
        {
            return symbol.ContainingAssembly is { } assembly && Contains(assembly);
        }
        return Contains(container);
    }

    /// <summary>True for a method declared <c>[PamKernel]</c> (a DSL declaration of the source generator).</summary>
    public bool IsKernelDeclaration(ISymbol symbol) =>
        _kernelAttribute is not null && symbol is IMethodSymbol && HasAttribute(symbol, _kernelAttribute);

    private bool HasAttribute(ISymbol symbol) => HasAttribute(symbol, _attribute);

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType)) return true;
        }
        return false;
    }
}
