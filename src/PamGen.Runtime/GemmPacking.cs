using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// What a packed PAM panel holds, for choosing a kernel: the smallest and largest magnitude bit pattern
/// among entries whose exponent field is non-zero (∞ and NaN included, so <c>Max ≥ 0x7F800000</c> flags them),
/// and whether any entry is zero or subnormal.
/// </summary>
[MultiplicationFree]
internal struct PanelInfo
{
    internal int Min;
    internal int Max;
    internal bool HasZero;
    internal int Zeros;

    internal static PanelInfo Empty => new() { Min = int.MaxValue, Max = 0 };
    internal readonly bool HasNonZero => Max != 0;
    internal readonly bool HasSpecial => Max >= 0x7F800000;

    internal void Merge(in PanelInfo o)
    {
        Min = Math.Min(Min, o.Min);
        Max = Math.Max(Max, o.Max);
        HasZero |= o.HasZero;
        Zeros += o.Zeros;
    }
}

/// <summary>
/// Packing of GEMM operands into the micro-kernels' layouts: A loaded as a row-major or k-major block (read in place by the kernels),
/// B as kc×64. PAM packing normalises zero and subnormal entries (exponent field 0) and stores B as
/// <c>bits(b) − 0x3F800000 + k</c>, so that one integer add of <c>bits(a)</c> forms the product's bits.
/// Branch-free (ReLU data is half zeros; a branch on "is zero" mispredicts).
/// </summary>
[MultiplicationFree]
internal static unsafe class GemmPacking
{
    private const int Inf = 0x7F800000;

