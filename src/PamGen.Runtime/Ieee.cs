using System;

namespace PamGen;

/// <summary>
/// Convenience entry points in ordinary float32 arithmetic (the <c>Ieee</c> mode of NUMERICS.md §4), the
/// control twin of <c>Pam</c>'s.
/// </summary>
public static class Ieee
{
    /// <summary>
    /// Row-major <c>C = A·B</c> with A m×k, B k×n, C m×n, on the tuned GEMM (all cores; each element a fused
    /// multiply-add accumulation in k order, see <see cref="Gemm"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape; the message gives both operand shapes.</exception>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
        => Gemm.Compute<IeeeArithmetic>(GemmOp.None, GemmOp.None, m, n, k, a, b, c);
}
