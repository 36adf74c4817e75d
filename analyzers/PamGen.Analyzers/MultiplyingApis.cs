using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PamGen.Analyzers;

/// <summary>
/// The tables behind PAM0102 and PAM0103: which framework members multiply or divide in floating point,
/// which never do, and which PamGen types are verified. Types are matched by metadata name.
/// </summary>
internal static class MultiplyingApis
{
    /// <summary>PamGen runtime types whose code is verified multiplication-free in Pam mode (by the audit and the analyzer).</summary>
    private static readonly HashSet<string> PamVerifiedTypes = new(StringComparer.Ordinal)
    {
        "PamGen.Pam", "PamGen.PamArithmetic`1", "PamGen.PamOffset", "PamGen.PamDefaults", "PamGen.IPamOptions",
        "PamGen.IArithmetic", "PamGen.Gemm",
    };

    private static readonly HashSet<string> ScalarMathTypes = new(StringComparer.Ordinal)
    {
        "System.Math", "System.MathF", "System.Single", "System.Double", "System.Half", "System.Runtime.InteropServices.NFloat",
        // The generator's DSL functions: called directly they compute with Math (Exp, Log, Pow, Sqrt multiply; Abs, Min, Max do not).
        "PamGen.PamMath",
    };

    private static readonly HashSet<string> VectorMathTypes = new(StringComparer.Ordinal)
    {
        "System.Numerics.Vector", "System.Numerics.Vector`1",
        "System.Runtime.Intrinsics.Vector64", "System.Runtime.Intrinsics.Vector128",
        "System.Runtime.Intrinsics.Vector256", "System.Runtime.Intrinsics.Vector512",
        "System.Runtime.Intrinsics.Vector64`1", "System.Runtime.Intrinsics.Vector128`1",
        "System.Runtime.Intrinsics.Vector256`1", "System.Runtime.Intrinsics.Vector512`1",
    };

    private static readonly HashSet<string> GeometryTypes = new(StringComparer.Ordinal)
    {
        "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4",
        "System.Numerics.Matrix3x2", "System.Numerics.Matrix4x4", "System.Numerics.Quaternion", "System.Numerics.Plane",
    };

    private static readonly HashSet<string> LinqTypes = new(StringComparer.Ordinal)
    {
        "System.Linq.Enumerable", "System.Linq.Queryable", "System.Linq.ParallelEnumerable",
    };

    private static readonly HashSet<string> NeverMultipliesTypes = new(StringComparer.Ordinal)
    {
        "System.BitConverter", "System.Convert", "System.Object", "System.String", "System.Array", "System.Span`1",
        "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.MemoryExtensions",
        "System.Runtime.InteropServices.MemoryMarshal", "System.Runtime.InteropServices.CollectionsMarshal",
        "System.Runtime.CompilerServices.Unsafe", "System.Buffers.Binary.BinaryPrimitives",
        "System.Numerics.BitOperations", "System.Console", "System.Diagnostics.Debug", "System.Diagnostics.Trace",
        "System.ArgumentException", "System.ArgumentOutOfRangeException", "System.ArgumentNullException",
        "System.IComparable`1", "System.IEquatable`1", "System.Collections.Generic.EqualityComparer`1",
        "System.Collections.Generic.Comparer`1", "System.Collections.Generic.List`1", "System.GC",
        "System.Buffers.ArrayPool`1", "System.Runtime.InteropServices.NativeMemory",
    };

    /// <summary>Transcendental, power and fused members of Math, MathF, float, double, Half and NFloat.</summary>
    private static readonly HashSet<string> ScalarMathMultiplying = new(StringComparer.Ordinal)
    {
        "Acos", "Acosh", "AcosPi", "Asin", "Asinh", "AsinPi", "Atan", "Atan2", "Atan2Pi", "Atanh", "AtanPi", "Cbrt",
        "Cos", "Cosh", "CosPi", "DegreesToRadians", "Exp", "Exp10", "Exp10M1", "Exp2", "Exp2M1", "ExpM1",
        "FusedMultiplyAdd", "Hypot", "IEEERemainder", "Ieee754Remainder", "Lerp", "Log", "Log10", "Log10P1", "Log2",
        "Log2P1", "LogP1", "MultiplyAddEstimate", "Pow", "RadiansToDegrees", "ReciprocalEstimate",
        "ReciprocalSqrtEstimate", "RootN", "ScaleB", "Sin", "SinCos", "SinCosPi", "Sinh", "SinPi", "Sqrt", "Tan",
        "Tanh", "TanPi",
    };