    /// <summary>
    /// Copies <paramref name="runs"/> runs of <paramref name="len"/> contiguous floats (run q starts at
    /// <c>src + q·srcStride</c> and goes to <c>dst + q·dstStride</c>) as int32 bit patterns plus
    /// <paramref name="addend"/>; entries with exponent field 0 (zero, subnormal) become <c>(sign) + addend</c>, a
    /// packed signed zero. Adds the block's statistics to
    /// <paramref name="info"/>. One call per block keeps the statistics in registers across its runs (B panels are
    /// runs of 64: per-run calls spent more on call and statistics traffic than on the data).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NormalizeRuns(float* src, long srcStride, int runs, int len, int* dst, long dstStride, int addend, ref PanelInfo info)
    {
        if (runs <= 0 || len <= 0) return;
        if (Vector512.IsHardwareAccelerated && len >= 16)
        {
            var vmin = Vector512.Create(int.MaxValue);
            var vmax = Vector512<int>.Zero;
            var vzeros = Vector512<int>.Zero;
            var expMask = Vector512.Create(Inf);
            var absMask = Vector512.Create(0x7FFFFFFF);
            var signMask = Vector512.Create(int.MinValue);
            var add = Vector512.Create(addend);
            var maxInt = Vector512.Create(int.MaxValue);
            // A run whose length is not a multiple of 16 ends with a vector overlapping the previous one: the stored
            // values, minimum and maximum are the same when recomputed; only the zero count must skip the overlap.
            int full = len & ~15, tail = len - 16;
            var tailCount = Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(full - tail));
            for (int q = 0; q < runs; q++)
            {
                int* s = (int*)(src + q * srcStride);
                int* d = dst + q * dstStride;
                int i = 0;
                for (; i < full; i += 16)
                {
                    var x = Vector512.Load(s + i);
                    var isZero = Vector512.Equals(x & expMask, Vector512<int>.Zero);
                    var mag = x & absMask;
                    Vector512.Store(Vector512.ConditionalSelect(isZero, (x & signMask) + add, x + add), d + i);
                    vmin = Vector512.Min(vmin, Vector512.ConditionalSelect(isZero, maxInt, mag));
                    vmax = Vector512.Max(vmax, Vector512.AndNot(mag, isZero));
                    vzeros -= isZero;
                }
                if (full != len)
                {
                    var x = Vector512.Load(s + tail);
                    var isZero = Vector512.Equals(x & expMask, Vector512<int>.Zero);
                    var mag = x & absMask;
                    Vector512.Store(Vector512.ConditionalSelect(isZero, (x & signMask) + add, x + add), d + tail);
                    vmin = Vector512.Min(vmin, Vector512.ConditionalSelect(isZero, maxInt, mag));
                    vmax = Vector512.Max(vmax, Vector512.AndNot(mag, isZero));
                    vzeros -= isZero & tailCount;
                }
            }
            info.Min = Math.Min(info.Min, HorizontalMin(vmin));
            info.Max = Math.Max(info.Max, HorizontalMax(vmax));
            int zeros = Vector512.Sum(vzeros);
            info.HasZero |= zeros != 0;
            info.Zeros += zeros;
            return;
        }
        int mnS = int.MaxValue, mxS = 0, zerosS = 0;
        for (int q = 0; q < runs; q++)
        {
            int* s = (int*)(src + q * srcStride);
            int* d = dst + q * dstStride;
            for (int i = 0; i < len; i++)
            {
                int x = s[i];
                bool z = (x & Inf) == 0;
                int mag = x & 0x7FFFFFFF;
                d[i] = (z ? x & int.MinValue : x) + addend;
                mnS = Math.Min(mnS, z ? int.MaxValue : mag);
                mxS = Math.Max(mxS, z ? 0 : mag);
                zerosS += z ? 1 : 0;
            }
        }
        info.Min = Math.Min(info.Min, mnS);
        info.Max = Math.Max(info.Max, mxS);
        info.HasZero |= zerosS != 0;
        info.Zeros += zerosS;
    }

    /// <summary>
    /// The statistics of <see cref="NormalizeRuns"/> (for an A block: addend 0, zero sign kept) without the copy, for
    /// kernels that read the block in place. Returns false, leaving <paramref name="info"/> partly updated, when the
    /// block holds a subnormal: normalising would change it (to a signed zero), so it must be loaded instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool ScanRuns(float* src, long srcStride, int runs, int len, ref PanelInfo info)
    {
        if (runs <= 0 || len <= 0) return true;
        if (Vector512.IsHardwareAccelerated && len >= 16)
        {
            // Unsigned minimum of |x| − 1: zeros wrap to the top, so it is (smallest normal magnitude) − 1 unless some
            // |x| is subnormal, which shows as a value below 0x007FFFFF. Without subnormals the maximum magnitude
            // needs no masking (zeros are 0) and a zero is |x| = 0.
            var vmin = Vector512<uint>.AllBitsSet;
            var vmax = Vector512<int>.Zero;
            var vzeros = Vector512<int>.Zero;
            var absMask = Vector512.Create(0x7FFFFFFF);
            var one = Vector512<uint>.One;
            int full = len & ~15, tail = len - 16;
            var tailCount = Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(full - tail));
            for (int q = 0; q < runs; q++)
            {
                int* s = (int*)(src + q * srcStride);
                int i = 0;
                for (; i < full; i += 16)
                {
                    var mag = Vector512.Load(s + i) & absMask;
                    vmin = Vector512.Min(vmin, mag.AsUInt32() - one);
                    vmax = Vector512.Max(vmax, mag);
                    vzeros -= Vector512.Equals(mag, Vector512<int>.Zero);
                }
                if (full != len)
                {
                    var mag = Vector512.Load(s + tail) & absMask;
                    vmin = Vector512.Min(vmin, mag.AsUInt32() - one);
                    vmax = Vector512.Max(vmax, mag);
                    vzeros -= Vector512.Equals(mag, Vector512<int>.Zero) & tailCount;
                }
            }
            uint least = HorizontalMin(vmin);
            if (least < 0x007FFFFFu) return false;
            info.Min = Math.Min(info.Min, least == uint.MaxValue ? int.MaxValue : (int)(least + 1));
            info.Max = Math.Max(info.Max, HorizontalMax(vmax));
            int zeros = Vector512.Sum(vzeros);
            info.HasZero |= zeros != 0;
            info.Zeros += zeros;
            return true;
        }
        int mnS = int.MaxValue, mxS = 0, zerosS = 0;
        for (int q = 0; q < runs; q++)
        {
            int* s = (int*)(src + q * srcStride);
            for (int i = 0; i < len; i++)
            {
                int mag = s[i] & 0x7FFFFFFF;
                bool z = mag < 0x00800000;
                if (z && mag != 0) return false;
                mnS = Math.Min(mnS, z ? int.MaxValue : mag);
                mxS = Math.Max(mxS, z ? 0 : mag);
                zerosS += z ? 1 : 0;
            }
        }
        info.Min = Math.Min(info.Min, mnS);
        info.Max = Math.Max(info.Max, mxS);
        info.HasZero |= zerosS != 0;
        info.Zeros += zerosS;
        return true;
    }

    private static int HorizontalMin(Vector512<int> v)
    {
        var h = Vector256.Min(v.GetLower(), v.GetUpper());
        var q = Vector128.Min(h.GetLower(), h.GetUpper());
        return Math.Min(Math.Min(q.GetElement(0), q.GetElement(1)), Math.Min(q.GetElement(2), q.GetElement(3)));
    }

    private static uint HorizontalMin(Vector512<uint> v)
    {
        var h = Vector256.Min(v.GetLower(), v.GetUpper());
        var q = Vector128.Min(h.GetLower(), h.GetUpper());
        return Math.Min(Math.Min(q.GetElement(0), q.GetElement(1)), Math.Min(q.GetElement(2), q.GetElement(3)));
    }

    private static int HorizontalMax(Vector512<int> v)
    {
        var h = Vector256.Max(v.GetLower(), v.GetUpper());
        var q = Vector128.Max(h.GetLower(), h.GetUpper());
        return Math.Max(Math.Max(q.GetElement(0), q.GetElement(1)), Math.Max(q.GetElement(2), q.GetElement(3)));
    }

    /// <summary>Entries per row of a zero-skipping list block: the largest PAM kc plus room for a full-vector compress store.</summary>
    internal const int SparseCap = PamKc + 16;
    /// <summary>k block of the PAM kernels: a kc×64 B panel (+ its zero row) stays in the 32 KiB L1 while the lists stream.</summary>
    internal const int PamKc = 96;

    /// <summary>
    /// Loads rows [i0, i0+rows) × k range [p0, p0+kc) of op(A) into <paramref name="tmp"/>: row-major
    /// (<c>tmp[r·kc + p]</c>) when A is not transposed, else k-major (<c>tmp[p·rows + r]</c>). In PAM mode entries
    /// are normalised (zero and subnormal become signed zero) and <paramref name="info"/> gathers the block statistics.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LoadA(float* a, int lda, bool trans, int i0, int rows, int p0, int kc, float* tmp, bool pam, ref PanelInfo info)
    {
        int runs = trans ? kc : rows, len = trans ? rows : kc;
        float* src = trans ? a + (long)p0 * lda + i0 : a + (long)i0 * lda + p0;
        if (pam)
        {
            NormalizeRuns(src, lda, runs, len, (int*)tmp, len, 0, ref info);
            return;
        }
        for (int q = 0; q < runs; q++)
            new ReadOnlySpan<float>(src + (long)q * lda, len).CopyTo(new Span<float>(tmp + (long)q * len, len));
    }

    /// <summary>
    /// Builds the zero-skipping lists of a loaded, normalised PAM A block: per micro-panel, per row, the bits of its
    /// non-zero entries in k order and their offsets <c>p·64</c> into a B panel; rows are padded to the longest with
    /// (0, <c>kc·64</c>), the panel's all-zero row. <c>steps[panel]</c> receives the padded length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void CompressA(float* tmp, bool trans, int rows, int kc, int* dst, int* steps)
    {
        int panels = (rows + 5) / 6;
        int* count = stackalloc int[6];
        var iota = Vector512.Create(0, 64, 128, 192, 256, 320, 384, 448, 512, 576, 640, 704, 768, 832, 896, 960);
        var abs = Vector512.Create(0x7FFFFFFF);
        for (int ip = 0; ip < panels; ip++)
        {
            int* block = dst + (long)ip * 12 * SparseCap;
            int most = 0;
            for (int r = 0; r < 6; r++)
            {
                int row = ip * 6 + r, cnt = 0;
                int* vals = block + r * SparseCap, offs = block + (6 + r) * SparseCap;
                if (row < rows)
                {
                    if (!trans && Vector512.IsHardwareAccelerated)
                    {
                        int* t = (int*)tmp + (long)row * kc;
                        for (int p = 0; p < kc; p += 16)
                        {
                            var x = Vector512.Load(t + p);   // may read past the row: the scratch has slack, lanes ≥ kc are masked off
                            var keep = ~Vector512.Equals(x & abs, Vector512<int>.Zero) & Vector512.LessThan(Vector512.Create(p) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(kc));
                            Vector512.Store(Avx512F.Compress(Vector512<int>.Zero, keep, x), vals + cnt);
                            Vector512.Store(Avx512F.Compress(Vector512<int>.Zero, keep, iota + Vector512.Create(p * 64)), offs + cnt);
                            cnt += BitOperations.PopCount(keep.ExtractMostSignificantBits());
                        }
                    }
                    else
                    {
                        int* t = (int*)tmp;
                        long step = trans ? rows : 1, at = trans ? row : (long)row * kc;
                        for (int p = 0; p < kc; p++, at += step)
                        {
                            int x = t[at];
                            vals[cnt] = x;
                            offs[cnt] = p * 64;
                            cnt += (x & 0x7FFFFFFF) != 0 ? 1 : 0;
                        }
                    }
                }
                count[r] = cnt;
                most = Math.Max(most, cnt);
            }
            for (int r = 0; r < 6; r++)
            {
                int* vals = block + r * SparseCap, offs = block + (6 + r) * SparseCap;
                for (int q = count[r]; q < most; q++) { vals[q] = 0; offs[q] = kc * 64; }
            }
            steps[ip] = most;
        }
    }

    /// <summary>
    /// Packs k range [p0, p0+kc) × columns [j0, j0+cols) of op(B) (cols ≤ 64) into a kc×64 panel, padding
    /// columns past <paramref name="cols"/>. PAM: int32 <c>bits(b) − ONE + k</c>, zero entries as
    /// <c>sign + (k − ONE)</c>: the sentinel <c>k − ONE</c> with the zero's sign bit kept (the exact general kernel needs the sign).
    /// <paramref name="tmp"/> holds at least 64·kc floats (used when B is transposed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackB(float* b, int ldb, bool trans, int p0, int kc, int j0, int cols, void* dst, float* tmp, bool pam, int offsetBits, ref PanelInfo info)
    {
        int addend = pam ? offsetBits - 0x3F800000 : 0;
        int pad = pam ? addend : 0;
        int* d = (int*)dst;
        if (!trans)
        {
            float* src = b + (long)p0 * ldb + j0;
            if (pam) NormalizeRuns(src, ldb, kc, cols, d, 64, addend, ref info);
            else
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(src + (long)p * ldb, cols).CopyTo(new Span<float>((float*)d + (long)p * 64, cols));
            if (cols < 64)
                for (int p = 0; p < kc; p++) new Span<int>(d + (long)p * 64 + cols, 64 - cols).Fill(pad);
        }
        else if (Vector512.IsHardwareAccelerated && kc % 16 == 0 && cols % 16 == 0)
        {
            PackTransposed16(b + (long)j0 * ldb + p0, ldb, kc, cols, d, pam ? addend : 0, pam, ref info);
            if (cols < 64)
                for (int p = 0; p < kc; p++) new Span<int>(d + (long)p * 64 + cols, 64 - cols).Fill(pad);
        }
        else
        {
            // Stored n×k: each column of op(B) is a contiguous run along k.
            float* src = b + (long)j0 * ldb + p0;
            if (pam) NormalizeRuns(src, ldb, cols, kc, (int*)tmp, kc, addend, ref info);
            else
                for (int j = 0; j < cols; j++)
                    new ReadOnlySpan<float>(src + (long)j * ldb, kc).CopyTo(new Span<float>(tmp + (long)j * kc, kc));
            for (int p = 0; p < kc; p++)
            {
                int* row = d + (long)p * 64;
                int* t = (int*)tmp + p;
                for (int j = 0; j < cols; j++) row[j] = t[(long)j * kc];
                for (int j = cols; j < 64; j++) row[j] = pad;
            }
        }
        // Row kc is all zero bits: the target of padded zero-skipping list entries (product 0 + 0 = +0).
        new Span<int>(d + (long)kc * 64, 64).Clear();
    }

    /// <summary>
    /// Packs stored rows (columns of op(B)) of a transposed B in 16×16 blocks: 16 rows of 16 k values are loaded,
    /// normalised as <see cref="NormalizeRuns"/> does (when <paramref name="pam"/>), transposed in registers and stored
    /// as 16 panel rows. <paramref name="kc"/> and <paramref name="cols"/> are multiples of 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed16(float* src, int ldb, int kc, int cols, int* d, int addend, bool pam, ref PanelInfo info)
    {
        var vmin = Vector512.Create(int.MaxValue);
        var vmax = Vector512<int>.Zero;
        var vzeros = Vector512<int>.Zero;
        var expMask = Vector512.Create(Inf);
        var absMask = Vector512.Create(0x7FFFFFFF);
        var signMask = Vector512.Create(int.MinValue);
        var maxInt = Vector512.Create(int.MaxValue);
        var add = Vector512.Create(addend);
        Vector512<int>* r = stackalloc Vector512<int>[16];
        Vector512<int>* u = stackalloc Vector512<int>[16];
        for (int jb = 0; jb < cols; jb += 16)
        {
            for (int pb = 0; pb < kc; pb += 16)
            {
                for (int i = 0; i < 16; i++)
                {
                    var x = Vector512.Load((int*)src + (long)(jb + i) * ldb + pb);
                    if (pam)
                    {
                        var isZero = Vector512.Equals(x & expMask, Vector512<int>.Zero);
                        var mag = x & absMask;
                        x = Vector512.ConditionalSelect(isZero, x & signMask, x) + add;
                        vmin = Vector512.Min(vmin, Vector512.ConditionalSelect(isZero, maxInt, mag));
                        vmax = Vector512.Max(vmax, Vector512.AndNot(mag, isZero));
                        vzeros -= isZero;
                    }
                    r[i] = x;
                }
                // 16×16 transpose: interleave pairs of rows (32-bit), then pairs of pairs (64-bit): u[4g + c] holds, in
                // 128-bit lane L, rows 4g…4g+3 of element 4L + c; then gather lane L of u[c], u[4+c], u[8+c], u[12+c].
                for (int g = 0; g < 4; g++)
                {
                    var lo0 = Avx512F.UnpackLow(r[4 * g], r[4 * g + 1]).AsInt64();
                    var hi0 = Avx512F.UnpackHigh(r[4 * g], r[4 * g + 1]).AsInt64();
                    var lo1 = Avx512F.UnpackLow(r[4 * g + 2], r[4 * g + 3]).AsInt64();
                    var hi1 = Avx512F.UnpackHigh(r[4 * g + 2], r[4 * g + 3]).AsInt64();
                    u[4 * g] = Avx512F.UnpackLow(lo0, lo1).AsInt32();
                    u[4 * g + 1] = Avx512F.UnpackHigh(lo0, lo1).AsInt32();
                    u[4 * g + 2] = Avx512F.UnpackLow(hi0, hi1).AsInt32();
                    u[4 * g + 3] = Avx512F.UnpackHigh(hi0, hi1).AsInt32();
                }
                int* dst = d + (long)pb * 64 + jb;
                for (int c = 0; c < 4; c++)
                {
                    var v0 = Avx512F.Shuffle4x128(u[c], u[4 + c], 0x44);
                    var v1 = Avx512F.Shuffle4x128(u[c], u[4 + c], 0xEE);
                    var w0 = Avx512F.Shuffle4x128(u[8 + c], u[12 + c], 0x44);
                    var w1 = Avx512F.Shuffle4x128(u[8 + c], u[12 + c], 0xEE);
                    Vector512.Store(Avx512F.Shuffle4x128(v0, w0, 0x88), dst + c * 64);
                    Vector512.Store(Avx512F.Shuffle4x128(v0, w0, 0xDD), dst + (4 + c) * 64);
                    Vector512.Store(Avx512F.Shuffle4x128(v1, w1, 0x88), dst + (8 + c) * 64);
                    Vector512.Store(Avx512F.Shuffle4x128(v1, w1, 0xDD), dst + (12 + c) * 64);
                }
            }
        }
        if (!pam) return;
        info.Min = Math.Min(info.Min, HorizontalMin(vmin));
        info.Max = Math.Max(info.Max, HorizontalMax(vmax));
        int zeros = Vector512.Sum(vzeros);
        info.HasZero |= zeros != 0;
        info.Zeros += zeros;
    }
}
