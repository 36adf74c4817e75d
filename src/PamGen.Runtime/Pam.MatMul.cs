using System;

namespace PamGen;

public static partial class Pam
{
    /// <summary>
    /// Row-major PAM matrix product <c>C = A·B</c> with A m×k, B k×n, C m×n: every element bit-exact
    /// <c>Σ_p Mul(A[i,p], B[p,j])</c> summed in k order with float32 additions (default options, no offset), on the
    /// tuned multiplication-free GEMM (all cores).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape; the message gives both operand shapes.</exception>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
        => Gemm.Compute<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c);
}
