using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace PamGen;

/// <summary>Which micro-kernel family a GEMM runs; <see cref="Auto"/> picks the widest the CPU supports.</summary>
internal enum GemmPath
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}

/// <summary>Geometry of one (possibly batched, strided) GEMM call, pointers already pinned.</summary>
internal unsafe struct GemmProblem
{
    internal bool TransA, TransB, Accumulate;
    internal int M, N, K, Lda, Ldb, Ldc, Batch;
    internal long StrideA, StrideB, StrideC;
    internal float* A, B, C;
    /// <summary>Items per outer step (two-level batches: item t is (t / Inner, t % Inner)); 1 for plain batches.</summary>
    internal int Inner;
    internal long InnerStrideA, InnerStrideB, InnerStrideC;

    internal readonly float* ItemA(int t) => A + Offset(t, StrideA, InnerStrideA);
    internal readonly float* ItemB(int t) => B + Offset(t, StrideB, InnerStrideB);
    internal readonly float* ItemC(int t) => C + Offset(t, StrideC, InnerStrideC);

    private readonly long Offset(int t, long stride, long innerStride)
        => Inner <= 1 ? t * stride : t / Inner * stride + t % Inner * innerStride;
}

/// <summary>
/// The blocked GEMM: B packed once per GEMM into kc×64 panels (all threads share the packing work), then
/// output tiles (batch item × row block × column block) are claimed by threads; each tile packs its A block
/// per k block and runs 6×64 micro-kernels. Every C element's k sum runs in k order in one thread, so the
/// bits never depend on the thread count.
/// </summary>
[MultiplicationFree]
internal sealed unsafe class GemmJob<TArith, TEp> : PoolJob
    where TArith : struct, IArithmetic
    where TEp : struct, IGemmEpilogue
{
    /// <summary>k block of the dense kernels (B streams from L2; longer blocks mean fewer C tile reloads).</summary>
    internal const int KcDense = 512;
    internal const int McMax = 120;
    /// <summary>Packed B a task reads at most when A is read in place (the column block then stays in cache while
    /// consecutive tasks, one per row block, reuse it).</summary>
    private const long ColumnBlockBytes = 2L << 20;
    private const int One = 0x3F800000;

    private readonly GemmProblem p;
    private readonly TEp epilogue;
    private readonly GemmPath path;
    private readonly bool pam;
    private readonly bool aInPlace;
    private readonly int offsetBits;
    private readonly int kBlocks, kc0, nPanels, mc, rowBlocks, colBlocks, panelsPerColBlock;
    private readonly long packedPerBatch;
    private readonly float* packedB;
    private readonly PanelInfo[] bInfo;
    private readonly int packTotal, taskTotal;
    private int packNext, packDone, taskNext, taskDone;

    internal GemmJob(in GemmProblem problem, in TEp ep, GemmPath path, int threads, int kcMax, float* packedBuffer, PanelInfo[] infoBuffer)
    {
        p = problem;
        epilogue = ep;
        this.path = path;
        pam = TArith.IsMultiplicationFree;
        offsetBits = TArith.PamOffsetBits;
        (kBlocks, kc0, nPanels, packedPerBatch) = Layout(p.K, p.N, kcMax);
        // A not transposed is read in place from the caller's rows unless the zero-skipping kernel may run (its lists
        // are built from a loaded block): one read-only statistics pass replaces the copy.
        aInPlace = !p.TransA && !(pam && kcMax == GemmPacking.PamKc);
        packedB = packedBuffer;
        bInfo = infoBuffer;
        packTotal = p.Batch * kBlocks * nPanels;

        // Row blocks of at most McMax rows; with several threads, a block count that splits evenly between them
        // (one block more per thread costs up to 1/blocks of the run), at least two per thread when rows allow.
        int blocks = (p.M + McMax - 1) / McMax;
        if (threads > 1)
        {
            int perThread = Math.Max(2, (int)(((long)blocks * p.Batch + threads - 1) / threads));
            long wanted = (long)perThread * threads;
            blocks = (int)Math.Min((p.M + 5) / 6, Math.Max(blocks, (wanted + p.Batch - 1) / p.Batch));
        }
        mc = ((p.M + blocks - 1) / blocks + 5) / 6 * 6;
        rowBlocks = (p.M + mc - 1) / mc;
        colBlocks = 1;
        if (threads > 1 && (long)rowBlocks * p.Batch < 2 * threads)
            colBlocks = Math.Min(nPanels, (2 * threads + rowBlocks * p.Batch - 1) / (rowBlocks * p.Batch));
        // With A read in place a task only re-reads its rows (PAM: re-scans them), so wide outputs are cut into column blocks
        // of at most ColumnBlockBytes of packed B: 2048³ Ieee went from 364–382 to 393–433 GFLOP/s (alternating runs).
        // Loaded A blocks (transposed A, PAM zero-skipping lists) would be rebuilt per column block: not for them.
        if (aInPlace)
        {
            long perPanel = (long)p.K * 64 * sizeof(float);
            int cap = (int)Math.Max(1, ColumnBlockBytes / perPanel);
            colBlocks = Math.Max(colBlocks, (nPanels + cap - 1) / cap);
        }
        panelsPerColBlock = (nPanels + colBlocks - 1) / colBlocks;
        colBlocks = (nPanels + panelsPerColBlock - 1) / panelsPerColBlock;
        taskTotal = p.Batch * rowBlocks * colBlocks;
    }

    /// <summary>
    /// k blocking (balanced blocks of at most <paramref name="kcMax"/>) and the packed-B size of one batch item:
    /// per k block, nPanels panels of (kc + 1) rows × 64 (the last row all zero).
    /// </summary>
    internal static (int KBlocks, int Kc, int NPanels, long PackedPerBatch) Layout(int k, int n, int kcMax)
    {
        int kBlocks = Math.Max(1, (k + kcMax - 1) / kcMax);
        int kc = (k + kBlocks - 1) / kBlocks;
        int nPanels = (n + 63) / 64;
        return (kBlocks, kc, nPanels, (long)(k + kBlocks) * nPanels * 64);
    }

    internal override bool IsComplete => Volatile.Read(ref taskDone) == taskTotal;

    internal override void Execute()
    {
        int i;
        while ((i = Interlocked.Increment(ref packNext) - 1) < packTotal)
        {
            try { PackPanel(i); }
            catch (Exception e) { Fail(e); }
            Interlocked.Increment(ref packDone);
        }
        if (Volatile.Read(ref taskNext) >= taskTotal) return;
        var spin = new SpinWait();
        while (Volatile.Read(ref packDone) < packTotal) spin.SpinOnce(sleep1Threshold: -1);
        while ((i = Interlocked.Increment(ref taskNext) - 1) < taskTotal)
        {
            try { if (Error is null) RunTask(i); }
            catch (Exception e) { Fail(e); }
            Interlocked.Increment(ref taskDone);
        }
    }

    private (int Start, int Len) KRange(int kb)
    {
        int start = kb * kc0;
        return (start, Math.Min(kc0, p.K - start));
    }

    private float* PanelB(int batch, int kb, int jp)
    {
        var (start, len) = KRange(kb);
        return packedB + batch * packedPerBatch + (long)(start + kb) * nPanels * 64 + (long)jp * (len + 1) * 64;
    }

    private void PackPanel(int index)
    {
        int jp = index % nPanels;
        int kb = index / nPanels % kBlocks;
        int batch = index / nPanels / kBlocks;
        var (start, len) = KRange(kb);
        int j0 = jp * 64;
        var info = PanelInfo.Empty;
        var scratch = GemmScratch.Get(64 * (long)len);
        GemmPacking.PackB(p.ItemB(batch), p.Ldb, p.TransB, start, len, j0, Math.Min(64, p.N - j0),
            PanelB(batch, kb, jp), scratch, pam, offsetBits, ref info);
        bInfo[index] = info;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunTask(int task)
    {
        // Row blocks vary fastest: consecutive tasks (on any thread) share a column block of packed B.
        int rb = task % rowBlocks;
        int cb = task / rowBlocks % colBlocks;
        int batch = task / rowBlocks / colBlocks;
        int i0 = rb * mc;
        int rows = Math.Min(mc, p.M - i0);
        int jp0 = cb * panelsPerColBlock;
        int jp1 = Math.Min(nPanels, jp0 + panelsPerColBlock);
        int microPanels = (rows + 5) / 6;

        float* a = p.ItemA(batch);
        float* c = p.ItemC(batch);
        long listsSize = pam ? (long)microPanels * 12 * GemmPacking.SparseCap : 0;
        float* scratchA = GemmScratch.GetA(listsSize, (long)rows * kc0 + 64L * kc0);
        int* lists = (int*)scratchA;
        float* tmp = scratchA + GemmScratch.AOffset(listsSize);
        int* steps = stackalloc int[McMax / 6 + 1];
        float* edge = stackalloc float[6 * 64];
        int ldc = p.Ldc;

        for (int kb = 0; kb < kBlocks; kb++)
        {
            var (start, len) = KRange(kb);
            var aInfo = PanelInfo.Empty;
            float* aBlock = a + (long)i0 * p.Lda + start;
            // In place: the kernels read A's rows where they are (rs = lda); PAM needs only the statistics, unless a
            // subnormal must be normalised to a signed zero, in which case the block is loaded after all.
            bool inPlace = aInPlace && (!pam || GemmPacking.ScanRuns(aBlock, p.Lda, rows, len, ref aInfo));
            int lastFull = microPanels;
            if (inPlace)
            {
                // A last micro-panel that would read rows past the end of A is copied into six rows of zeros.
                if (i0 + microPanels * 6 > p.M)
                {
                    lastFull = microPanels - 1;
                    int tailRows = rows - lastFull * 6;
                    for (int r = 0; r < tailRows; r++)
                        new ReadOnlySpan<float>(aBlock + (long)(lastFull * 6 + r) * p.Lda, len).CopyTo(new Span<float>(tmp + (long)r * len, len));
                    new Span<float>(tmp + (long)tailRows * len, (6 - tailRows) * len).Clear();
                }
            }
            else
            {
                aInfo = PanelInfo.Empty;
                GemmPacking.LoadA(a, p.Lda, p.TransA, i0, rows, start, len, tmp, pam, ref aInfo);
                // The kernels read six rows of the loaded block in place; the last micro-panel's padding rows (results discarded)
                // read zeros past the block (not transposed) or its next k row, and past the block's end, zeros (transposed).
                if (rows % 6 != 0) new Span<float>(tmp + (long)rows * len, !p.TransA ? (microPanels * 6 - rows) * len : 6).Clear();
            }
            // Zero-skipping lists pay off once a block is about one eighth zeros (ReLU activations: half).
            bool sparse = !inPlace && pam && len <= GemmPacking.PamKc && path == GemmPath.Vector512 && !aInfo.HasSpecial && aInfo.Zeros * 8L >= (long)rows * len;
            if (sparse) GemmPacking.CompressA(tmp, p.TransA, rows, len, lists, steps);
            bool load = kb > 0 || p.Accumulate;
            bool last = kb == kBlocks - 1;
            for (int jp = jp0; jp < jp1; jp++)
            {
                int j0 = jp * 64;
                int cols = Math.Min(64, p.N - j0);
                float* bp = PanelB(batch, kb, jp);
                int kernel = pam ? ChoosePamKernel(aInfo, bInfo[(batch * kBlocks + kb) * nPanels + jp]) : KernelIeee;
                bool skipsZeros = kernel is KernelMaskA or KernelMaskAB or KernelZero;
                if (kernel == KernelMaskA && sparse) kernel = KernelSparse;
                for (int ir = 0; ir < microPanels; ir++)
                {
                    int r0 = i0 + ir * 6;
                    int rs = Math.Min(6, p.M - r0);
                    // A not transposed: six rows read in place (rs = lda, ps = 1), or of the loaded row-major block (rs = len).
                    // Transposed, it is loaded k-major (rs = 1, ps = rows): no interleaving pass, measured faster.
                    float* ap = p.TransA ? tmp + ir * 6 : tmp + (long)ir * 6 * len;
                    int rowStride = p.TransA ? 1 : len, kStride = p.TransA ? rows : 1;
                    if (inPlace && ir < lastFull)
                    {
                        ap = aBlock + (long)ir * 6 * p.Lda;
                        rowStride = p.Lda;
                    }
                    else if (inPlace) ap = tmp;
                    int kcArg = len;
                    float* ct = c + (long)r0 * ldc + j0;
                    int tileKernel = kernel;
                    // Skipping a zero product is exact unless the accumulator is −0 (−0 + +0 = +0). A sum from +0 never
                    // becomes −0, so only a C the caller accumulates into can hold one; the partial sums that later k blocks
                    // continue started from +0 and need no check (RunTask, where the re-read ran, held 5.4 % of a 2048³ ReLU GEMM's samples).
                    if (skipsZeros && p.Accumulate && HasNegativeZero(ct, rs, cols, ldc)) tileKernel = KernelGeneral;
                    if (tileKernel == KernelSparse)
                    {
                        // Lists hold offsets into the panel and its zero row; the C tile is handled like any other.
                        ap = (float*)(lists + (long)ir * 12 * GemmPacking.SparseCap);
                        kcArg = steps[ir];
                    }
                    if (rs == 6 && cols == 64)
                    {
                        RunKernel(tileKernel, ap, rowStride, kStride, bp, kcArg, ct, ldc, load);
                    }
                    else
                    {
                        if (load)
                            for (int r = 0; r < rs; r++)
                                new ReadOnlySpan<float>(ct + (long)r * ldc, cols).CopyTo(new Span<float>(edge + r * 64, cols));
                        RunKernel(tileKernel, ap, rowStride, kStride, bp, kcArg, edge, 64, load);
                        for (int r = 0; r < rs; r++)
                            new ReadOnlySpan<float>(edge + r * 64, cols).CopyTo(new Span<float>(ct + (long)r * ldc, cols));
                    }
                    if (last && typeof(TEp) != typeof(NoEpilogue))
                        for (int r = 0; r < rs; r++)
                            epilogue.Apply(new Span<float>(ct + (long)r * ldc, cols), r0 + r, j0);
                }
            }
        }
    }

    /// <summary>True when the C tile (about to be accumulated into) holds a −0, the one start value at which skipping a zero product could change a bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasNegativeZero(float* c, int rows, int cols, int ldc)
    {
        if (Vector512.IsHardwareAccelerated && rows == 6 && cols == 64)
        {
            var negativeZero = Vector512.Create(int.MinValue);
            var any = Vector512<int>.Zero;
            for (int r = 0; r < 6; r++)
            {
                int* row = (int*)c + (long)r * ldc;
                any |= Vector512.Equals(Vector512.Load(row), negativeZero) | Vector512.Equals(Vector512.Load(row + 16), negativeZero)
                     | Vector512.Equals(Vector512.Load(row + 32), negativeZero) | Vector512.Equals(Vector512.Load(row + 48), negativeZero);
            }
            return any != Vector512<int>.Zero;
        }
        for (int r = 0; r < rows; r++)
            if (new ReadOnlySpan<int>(c + (long)r * ldc, cols).Contains(int.MinValue)) return true;
        return false;
    }

    private const int KernelIeee = 0, KernelSparse = 1, KernelDense = 2, KernelMaskA = 3, KernelMaskAB = 4, KernelGeneral = 5, KernelZero = 6;

    /// <summary>
    /// Picks the cheapest exact kernel for an (A block, B panel) pair. Dense and masked kernels form a product
    /// as <c>bits(a) + packed(b)</c>, exact only when both operands are normal and the result cannot leave the
    /// normal range. Kernels that skip zero products are exact unless the accumulator is −0; the caller sends C tiles
    /// holding −0 to the general kernel instead.
    /// </summary>
    private int ChoosePamKernel(in PanelInfo ai, in PanelInfo bi)
    {
        if (ai.HasSpecial || bi.HasSpecial) return KernelGeneral;
        if (!ai.HasNonZero || !bi.HasNonZero) return KernelZero;
        long lo = (long)ai.Min + bi.Min - One + offsetBits;
        long hi = (long)ai.Max + bi.Max - One + offsetBits;
        if (lo < 0x00800000 || hi >= 0x7F800000) return KernelGeneral;
        if (bi.HasZero) return KernelMaskAB;
        return ai.HasZero ? KernelMaskA : KernelDense;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RunKernel(int kernel, float* ap, int rs, int ps, float* bp, int kc, float* c, int ldc, bool load)
    {
        if (kernel == KernelZero)
        {
            // Every product is a signed zero and the accumulator is never −0: C is unchanged, or +0 when fresh.
            if (!load)
                for (int r = 0; r < 6; r++) new Span<float>(c + (long)r * ldc, 64).Clear();
            return;
        }
        int* bi = (int*)bp;
        int sentinel = offsetBits - One;
        // IsMultiplicationFree is a JIT-time constant: the PAM instantiation contains no FMA kernel call at all.
        if (!TArith.IsMultiplicationFree)
        {
            switch (path)
            {
                case GemmPath.Vector512: GemmKernels512.Ieee(ap, rs, ps, bp, kc, c, ldc, load); break;
                case GemmPath.Vector256: GemmKernels256.Ieee(ap, rs, ps, bp, kc, c, ldc, load); break;
                default: GemmKernelsScalar.Ieee(ap, rs, ps, bp, kc, c, ldc, load); break;
            }
            return;
        }
        switch (path)
        {
            case GemmPath.Vector512:
                switch (kernel)
                {
                    case KernelSparse: GemmKernels512.PamSparseA((int*)ap, kc, bi, c, ldc, load); break;
                    case KernelDense: GemmKernels512.PamDense(ap, rs, ps, bi, kc, c, ldc, load); break;
                    case KernelMaskA: GemmKernels512.PamMaskA(ap, rs, ps, bi, kc, c, ldc, load); break;
                    case KernelMaskAB: GemmKernels512.PamMaskAB(ap, rs, ps, bi, kc, c, ldc, load, sentinel); break;
                    default: GemmKernels512.PamGeneral(ap, rs, ps, bi, kc, c, ldc, load, offsetBits); break;
                }
                break;
            case GemmPath.Vector256:
                switch (kernel)
                {
                    case KernelDense: GemmKernels256.PamDense(ap, rs, ps, bi, kc, c, ldc, load); break;
                    case KernelMaskA: GemmKernels256.PamMaskA(ap, rs, ps, bi, kc, c, ldc, load); break;
                    case KernelMaskAB: GemmKernels256.PamMaskAB(ap, rs, ps, bi, kc, c, ldc, load, sentinel); break;
                    default: GemmKernels256.PamGeneral(ap, rs, ps, bi, kc, c, ldc, load, offsetBits); break;
                }
                break;
            default:
                switch (kernel)
                {
                    case KernelDense: GemmKernelsScalar.PamDense(ap, rs, ps, bi, kc, c, ldc, load); break;
                    case KernelMaskA:
                    case KernelMaskAB: GemmKernelsScalar.PamMaskAB(ap, rs, ps, bi, kc, c, ldc, load, sentinel); break;
                    default: GemmKernelsScalar.PamGeneral(ap, rs, ps, bi, kc, c, ldc, load, offsetBits); break;
                }
                break;
        }
    }
}

/// <summary>Per-thread, 64-byte aligned scratch memory for packing (kept between GEMMs, grown on demand).</summary>
[MultiplicationFree]
internal static unsafe class GemmScratch
{
    [ThreadStatic] private static float[]? aBuffer;
    [ThreadStatic] private static float[]? scratch;
    [ThreadStatic] private static float[]? bBuffer;
    [ThreadStatic] private static PanelInfo[]? info;

    /// <summary>
    /// The caller's panel statistics array (at least <paramref name="count"/> entries), reused between its GEMMs: the
    /// pack phase writes every entry a GEMM reads before any task reads it.
    /// </summary>
    internal static PanelInfo[] GetInfo(int count)
    {
        if (info is null || info.Length < count) info = new PanelInfo[Math.Max(count, (info?.Length ?? 0) * 3 / 2)];
        return info;
    }

    /// <summary>Offset (in floats) of the temporary area behind a packed A block of <paramref name="packed"/> floats.</summary>
    internal static long AOffset(long packed) => (packed + 15) / 16 * 16;

    internal static float* GetA(long packed, long tmp) => Aligned(ref aBuffer, AOffset(packed) + tmp);
    internal static float* Get(long length) => Aligned(ref scratch, length);
    internal static float* GetB(long length) => Aligned(ref bBuffer, length);

    private static float* Aligned(ref float[]? buffer, long length)
    {
        if (buffer is null || buffer.LongLength < length + 16)
            buffer = GC.AllocateUninitializedArray<float>((int)Math.Min(int.MaxValue, Math.Max(length + 16, (buffer?.LongLength ?? 0) * 3 / 2)), pinned: true);
        float* ptr = (float*)Unsafe.AsPointer(ref buffer[0]);
        return (float*)(((nint)ptr + 63) & ~(nint)63);
    }
}
