using System;

namespace PamGen;

/// <summary>
/// Batched matrix product <c>C[b] = op(A[b]) · op(B[b])</c> for every transpose case, with its backward.
/// <c>op(A)</c> is m×k (stored k×m when transposed), <c>op(B)</c> is k×n (stored n×k when transposed).
/// </summary>
[MultiplicationFree]
public static class MatMul
{
    /// <summary>Forward: <paramref name="c"/> [batch, m, n] = op(<paramref name="a"/>) · op(<paramref name="b"/>).</summary>
    public static void Forward<TMatmul>(Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        GemmOp opA, GemmOp opB, int batch, int m, int n, int k) where TMatmul : struct, IArithmetic
    {
        Check(c.Length, a.Length, b.Length, opA, opB, batch, m, n, k, "MatMul.Forward");
        int sa = m * k, sb = k * n, sc = m * n;
        for (int i = 0; i < batch; i++)
            Gemm.Compute<TMatmul>(opA, opB, m, n, k, a.Slice(i * sa, sa), b.Slice(i * sb, sb), c.Slice(i * sc, sc));
    }

    /// <summary>Backward: accumulates <c>dA</c> and <c>dB</c> (each in its stored layout) from <paramref name="dC"/>.</summary>
    public static void Backward<TMatmul>(Span<float> dA, Span<float> dB, ReadOnlySpan<float> dC,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, GemmOp opA, GemmOp opB, int batch, int m, int n, int k)
        where TMatmul : struct, IArithmetic
    {
        Check(dC.Length, a.Length, b.Length, opA, opB, batch, m, n, k, "MatMul.Backward");
        Shapes.Require(dA.Length, "MatMul.Backward", nameof(dA), batch, opA == GemmOp.None ? m : k, opA == GemmOp.None ? k : m);
        Shapes.Require(dB.Length, "MatMul.Backward", nameof(dB), batch, opB == GemmOp.None ? k : n, opB == GemmOp.None ? n : k);
        int sa = m * k, sb = k * n, sc = m * n;
        for (int i = 0; i < batch; i++)
        {
            var gc = dC.Slice(i * sc, sc);
            var ai = a.Slice(i * sa, sa);
            var bi = b.Slice(i * sb, sb);
            var ga = dA.Slice(i * sa, sa);
            var gb = dB.Slice(i * sb, sb);
            if (opA == GemmOp.None)
            {
                // dA (m×k) = dC · op(B)ᵀ
                Gemm.Compute<TMatmul>(GemmOp.None, opB == GemmOp.None ? GemmOp.Transpose : GemmOp.None, m, k, n, gc, bi, ga, accumulate: true);
            }
            else
            {
                // dA stored k×m = op(B) · dCᵀ
                Gemm.Compute<TMatmul>(opB, GemmOp.Transpose, k, m, n, bi, gc, ga, accumulate: true);
            }
            if (opB == GemmOp.None)
            {
                // dB (k×n) = op(A)ᵀ · dC
                Gemm.Compute<TMatmul>(opA == GemmOp.None ? GemmOp.Transpose : GemmOp.None, GemmOp.None, k, n, m, ai, gc, gb, accumulate: true);
            }
            else
            {
                // dB stored n×k = dCᵀ · op(A)
                Gemm.Compute<TMatmul>(GemmOp.Transpose, opA, n, k, m, gc, ai, gb, accumulate: true);
            }
        }
    }

    private static void Check(int cLen, int aLen, int bLen, GemmOp opA, GemmOp opB, int batch, int m, int n, int k, string op)
    {
        Shapes.RequirePositive(batch, op, nameof(batch));
        Shapes.RequirePositive(m, op, nameof(m));
        Shapes.RequirePositive(n, op, nameof(n));
        Shapes.RequirePositive(k, op, nameof(k));
        Shapes.Require(aLen, op, "a", batch, opA == GemmOp.None ? m : k, opA == GemmOp.None ? k : m);
        Shapes.Require(bLen, op, "b", batch, opB == GemmOp.None ? k : n, opB == GemmOp.None ? n : k);
        Shapes.Require(cLen, op, "c", batch, m, n);
    }
}