    /// <summary>Members of the generic vector static classes that multiply or divide lanes.</summary>
    private static readonly HashSet<string> VectorMathMultiplying = new(StringComparer.Ordinal)
    {
        "Multiply", "Divide", "Dot", "Sqrt", "FusedMultiplyAdd", "MultiplyAddEstimate", "Exp", "Log", "Log2", "Sin",
        "Cos", "SinCos", "Hypot", "Lerp", "DegreesToRadians", "RadiansToDegrees",
    };

    /// <summary>Substrings of hardware-intrinsic member names that multiply, divide, take roots or reciprocals.</summary>
    private static readonly string[] IntrinsicsMultiplyingParts =
    {
        "Multiply", "Divide", "Sqrt", "SquareRoot", "Reciprocal", "Dot", "Scale",
    };

    private static readonly HashSet<string> GeometryMultiplying = new(StringComparer.Ordinal)
    {
        "Multiply", "Divide", "Dot", "Cross", "Length", "LengthSquared", "Distance", "DistanceSquared", "Normalize",
        "Reflect", "Transform", "TransformNormal", "SquareRoot", "Lerp", "Slerp", "Invert", "Inverse", "Concatenate",
        "Decompose", "GetDeterminant", "FusedMultiplyAdd", "MultiplyAddEstimate", "Exp", "Log", "Sin", "Cos",
        "Hypot", "DegreesToRadians", "RadiansToDegrees", "DotCoordinate", "DotNormal", "CreateFromAxisAngle",
        "CreateFromYawPitchRoll", "CreateFromRotationMatrix", "CreateFromQuaternion", "CreateFromVertices",
        "CreateRotation", "CreateRotationX", "CreateRotationY", "CreateRotationZ", "CreatePerspective",
        "CreatePerspectiveFieldOfView", "CreatePerspectiveOffCenter", "CreatePerspectiveLeftHanded",
        "CreatePerspectiveFieldOfViewLeftHanded", "CreatePerspectiveOffCenterLeftHanded", "CreateOrthographic",
        "CreateOrthographicOffCenter", "CreateOrthographicLeftHanded", "CreateOrthographicOffCenterLeftHanded",
        "CreateLookAt", "CreateLookTo", "CreateLookAtLeftHanded", "CreateLookToLeftHanded", "CreateBillboard",
        "CreateBillboardLeftHanded", "CreateConstrainedBillboard", "CreateConstrainedBillboardLeftHanded",
        "CreateReflection", "CreateShadow", "CreateWorld", "CreateSkew", "CreateViewport", "CreateViewportLeftHanded",
    };

    private static readonly HashSet<string> ComplexMultiplying = new(StringComparer.Ordinal)
    {
        "Multiply", "Divide", "Abs", "Exp", "Log", "Log10", "Pow", "Sqrt", "Sin", "Cos", "Tan", "Sinh", "Cosh", "Tanh",
        "Asin", "Acos", "Atan", "Reciprocal", "FromPolarCoordinates",
    };

    private static readonly HashSet<string> TensorPrimitivesMultiplying = new(StringComparer.Ordinal)
    {
        "Multiply", "Divide", "MultiplyAdd", "AddMultiply", "FusedMultiplyAdd", "FusedAddMultiply", "MultiplyAddEstimate",
        "Dot", "Norm", "Distance", "CosineSimilarity", "SoftMax", "Sigmoid", "Exp", "Exp10", "Exp10M1", "Exp2",
        "Exp2M1", "ExpM1", "Log", "Log10", "Log10P1", "Log2", "Log2P1", "LogP1", "Pow", "Sqrt", "Cbrt", "RootN",
        "Hypot", "Reciprocal", "ReciprocalEstimate", "ReciprocalSqrt", "ReciprocalSqrtEstimate", "Sin", "SinPi", "Cos",
        "CosPi", "Tan", "TanPi", "Sinh", "Cosh", "Tanh", "Asin", "AsinPi", "Acos", "AcosPi", "Atan", "AtanPi",
        "Atan2", "Atan2Pi", "Asinh", "Acosh", "Atanh", "SinCos", "SinCosPi", "Product", "ProductOfDifferences",
        "ProductOfSums", "Lerp", "DegreesToRadians", "RadiansToDegrees", "ScaleB", "Ieee754Remainder", "SumOfSquares",
        "Average",
    };

