using System;
using System.Runtime.Intrinsics;

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
/// <c>op(A)</c> is m×k and <c>op(B)</c> is k×n.
/// </summary>
/// <remarks>
/// <para>Each C element is accumulated in k order, starting from +0 (or from the existing C when
/// <c>accumulate</c> is set), and the result never depends on the SIMD width or the thread count.</para>
/// <para>PAM modes (<see cref="IArithmetic.IsMultiplicationFree"/>): bit-exact
/// <c>acc += Mul(A[i,p], B[p,j])</c> for p = 0…k−1 with float32 additions, <c>Mul</c> being the PAM product of
/// NUMERICS.md §1 with offset <see cref="IArithmetic.PamOffsetBits"/> (integer adds of bit patterns; no
/// floating-point multiply executes).</para>
/// <para><see cref="IeeeArithmetic"/>: fused accumulation <c>acc = FusedMultiplyAdd(A[i,p], B[p,j], acc)</c> in k
/// order (one rounding per term, not two); this is the defined Ieee result and every path reproduces it bit for bit.</para>
/// <para>Any other mode runs a plain reference loop: <c>acc += TArith.Mul(a, b)</c>.</para>
/// </remarks>
public static class Gemm
{
    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Most threads one GEMM uses (the caller plus persistent workers); default: the processor count. The
    /// thread count changes only the speed, never the bits.
    /// </summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set => maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"MaxThreads must be at least 1, got {value}.");
    }

    /// <summary>Forces one micro-kernel family (tests compare them bit for bit); <see cref="GemmPath.Auto"/> picks the widest available.</summary>
    internal static GemmPath ForcedPath { get => forcedPath; set => forcedPath = value; }

    [ThreadStatic] private static GemmPath forcedPath;

    /// <summary>Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is set.</summary>
    public static void Compute<TArith>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
        where TArith : struct, IArithmetic
        => Compute<TArith, NoEpilogue>(opA, opB, m, n, k, a, b, c, default, accumulate);

    /// <summary>
    /// Computes <c>C = epilogue(op(A)·op(B))</c> (or <c>epilogue(C + op(A)·op(B))</c> when accumulating); the
    /// epilogue runs once per C element after its full k sum.
    /// </summary>
    public static void Compute<TArith, TEpilogue>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, TEpilogue epilogue, bool accumulate = false)
        where TArith : struct, IArithmetic
        where TEpilogue : struct, IGemmEpilogue
    {
        Validate(opA, opB, m, n, k, a.Length, b.Length, c.Length, 1, (long)m * k, (long)k * n, (long)m * n);
        Run<TArith, TEpilogue>(opA, opB, m, n, k, a, opA == GemmOp.None ? k : m, 0, b, opB == GemmOp.None ? n : k, 0, c, n, 0, 1, accumulate, epilogue);
    }

    /// <summary>
    /// Batched GEMM: for each item t &lt; <paramref name="batchCount"/>, <c>C_t (+)= op(A_t)·op(B_t)</c> where item t of
    /// each operand starts <c>t·stride</c> elements into its span (e.g. attention heads). Items are contiguous
    /// row-major matrices; use the overload with leading dimensions for interleaved layouts.
    /// </summary>
    public static void ComputeBatched<TArith>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, long strideA, ReadOnlySpan<float> b, long strideB, Span<float> c, long strideC,
        int batchCount, bool accumulate = false)
        where TArith : struct, IArithmetic
        => ComputeBatched<TArith, NoEpilogue>(opA, opB, m, n, k, a, opA == GemmOp.None ? k : m, strideA,
            b, opB == GemmOp.None ? n : k, strideB, c, n, strideC, batchCount, default, accumulate);

    /// <summary>
    /// Batched, strided GEMM with leading dimensions and a fused epilogue: element (r, s) of stored A_t is
    /// <c>a[t·strideA + r·lda + s]</c> (likewise B and C), so e.g. one head of a [T, H·D] activation is
    /// lda = H·D, stride = D.
    /// </summary>
    public static void ComputeBatched<TArith, TEpilogue>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        Span<float> c, int ldc, long strideC, int batchCount, TEpilogue epilogue, bool accumulate = false)
        where TArith : struct, IArithmetic
        where TEpilogue : struct, IGemmEpilogue
    {
        if (batchCount < 0) throw new ArgumentOutOfRangeException(nameof(batchCount), $"batchCount must be non-negative, got {batchCount}.");
        int aRows = opA == GemmOp.None ? m : k, aCols = opA == GemmOp.None ? k : m;
        int bRows = opB == GemmOp.None ? k : n, bCols = opB == GemmOp.None ? n : k;
        if (lda < aCols) throw new ArgumentException($"lda={lda} is less than the {aCols} columns of stored A ({aRows}×{aCols}).", nameof(lda));
        if (ldb < bCols) throw new ArgumentException($"ldb={ldb} is less than the {bCols} columns of stored B ({bRows}×{bCols}).", nameof(ldb));
        if (ldc < n) throw new ArgumentException($"ldc={ldc} is less than the {n} columns of C ({m}×{n}).", nameof(ldc));
        Validate(opA, opB, m, n, k, a.Length, b.Length, c.Length, batchCount,
            Need(batchCount, strideA, aRows, aCols, lda), Need(batchCount, strideB, bRows, bCols, ldb), Need(batchCount, strideC, m, n, ldc));
        Run<TArith, TEpilogue>(opA, opB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batchCount, accumulate, epilogue);
    }

    /// <summary>
    /// Two-level batched GEMM (e.g. attention's batch × heads in one call, one fork/join): item (o, h) for
    /// o &lt; <paramref name="outerCount"/>, h &lt; <paramref name="innerCount"/> starts <c>o·stride + h·innerStride</c>
    /// elements into each operand's span; otherwise as the strided overload. Every item is computed exactly as a
    /// call of its own would compute it.
    /// </summary>
    internal static void ComputeBatched2<TArith, TEpilogue>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, long strideA, long innerStrideA, ReadOnlySpan<float> b, int ldb, long strideB, long innerStrideB,
        Span<float> c, int ldc, long strideC, long innerStrideC, int outerCount, int innerCount, TEpilogue epilogue, bool accumulate = false)
        where TArith : struct, IArithmetic
        where TEpilogue : struct, IGemmEpilogue
    {
        if (outerCount < 0) throw new ArgumentOutOfRangeException(nameof(outerCount), $"outerCount must be non-negative, got {outerCount}.");
        if (innerCount < 1) throw new ArgumentOutOfRangeException(nameof(innerCount), $"innerCount must be positive, got {innerCount}.");
        int aRows = opA == GemmOp.None ? m : k, aCols = opA == GemmOp.None ? k : m;
        int bRows = opB == GemmOp.None ? k : n, bCols = opB == GemmOp.None ? n : k;
        if (lda < aCols) throw new ArgumentException($"lda={lda} is less than the {aCols} columns of stored A ({aRows}×{aCols}).", nameof(lda));
        if (ldb < bCols) throw new ArgumentException($"ldb={ldb} is less than the {bCols} columns of stored B ({bRows}×{bCols}).", nameof(ldb));
        if (ldc < n) throw new ArgumentException($"ldc={ldc} is less than the {n} columns of C ({m}×{n}).", nameof(ldc));
        int items = outerCount * innerCount;
        long last(long stride, long inner) => (outerCount - 1) * stride + (innerCount - 1) * inner;
        Validate(opA, opB, m, n, k, a.Length, b.Length, c.Length, items,
            Need(Math.Min(items, 1), 0, aRows, aCols, lda) + (items == 0 ? 0 : last(strideA, innerStrideA)),
            Need(Math.Min(items, 1), 0, bRows, bCols, ldb) + (items == 0 ? 0 : last(strideB, innerStrideB)),
            Need(Math.Min(items, 1), 0, m, n, ldc) + (items == 0 ? 0 : last(strideC, innerStrideC)));
        Run<TArith, TEpilogue>(opA, opB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, items, accumulate, epilogue,
            innerCount, innerStrideA, innerStrideB, innerStrideC);
    }

    private static long Need(int batch, long stride, int rows, int cols, int ld)
        => batch == 0 || rows == 0 || cols == 0 ? 0 : (batch - 1) * stride + (long)(rows - 1) * ld + cols;

    private static void Validate(GemmOp opA, GemmOp opB, int m, int n, int k, int aLen, int bLen, int cLen, int batch, long needA, long needB, long needC)
    {
        string shapes() => $"op(A) is {m}×{k} ({opA}), op(B) is {k}×{n} ({opB}), C is {m}×{n}" + (batch != 1 ? $", {batch} batch items" : "");
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"GEMM dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        if (aLen < needA) throw new ArgumentException($"A holds {aLen} elements but needs {needA}: {shapes()}. Check m and k.", "a");
        if (bLen < needB) throw new ArgumentException($"B holds {bLen} elements but needs {needB}: {shapes()}. Check k and n.", "b");
        if (cLen < needC) throw new ArgumentException($"C holds {cLen} elements but needs {needC}: {shapes()}. Check m and n.", "c");
    }

    private static unsafe void Run<TArith, TEpilogue>(
        GemmOp opA, GemmOp opB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        Span<float> c, int ldc, long strideC, int batch, bool accumulate, TEpilogue epilogue,
        int inner = 1, long innerStrideA = 0, long innerStrideB = 0, long innerStrideC = 0)
        where TArith : struct, IArithmetic
        where TEpilogue : struct, IGemmEpilogue
    {
        if (m == 0 || n == 0 || batch == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem
            {
                TransA = opA == GemmOp.Transpose, TransB = opB == GemmOp.Transpose, Accumulate = accumulate,
                M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, Batch = batch,
                StrideA = strideA, StrideB = strideB, StrideC = strideC, A = pa, B = pb, C = pc,
                Inner = inner, InnerStrideA = innerStrideA, InnerStrideB = innerStrideB, InnerStrideC = innerStrideC,
            };
            if (k == 0 || !(TArith.IsMultiplicationFree || typeof(TArith) == typeof(IeeeArithmetic)))
            {
                Reference<TArith, TEpilogue>(problem, epilogue);
                return;
            }
            GemmPath path = ForcedPath != GemmPath.Auto ? ForcedPath
                : Vector512.IsHardwareAccelerated ? GemmPath.Vector512
                : Vector256.IsHardwareAccelerated ? GemmPath.Vector256 : GemmPath.Scalar;
            // PAM on activations with many zeros runs the zero-skipping kernel, whose B panel must stay in L1.
            int kcMax = TArith.IsMultiplicationFree && MostlyZeros(problem) ? GemmPacking.PamKc : GemmJob<TArith, TEpilogue>.KcDense;
            var (kBlocks, _, nPanels, perBatch) = GemmJob<TArith, TEpilogue>.Layout(k, n, kcMax);
            float* packed = GemmScratch.GetB(perBatch * batch);
            var info = GemmScratch.GetInfo(batch * kBlocks * nPanels);
            // Integer work estimate (a float multiply here would break the PAM instantiation's multiplication-free code).
            long work = (long)m * n * k * batch;
            // Below ~2M multiply-adds (tens of microseconds) waking a worker costs about what it saves.
            int threads = work < 1L << 21 ? 1 : MaxThreads;
            var job = new GemmJob<TArith, TEpilogue>(problem, epilogue, path, threads, kcMax, packed, info);
            WorkerPool.Run(job, threads);
        }
    }

    /// <summary>Whether a grid of at most 32×32 elements of A (the first batch item) is at least one eighth zeros.</summary>
    private static unsafe bool MostlyZeros(in GemmProblem p)
    {
        int rows = p.TransA ? p.K : p.M, cols = p.TransA ? p.M : p.K;
        if (rows == 0 || cols == 0) return false;
        int rowStep = Math.Max(1, rows / 32), colStep = Math.Max(1, cols / 32);
        int zeros = 0, seen = 0;
        for (int r = 0; r < rows; r += rowStep)
        {
            float* row = p.A + (long)r * p.Lda;
            for (int c = 0; c < cols; c += colStep, seen++)
                zeros += (BitConverter.SingleToInt32Bits(row[c]) & 0x7F800000) == 0 ? 1 : 0;
        }
        return zeros * 8 >= seen;
    }

    /// <summary>The definition, as loops: used for modes without a tuned kernel and for k = 0.</summary>
    private static unsafe void Reference<TArith, TEpilogue>(in GemmProblem p, TEpilogue epilogue)
        where TArith : struct, IArithmetic
        where TEpilogue : struct, IGemmEpilogue
    {
        for (int t = 0; t < p.Batch; t++)
        {
            float* a = p.ItemA(t), b = p.ItemB(t), c = p.ItemC(t);
            for (int i = 0; i < p.M; i++)
            {
                for (int j = 0; j < p.N; j++)
                {
                    float acc = p.Accumulate ? c[(long)i * p.Ldc + j] : 0f;
                    for (int q = 0; q < p.K; q++)
                    {
                        float av = p.TransA ? a[(long)q * p.Lda + i] : a[(long)i * p.Lda + q];
                        float bv = p.TransB ? b[(long)j * p.Ldb + q] : b[(long)q * p.Ldb + j];
                        acc = typeof(TArith) == typeof(IeeeArithmetic) ? MathF.FusedMultiplyAdd(av, bv, acc) : acc + TArith.Mul(av, bv);
                    }
                    c[(long)i * p.Ldc + j] = acc;
                }
                epilogue.Apply(new Span<float>(c + (long)i * p.Ldc, p.N), i, 0);
            }
        }
    }
}
