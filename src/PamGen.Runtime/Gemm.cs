using System;

namespace PamGen;

/// <summary>Whether a GEMM operand is used as stored or transposed.</summary>
public enum GemmOp
{
    /// <summary>Use the operand as stored (row-major).</summary>
    None,
    /// <summary>Use the transpose of the stored operand.</summary>
    Transpose,
}

/// <summary>
/// General matrix multiply, generic over the arithmetic mode: <c>C (+)= op(A)·op(B)</c>, row-major,
/// <c>op(A)</c> is m×k and <c>op(B)</c> is k×n. Each C element is accumulated in k order, starting from
/// 0 (or from the existing C when <c>accumulate</c> is set), with ordinary float32 additions.
/// </summary>
/// <remarks>
/// Multiplication-free by construction: every product goes through <c>TArith.Mul</c>, so the body is checked by
/// the analyzer and in Pam mode executes no floating-point multiply (the index arithmetic is integer).
/// </remarks>
[MultiplicationFree]
public static class Gemm
{
    /// <summary>Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is set.</summary>
    /// <remarks>Reference implementation (the contract); the tuned kernel replaces its body, not its signature.</remarks>
    public static void Compute<TArith>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
        where TArith : struct, IArithmetic
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"GEMM dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        if (a.Length < m * k) throw new ArgumentException($"A holds {a.Length} elements but op(A) is {m}×{k}.", nameof(a));
        if (b.Length < k * n) throw new ArgumentException($"B holds {b.Length} elements but op(B) is {k}×{n}.", nameof(b));
        if (c.Length < m * n) throw new ArgumentException($"C holds {c.Length} elements but C is {m}×{n}.", nameof(c));

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float acc = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = opA == GemmOp.None ? a[i * k + p] : a[p * m + i];
                    float bv = opB == GemmOp.None ? b[p * n + j] : b[j * k + p];
                    acc += TArith.Mul(av, bv);
                }
                c[i * n + j] = acc;
            }
        }
    }
}
