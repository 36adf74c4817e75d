using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// What a packed PAM panel holds, for choosing a kernel: the smallest and largest magnitude bit pattern
/// among entries whose exponent field is non-zero (∞ and NaN included, so <c>Max ≥ 0x7F800000</c> flags them),
/// and whether any entry is zero or subnormal.
/// </summary>
internal struct PanelInfo
{
    internal int Min;
    internal int Max;
    internal bool HasZero;

    internal static PanelInfo Empty => new() { Min = int.MaxValue, Max = 0 };
    internal readonly bool HasNonZero => Max != 0;
    internal readonly bool HasSpecial => Max >= 0x7F800000;

    internal void Merge(in PanelInfo o)
    {
        Min = Math.Min(Min, o.Min);
        Max = Math.Max(Max, o.Max);
        HasZero |= o.HasZero;
    }
}

/// <summary>
/// Packing of GEMM operands into the micro-kernels' panel layouts: A as kc×6 (k-major, six rows interleaved),
/// B as kc×64. PAM packing normalises zero and subnormal entries (exponent field 0) and stores B as
/// <c>bits(b) − 0x3F800000 + k</c>, so that one integer add of <c>bits(a)</c> forms the product's bits.
/// Branch-free (ReLU data is half zeros; a branch on "is zero" mispredicts).
/// </summary>
internal static unsafe class GemmPacking
{
    private const int Inf = 0x7F800000;

