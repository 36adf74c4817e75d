using Microsoft.CodeAnalysis;

namespace PamGen.Analyzers;

/// <summary>What kind of floating-point value a type holds, as far as multiplication goes.</summary>
internal enum FloatingKind
{
    /// <summary>Not floating point (integers, bools, strings, ...): never flagged.</summary>
    None,
    /// <summary>A floating-point scalar: float, double, Half, decimal, NFloat, Complex, or a type parameter constrained to IFloatingPoint.</summary>
    Scalar,
    /// <summary>A vector or matrix of floating-point elements.</summary>
    Vector,
}

/// <summary>
/// The framework types the rules classify, looked up once per compilation by metadata name
/// (missing ones stay null, e.g. System.Numerics.Tensors when it is not referenced).
/// </summary>
internal sealed class FloatingTypes
{
    private readonly INamedTypeSymbol? _half;
    private readonly INamedTypeSymbol? _nfloat;
    private readonly INamedTypeSymbol? _complex;
    private readonly INamedTypeSymbol? _iFloatingPoint;
    private readonly INamedTypeSymbol? _span;
    private readonly INamedTypeSymbol? _readOnlySpan;
    private readonly INamedTypeSymbol? _memory;
    private readonly INamedTypeSymbol? _readOnlyMemory;
    private readonly INamedTypeSymbol? _nullable;
    private readonly INamedTypeSymbol?[] _genericVectors;
    private readonly INamedTypeSymbol?[] _floatVectors;

    public FloatingTypes(Compilation compilation)
    {
        _half = compilation.GetTypeByMetadataName("System.Half");
        _nfloat = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.NFloat");
        _complex = compilation.GetTypeByMetadataName("System.Numerics.Complex");
        _iFloatingPoint = compilation.GetTypeByMetadataName("System.Numerics.IFloatingPoint`1");
        _span = compilation.GetTypeByMetadataName("System.Span`1");
        _readOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        _memory = compilation.GetTypeByMetadataName("System.Memory`1");
        _readOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
        _nullable = compilation.GetSpecialType(SpecialType.System_Nullable_T);
        _genericVectors = new[]
        {
            compilation.GetTypeByMetadataName("System.Numerics.Vector`1"),
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector64`1"),
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector128`1"),
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector256`1"),
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1"),
        };
        _floatVectors = new[]
        {
            compilation.GetTypeByMetadataName("System.Numerics.Vector2"),
            compilation.GetTypeByMetadataName("System.Numerics.Vector3"),
            compilation.GetTypeByMetadataName("System.Numerics.Vector4"),
            compilation.GetTypeByMetadataName("System.Numerics.Matrix3x2"),
            compilation.GetTypeByMetadataName("System.Numerics.Matrix4x4"),
            compilation.GetTypeByMetadataName("System.Numerics.Quaternion"),
            compilation.GetTypeByMetadataName("System.Numerics.Plane"),
        };
    }

    /// <summary>True for <c>Vector256&lt;float&gt;</c> (<paramref name="bits"/> = 256) or <c>Vector512&lt;float&gt;</c> (512): the operand types of the mode's vector Mul/Div.</summary>
    public bool IsVectorOfFloat(ITypeSymbol? type, int bits)
    {
        if (type is not INamedTypeSymbol { IsGenericType: true } named) return false;
        var index = bits switch { 256 => 3, 512 => 4, _ => -1 };
        return index >= 0
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _genericVectors[index])
            && named.TypeArguments[0].SpecialType == SpecialType.System_Single;
    }

    /// <summary>Classifies <paramref name="type"/> (nullable value types are looked through).</summary>
    public FloatingKind Classify(ITypeSymbol? type)
    {
        if (type is null) return FloatingKind.None;
        if (type is INamedTypeSymbol { IsGenericType: true } nullable
            && SymbolEqualityComparer.Default.Equals(nullable.OriginalDefinition, _nullable))
        {
            type = nullable.TypeArguments[0];
        }

        if (IsFloatingScalar(type)) return FloatingKind.Scalar;
        if (type is INamedTypeSymbol named)
        {
            foreach (var vector in _floatVectors)
            {
                if (SymbolEqualityComparer.Default.Equals(named, vector)) return FloatingKind.Vector;
            }
            if (named.IsGenericType)
            {
                var definition = named.OriginalDefinition;
                foreach (var vector in _genericVectors)
                {
                    if (SymbolEqualityComparer.Default.Equals(definition, vector))
                    {
                        return IsFloatingScalar(named.TypeArguments[0]) ? FloatingKind.Vector : FloatingKind.None;
                    }
                }
            }
        }
        return FloatingKind.None;
    }

    /// <summary>
    /// True when a value of <paramref name="type"/> carries floating-point numbers: a floating scalar or vector,
    /// or a span, memory or array of them.
    /// </summary>
    public bool Carries(ITypeSymbol? type)
    {
        if (type is null) return false;
        if (Classify(type) != FloatingKind.None) return true;
        if (type is IArrayTypeSymbol array) return Carries(array.ElementType);
        if (type is IPointerTypeSymbol pointer) return Carries(pointer.PointedAtType);
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named)
        {
            var definition = named.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, _span)
                || SymbolEqualityComparer.Default.Equals(definition, _readOnlySpan)
                || SymbolEqualityComparer.Default.Equals(definition, _memory)
                || SymbolEqualityComparer.Default.Equals(definition, _readOnlyMemory))
            {
                return Carries(named.TypeArguments[0]);
            }
        }
        return false;
    }

    /// <summary>
    /// True when a user-defined type holds floating-point fields (looked at two levels deep), so that its
    /// operators presumably compute in floating point.
    /// </summary>
    public bool HoldsFloatingFields(ITypeSymbol? type, int depth = 2)
    {
        if (type is null) return false;
        if (Carries(type)) return true;
        if (depth == 0 || type is not INamedTypeSymbol named || named.SpecialType != SpecialType.None) return false;
        foreach (var member in named.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false } field && HoldsFloatingFields(field.Type, depth - 1)) return true;
        }
        return false;
    }

    private bool IsFloatingScalar(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
                return true;
        }
        if (SymbolEqualityComparer.Default.Equals(type, _half)
            || SymbolEqualityComparer.Default.Equals(type, _nfloat)
            || SymbolEqualityComparer.Default.Equals(type, _complex))
        {
            return true;
        }
        // Generic math: T * T where T : IFloatingPoint<T> (or an interface deriving from it) multiplies floats.
        if (type is ITypeParameterSymbol parameter && _iFloatingPoint is not null)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                if (IsFloatingPointInterface(constraint)) return true;
                foreach (var inherited in constraint.AllInterfaces)
                {
                    if (IsFloatingPointInterface(inherited)) return true;
                }
            }
        }
        return false;
    }

    private bool IsFloatingPointInterface(ITypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _iFloatingPoint);
}
