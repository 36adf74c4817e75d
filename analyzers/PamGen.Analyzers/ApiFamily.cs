namespace PamGen.Analyzers;

/// <summary>Which table decides whether a member of a type multiplies (see <see cref="MultiplyingApis"/>).</summary>
internal enum ApiFamily
{
    /// <summary>A type the rules know nothing about: its float-valued members fall under PAM0103.</summary>
    Unknown,
    /// <summary>Math, MathF and the static members of float, double, Half and NFloat.</summary>
    ScalarMath,
    /// <summary>System.Numerics.Vector and the System.Runtime.Intrinsics Vector64/128/256/512 static classes.</summary>
    VectorMath,
    /// <summary>Hardware intrinsics classes (System.Runtime.Intrinsics.X86, .Arm, .Wasm).</summary>
    Intrinsics,
    /// <summary>System.Numerics Vector2/3/4, Matrix3x2/4x4, Quaternion, Plane.</summary>
    Geometry,
    /// <summary>System.Numerics.Complex.</summary>
    Complex,
    /// <summary>System.Numerics.Tensors.TensorPrimitives.</summary>
    TensorPrimitives,
    /// <summary>System.Linq.Enumerable, Queryable and ParallelEnumerable.</summary>
    Linq,
    /// <summary>Framework types whose members never multiply (BitConverter, Convert, spans, collections, ...).</summary>
    NeverMultiplies,
    /// <summary>PamGen's verified runtime surface (Pam, PamArithmetic&lt;&gt;, IArithmetic, Gemm, ...).</summary>
    PamVerified,
    /// <summary>PamGen's IEEE control mode (IeeeArithmetic): every member really multiplies.</summary>
    IeeeMode,
}
