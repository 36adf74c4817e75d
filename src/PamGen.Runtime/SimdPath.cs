namespace PamGen;

/// <summary>
/// Which vector width a span kernel uses. Public kernels use <see cref="Best"/>; tests and benchmarks force
/// the narrower paths (all paths give the same bits). A forced width runs even where the hardware lacks it
/// (the runtime then emulates the vector type in software).
/// </summary>
internal enum SimdPath
{
    /// <summary>The scalar oracle, element by element.</summary>
    Scalar,
    /// <summary>Vector256 then scalar for the tail.</summary>
    Vector256,
    /// <summary>Vector512, then Vector256 and scalar for the tail.</summary>
    Vector512,
    /// <summary>Vector512 when accelerated, else Vector256 when accelerated, else scalar.</summary>
    Best,
}