    /// <summary>
    /// Copies <paramref name="len"/> contiguous floats to <paramref name="dst"/> as int32 bit patterns plus
    /// <paramref name="addend"/>; entries with exponent field 0 become <c>(sign) + addend</c> when
    /// <paramref name="keepZeroSign"/>, else <paramref name="zeroValue"/>. Records the panel statistics.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NormalizeRun(float* src, int len, int* dst, int addend, bool keepZeroSign, int zeroValue, ref PanelInfo info)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && len >= 16)
        {
            var vmin = Vector512.Create(int.MaxValue);
            var vmax = Vector512<int>.Zero;
            var vzero = Vector512<int>.Zero;
            var expMask = Vector512.Create(Inf);
            var absMask = Vector512.Create(0x7FFFFFFF);
            var signMask = Vector512.Create(keepZeroSign ? int.MinValue : 0);
            var zeroBase = Vector512.Create(keepZeroSign ? addend : zeroValue);
            var add = Vector512.Create(addend);
            for (; i <= len - 16; i += 16)
            {
                var x = Vector512.Load((int*)src + i);
                var isZero = Vector512.Equals(x & expMask, Vector512<int>.Zero);
                var mag = x & absMask;
                Vector512.Store(Vector512.ConditionalSelect(isZero, (x & signMask) + zeroBase, x + add), dst + i);
                vmin = Vector512.Min(vmin, Vector512.ConditionalSelect(isZero, Vector512.Create(int.MaxValue), mag));
                vmax = Vector512.Max(vmax, Vector512.ConditionalSelect(isZero, Vector512<int>.Zero, mag));
                vzero |= isZero;
            }
            info.Min = Math.Min(info.Min, HorizontalMin(vmin));
            info.Max = Math.Max(info.Max, HorizontalMax(vmax));
            info.HasZero |= vzero != Vector512<int>.Zero;
        }
        int mn = info.Min, mx = info.Max; bool anyZero = info.HasZero;
        for (; i < len; i++)
        {
            int x = ((int*)src)[i];
            bool z = (x & Inf) == 0;
            int mag = x & 0x7FFFFFFF;
            dst[i] = z ? (keepZeroSign ? (x & int.MinValue) + addend : zeroValue) : x + addend;
            mn = Math.Min(mn, z ? int.MaxValue : mag);
            mx = Math.Max(mx, z ? 0 : mag);
            anyZero |= z;
        }
        info.Min = mn; info.Max = mx; info.HasZero = anyZero;
    }

    private static int HorizontalMin(Vector512<int> v)
    {
        int m = int.MaxValue;
        for (int i = 0; i < 16; i++) m = Math.Min(m, v.GetElement(i));
        return m;
    }

    private static int HorizontalMax(Vector512<int> v)
    {
        int m = 0;
        for (int i = 0; i < 16; i++) m = Math.Max(m, v.GetElement(i));
        return m;
    }

    /// <summary>
    /// Packs rows [i0, i0+rows) × k range [p0, p0+kc) of op(A) into micro-panels of six rows
    /// (<c>dst[panel·6·kc + p·6 + r]</c>), zero-filling rows past <paramref name="rows"/>. In PAM mode entries are
    /// normalised (zero and subnormal become signed zero) and <paramref name="info"/> gathers the block statistics.
    /// <paramref name="tmp"/> holds at least rows·kc floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackA(float* a, int lda, bool trans, int i0, int rows, int p0, int kc, float* dst, float* tmp, bool pam, ref PanelInfo info)
    {
        int panels = (rows + 5) / 6;
        if (!trans)
        {
            // Rows of A are contiguous along k: normalise each row run, then interleave six rows.
            for (int r = 0; r < rows; r++)
            {
                float* src = a + (long)(i0 + r) * lda + p0;
                float* t = tmp + (long)r * kc;
                if (pam) NormalizeRun(src, kc, (int*)t, 0, true, 0, ref info);
                else new ReadOnlySpan<float>(src, kc).CopyTo(new Span<float>(t, kc));
            }
            for (int ip = 0; ip < panels; ip++)
            {
                float* d = dst + (long)ip * 6 * kc;
                for (int r = 0; r < 6; r++)
                {
                    int row = ip * 6 + r;
                    if (row < rows)
                    {
                        float* t = tmp + (long)row * kc;
                        for (int p = 0; p < kc; p++) d[p * 6 + r] = t[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) d[p * 6 + r] = 0f;
                    }
                }
            }
        }
        else
        {
            // Stored k×m: for each p the block's rows are contiguous; copy six at a time.
            int full = rows / 6;
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (long)(p0 + p) * lda + i0;
                float* t = tmp;
                if (pam) NormalizeRun(src, rows, (int*)t, 0, true, 0, ref info);
                else t = src;
                for (int ip = 0; ip < full; ip++)
                {
                    float* d = dst + (long)ip * 6 * kc + p * 6;
                    float* s = t + ip * 6;
                    d[0] = s[0]; d[1] = s[1]; d[2] = s[2]; d[3] = s[3]; d[4] = s[4]; d[5] = s[5];
                }
                if (full < panels)
                {
                    float* d = dst + (long)full * 6 * kc + p * 6;
                    for (int r = 0; r < 6; r++) d[r] = full * 6 + r < rows ? t[full * 6 + r] : 0f;
                }
            }
        }
    }

    /// <summary>
    /// Packs k range [p0, p0+kc) × columns [j0, j0+cols) of op(B) (cols ≤ 64) into a kc×64 panel, padding
    /// columns past <paramref name="cols"/>. PAM: int32 <c>bits(b) − ONE + k</c>, zero entries as
    /// <c>sign + (k − ONE)</c> when <paramref name="keepZeroSign"/>, else the sentinel <c>k − ONE</c>.
    /// <paramref name="tmp"/> holds at least 64·kc floats (used when B is transposed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackB(float* b, int ldb, bool trans, int p0, int kc, int j0, int cols, void* dst, float* tmp, bool pam, int offsetBits, bool keepZeroSign, ref PanelInfo info)
    {
        int addend = pam ? offsetBits - 0x3F800000 : 0;
        int pad = pam ? addend : 0;
        int* d = (int*)dst;
        if (!trans)
        {
            for (int p = 0; p < kc; p++)
            {
                float* src = b + (long)(p0 + p) * ldb + j0;
                int* row = d + (long)p * 64;
                if (pam) NormalizeRun(src, cols, row, addend, keepZeroSign, addend, ref info);
                else new ReadOnlySpan<float>(src, cols).CopyTo(new Span<float>((float*)row, cols));
                for (int j = cols; j < 64; j++) row[j] = pad;
            }
        }
        else
        {
            // Stored n×k: each column of op(B) is a contiguous run along k.
            for (int j = 0; j < cols; j++)
            {
                float* src = b + (long)(j0 + j) * ldb + p0;
                int* t = (int*)tmp + (long)j * kc;
                if (pam) NormalizeRun(src, kc, t, addend, keepZeroSign, addend, ref info);
                else new ReadOnlySpan<float>(src, kc).CopyTo(new Span<float>((float*)t, kc));
            }
            for (int p = 0; p < kc; p++)
            {
                int* row = d + (long)p * 64;
                int* t = (int*)tmp + p;
                for (int j = 0; j < cols; j++) row[j] = t[(long)j * kc];
                for (int j = cols; j < 64; j++) row[j] = pad;
            }
        }
    }
}