    /// <summary>The table that decides for members of <paramref name="type"/>.</summary>
    public static ApiFamily FamilyOf(INamedTypeSymbol type)
    {
        var name = MetadataName(type);
        if (PamVerifiedTypes.Contains(name)) return ApiFamily.PamVerified;
        if (name == "PamGen.IeeeArithmetic") return ApiFamily.IeeeMode;
        if (ScalarMathTypes.Contains(name)) return ApiFamily.ScalarMath;
        if (VectorMathTypes.Contains(name)) return ApiFamily.VectorMath;
        if (GeometryTypes.Contains(name)) return ApiFamily.Geometry;
        if (name == "System.Numerics.Complex") return ApiFamily.Complex;
        if (name == "System.Numerics.Tensors.TensorPrimitives") return ApiFamily.TensorPrimitives;
        if (LinqTypes.Contains(name)) return ApiFamily.Linq;
        if (NeverMultipliesTypes.Contains(name)) return ApiFamily.NeverMultiplies;
        if (name.StartsWith("System.Runtime.Intrinsics.X86.", StringComparison.Ordinal)
            || name.StartsWith("System.Runtime.Intrinsics.Arm.", StringComparison.Ordinal)
            || name.StartsWith("System.Runtime.Intrinsics.Wasm.", StringComparison.Ordinal))
        {
            return ApiFamily.Intrinsics;
        }
        return ApiFamily.Unknown;
    }

    /// <summary>
    /// True when <paramref name="method"/> (of a type in <paramref name="family"/>) multiplies or divides.
    /// The caller has already checked that the call involves floating-point values, except for LINQ Average,
    /// which divides even over integers.
    /// </summary>
    public static bool Multiplies(ApiFamily family, IMethodSymbol method)
    {
        var name = method.Name;
        switch (family)
        {
            case ApiFamily.ScalarMath:
                return ScalarMathMultiplying.Contains(name) || (name == "Round" && HasDigitsParameter(method));
            case ApiFamily.VectorMath:
                return VectorMathMultiplying.Contains(name);
            case ApiFamily.Geometry:
                return GeometryMultiplying.Contains(name) || (name == "CreateScale" && HasCenterPoint(method));
            case ApiFamily.Complex:
                return ComplexMultiplying.Contains(name);
            case ApiFamily.TensorPrimitives:
                return TensorPrimitivesMultiplying.Contains(name) || (name == "Round" && HasDigitsParameter(method));
            case ApiFamily.Linq:
                return name == "Average";
            case ApiFamily.Intrinsics:
                foreach (var part in IntrinsicsMultiplyingParts)
                {
                    if (name.IndexOf(part, StringComparison.Ordinal) >= 0) return true;
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The Pam member a call can be replaced with (same arguments), or null. Only float overloads qualify:
    /// MathF/float Exp, Exp2, Log, Log2, Pow, Sqrt → the scalar Pam functions; TensorPrimitives Multiply, Divide,
    /// Exp, Exp2, Log, Log2, Sqrt over float spans → Pam's span kernels of the same shape.
    /// </summary>
    public static string? PamReplacement(ApiFamily family, IMethodSymbol method)
    {
        if (family == ApiFamily.ScalarMath)
        {
            if (method.ReturnType.SpecialType != SpecialType.System_Single) return null;
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.SpecialType != SpecialType.System_Single) return null;
            }
            return method.Name switch
            {
                "Exp" or "Exp2" or "Log" or "Log2" or "Sqrt" when method.Parameters.Length == 1 => method.Name,
                "Pow" when method.Parameters.Length == 2 => "Pow",
                _ => null,
            };
        }
        if (family == ApiFamily.TensorPrimitives && method.ReturnsVoid)
        {
            foreach (var parameter in method.Parameters)
            {
                if (!IsFloatOrFloatSpan(parameter.Type)) return null;
            }
            var last = method.Parameters.Length - 1;
            if (last < 1 || !IsSpanOfFloat(method.Parameters[last].Type, "Span")) return null;
            return method.Name switch
            {
                "Multiply" when last == 2 && IsSpanOfFloat(method.Parameters[0].Type, "ReadOnlySpan") => "Mul",
                "Divide" when last == 2 && IsSpanOfFloat(method.Parameters[0].Type, "ReadOnlySpan") => "Div",
                "Exp" or "Exp2" or "Log" or "Log2" or "Sqrt" when last == 1 => method.Name,
                _ => null,
            };
        }
        return null;
    }

    private static bool IsFloatOrFloatSpan(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Single || IsSpanOfFloat(type, "Span") || IsSpanOfFloat(type, "ReadOnlySpan");

    private static bool IsSpanOfFloat(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && named.Name == name
        && named.ContainingNamespace?.ToDisplayString() == "System"
        && named.TypeArguments[0].SpecialType == SpecialType.System_Single;

    /// <summary>Namespace-qualified metadata name (<c>System.Numerics.Vector`1</c>), nested types joined with '+'.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (definition.ContainingType is { } outer) return MetadataName(outer) + "+" + definition.MetadataName;
        var ns = definition.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace
            ? definition.MetadataName
            : ns.ToDisplayString() + "." + definition.MetadataName;
    }

    private static bool HasDigitsParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.SpecialType == SpecialType.System_Int32) return true;
        }
        return false;
    }

    private static bool HasCenterPoint(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == "centerPoint") return true;
        }
        return false;
    }
}
