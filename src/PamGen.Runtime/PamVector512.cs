using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PamGen;

/// <summary>
/// Lane-wise PAM operations on <see cref="Vector512{T}"/>, bit-identical to the scalar oracle <see cref="Pam"/>.
/// </summary>
/// <remarks>
/// Mul and Div first test whether every lane is ordinary (both operands normal and the result in the normal
/// range); then the result is integer adds on the raw patterns (the split form of <see cref="PamWindow"/>): the
/// sign bits add modulo 2 into the sign of the product. Otherwise a branch-free general form applies the edge rules with selects.
/// Compares are written inline inside <c>ConditionalSelect</c> so that the JIT keeps AVX-512 masks in mask
/// registers (PERFORMANCE.md). <c>PamVector256.cs</c> is the same code for <see cref="Vector256{T}"/>.
/// </remarks>
[MultiplicationFree]
internal static class PamVector512
{
    /// <summary>Width of the normal range: a magnitude m is normal iff (uint)(m − MINN) &lt; this.</summary>
    private const uint NormalSpan = Pam.InfinityBits - Pam.MinNormalBits;

    /// <summary>True when every lane of the split pair (dx, dy) is inside its window (<see cref="PamWindow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindow(Vector512<uint> dx, Vector512<uint> dy, Vector512<uint> patternX) =>
        Vector512.EqualsAll(((dx ^ patternX) | dy) & Vector512.Create(PamWindow.Mask), Vector512<uint>.Zero);

    /// <summary>True when every lane of four split pairs is inside its window: one test for the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindows(Vector512<uint> dx0, Vector512<uint> dx1, Vector512<uint> dx2, Vector512<uint> dx3,
        Vector512<uint> dy0, Vector512<uint> dy1, Vector512<uint> dy2, Vector512<uint> dy3, Vector512<uint> patternX)
    {
        Vector512<uint> mask = Vector512.Create(PamWindow.Mask);
        if (Avx512F.IsSupported)
        {
            // Five three-input logic ops instead of eleven two-input ones (the JIT does not fuse the XORs).
            Vector512<uint> x01 = Avx512F.TernaryLogic(dx0, dx1, patternX, TernaryXorOr);
            Vector512<uint> x23 = Avx512F.TernaryLogic(dx2, dx3, patternX, TernaryXorOr);
            Vector512<uint> any = Avx512F.TernaryLogic(x01, x23, dy0, TernaryOr);
            any = Avx512F.TernaryLogic(any, dy1, dy2, TernaryOr);
            return Vector512.EqualsAll(Avx512F.TernaryLogic(any, dy3, mask, TernaryOrAnd), Vector512<uint>.Zero);
        }
        Vector512<uint> outside = ((dx0 ^ patternX) | (dx1 ^ patternX)) | ((dx2 ^ patternX) | (dx3 ^ patternX)) | ((dy0 | dy1) | (dy2 | dy3));
        return Vector512.EqualsAll(outside & mask, Vector512<uint>.Zero);
    }

    /// <summary>True when every lane of eight split pairs is inside its window: one test for the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindows(Vector512<uint> dx0, Vector512<uint> dx1, Vector512<uint> dx2, Vector512<uint> dx3,
        Vector512<uint> dx4, Vector512<uint> dx5, Vector512<uint> dx6, Vector512<uint> dx7,
        Vector512<uint> dy0, Vector512<uint> dy1, Vector512<uint> dy2, Vector512<uint> dy3,
        Vector512<uint> dy4, Vector512<uint> dy5, Vector512<uint> dy6, Vector512<uint> dy7, Vector512<uint> patternX)
    {
        Vector512<uint> mask = Vector512.Create(PamWindow.Mask);
        if (Avx512F.IsSupported)
        {
            // Ten three-input logic ops and one test for sixteen inputs.
            Vector512<uint> x01 = Avx512F.TernaryLogic(dx0, dx1, patternX, TernaryXorOr);
            Vector512<uint> x23 = Avx512F.TernaryLogic(dx2, dx3, patternX, TernaryXorOr);
            Vector512<uint> x45 = Avx512F.TernaryLogic(dx4, dx5, patternX, TernaryXorOr);
            Vector512<uint> x67 = Avx512F.TernaryLogic(dx6, dx7, patternX, TernaryXorOr);
            Vector512<uint> a = Avx512F.TernaryLogic(x01, x23, x45, TernaryOr);
            Vector512<uint> b = Avx512F.TernaryLogic(x67, dy0, dy1, TernaryOr);
            Vector512<uint> c = Avx512F.TernaryLogic(dy2, dy3, dy4, TernaryOr);
            Vector512<uint> d = Avx512F.TernaryLogic(dy5, dy6, dy7, TernaryOr);
            Vector512<uint> any = Avx512F.TernaryLogic(a, b, c, TernaryOr);
            return Vector512.EqualsAll(Avx512F.TernaryLogic(any, d, mask, TernaryOrAnd), Vector512<uint>.Zero);
        }
        return InWindows(dx0, dx1, dx2, dx3, dy0, dy1, dy2, dy3, patternX) && InWindows(dx4, dx5, dx6, dx7, dy4, dy5, dy6, dy7, patternX);
    }

    /// <summary>True when every lane of four lone differences (a fixed second operand) has bits 29 and 30 clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindows(Vector512<uint> d0, Vector512<uint> d1, Vector512<uint> d2, Vector512<uint> d3)
    {
        Vector512<uint> mask = Vector512.Create(PamWindow.Mask);
        if (Avx512F.IsSupported)
            return Vector512.EqualsAll(Avx512F.TernaryLogic(Avx512F.TernaryLogic(d0, d1, d2, TernaryOr), d3, mask, TernaryOrAnd), Vector512<uint>.Zero);
        return Vector512.EqualsAll(((d0 | d1) | (d2 | d3)) & mask, Vector512<uint>.Zero);
    }

    // vpternlogd truth tables (bit (a·4 + b·2 + c) of the control is f(a, b, c)).
    private const byte TernaryOr = 0xFE;       // a | b | c
    private const byte TernaryXorOr = 0x7E;    // (a ^ c) | (b ^ c)
    private const byte TernaryOrAnd = 0xA8;    // (a | b) & c

    /// <summary>PAM product lane by lane with offset bits <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b, int k) =>
        TryMulOrdinary(a, b, k, out Vector512<float> result) ? result : MulGeneral(a, b, k);

    /// <summary>
    /// The PAM product when every lane is ordinary (both operands normal, result in the normal range): then
    /// it is the raw patterns' integer sum minus the bias, the sign bits adding modulo 2. False otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryMulOrdinary(Vector512<float> a, Vector512<float> b, int k, out Vector512<float> result)
    {
        Vector512<uint> bitsA = a.AsUInt32(), bitsB = b.AsUInt32();
        uint bias = (uint)(Pam.OneBits - k);
        // Quick test on the split form (PamWindow): |a| and |b| within about 2^±32, where no product, with any
        // offset, can leave the normal range. Typical training values pass it; the rest take the exact test.
        Vector512<uint> dx = bitsA - Vector512.Create(PamWindow.MulLowX), dy = bitsB - Vector512.Create(PamWindow.MulLowY(k));
        result = (dx + dy).AsSingle();
        if (InWindow(dx, dy, Vector512.Create(PamWindow.MulPatternX)))
            return true;
        Vector512<uint> minNormal = Vector512.Create((uint)Pam.MinNormalBits);
        Vector512<uint> magnitude = Vector512.Create((uint)Pam.MagnitudeMask);
        // Offsets from the bottom of the normal range; a zero operand wraps to a huge value.
        Vector512<uint> normA = (bitsA & magnitude) - minNormal;
        Vector512<uint> normB = (bitsB & magnitude) - minNormal;
        // |A| + |B| − bias − MINN: the result's offset from the bottom of the normal range.
        Vector512<uint> normResult = normA + normB - Vector512.Create(bias - Pam.MinNormalBits);
        return Vector512.LessThanAll(Vector512.Max(Vector512.Max(normA, normB), normResult), Vector512.Create(NormalSpan));
    }

    /// <summary>PAM product for any lanes: the edge rules of NUMERICS.md §1 as selects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<float> MulGeneral(Vector512<float> a, Vector512<float> b, int k) => MulGeneralInlined(a, b, k);

    /// <summary><see cref="MulGeneral"/> for inlining into loops that must not call (their constants stay in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulGeneralInlined(Vector512<float> a, Vector512<float> b, int k)
    {
        Vector512<uint> bitsA = a.AsUInt32(), bitsB = b.AsUInt32();
        Vector512<uint> magA = bitsA & Vector512.Create((uint)Pam.MagnitudeMask);
        Vector512<uint> magB = bitsB & Vector512.Create((uint)Pam.MagnitudeMask);
        Vector512<uint> sign = (bitsA ^ bitsB) & Vector512.Create(unchecked((uint)Pam.SignMask));
        Vector512<uint> zero = Vector512<uint>.Zero;
        Vector512<uint> inf = Vector512.Create((uint)Pam.InfinityBits);
        Vector512<uint> minNormal = Vector512.Create((uint)Pam.MinNormalBits);
        uint bias = (uint)(Pam.OneBits - k);

        Vector512<uint> sum = magA + magB;   // below 2^32 for any non-NaN magnitudes
        Vector512<uint> min = Vector512.Min(magA, magB), max = Vector512.Max(magA, magB);
        Vector512<uint> result = sum - Vector512.Create(bias);
        result = Vector512.ConditionalSelect(Vector512.LessThan(sum, Vector512.Create(bias + Pam.MinNormalBits)), zero, result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(sum, Vector512.Create(bias + Pam.InfinityBits)), inf, result);
        result = Vector512.ConditionalSelect(Vector512.LessThan(min, minNormal), zero, result);       // ·0
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(max, inf), inf, result);    // ·∞
        result |= sign;
        Vector512<uint> nan = Vector512.GreaterThan(max, inf)
            | (Vector512.Equals(max, inf) & Vector512.LessThan(min, minNormal));                    // NaN, ∞·0
        return Vector512.ConditionalSelect(nan, Vector512.Create(unchecked((uint)Pam.NaNBits)), result).AsSingle();
    }

    /// <summary>PAD quotient lane by lane with offset bits <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Div(Vector512<float> a, Vector512<float> b, int k) =>
        TryDivOrdinary(a, b, k, out Vector512<float> result) ? result : DivGeneral(a, b, k);

    /// <summary>
    /// The PAD quotient when every lane is ordinary (both operands normal, result in the normal range): the raw
    /// patterns' integer difference plus the bias. False otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryDivOrdinary(Vector512<float> a, Vector512<float> b, int k, out Vector512<float> result)
    {
        Vector512<uint> bitsA = a.AsUInt32(), bitsB = b.AsUInt32();
        uint bias = (uint)(Pam.OneBits - k);
        // Quick test on the split form (PamWindow): |a| within about 2^±32 and |b| within 2^-33…2^31, where no
        // quotient, with any offset, can leave the normal range. The rest take the exact test.
        Vector512<uint> dx = bitsA - Vector512.Create(PamWindow.DivLowX), dy = bitsB - Vector512.Create(PamWindow.DivLowY(k));
        result = (dx - dy).AsSingle();
        if (InWindow(dx, dy, Vector512.Create(PamWindow.DivPatternX)))
            return true;
        Vector512<uint> minNormal = Vector512.Create((uint)Pam.MinNormalBits);
        Vector512<uint> magnitude = Vector512.Create((uint)Pam.MagnitudeMask);
        Vector512<uint> normA = (bitsA & magnitude) - minNormal;
        Vector512<uint> normB = (bitsB & magnitude) - minNormal;
        // |A| − |B| + bias − MINN: the result's offset from the bottom of the normal range.
        Vector512<uint> normResult = normA - normB + Vector512.Create(bias - Pam.MinNormalBits);
        return Vector512.LessThanAll(Vector512.Max(Vector512.Max(normA, normB), normResult), Vector512.Create(NormalSpan));
    }

    /// <summary>PAD quotient for any lanes: the edge rules of NUMERICS.md §1 as selects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<float> DivGeneral(Vector512<float> a, Vector512<float> b, int k) => DivGeneralInlined(a, b, k);

    /// <summary><see cref="DivGeneral"/> for inlining into loops that must not call (their constants stay in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> DivGeneralInlined(Vector512<float> a, Vector512<float> b, int k)
    {
        Vector512<int> bitsA = a.AsInt32(), bitsB = b.AsInt32();
        Vector512<int> magA = bitsA & Vector512.Create(Pam.MagnitudeMask);
        Vector512<int> magB = bitsB & Vector512.Create(Pam.MagnitudeMask);
        Vector512<int> sign = (bitsA ^ bitsB) & Vector512.Create(Pam.SignMask);
        Vector512<int> zero = Vector512<int>.Zero;
        Vector512<int> inf = Vector512.Create(Pam.InfinityBits);
        Vector512<int> minNormal = Vector512.Create(Pam.MinNormalBits);
        int bias = Pam.OneBits - k;

        Vector512<int> difference = magA - magB;   // no wrap: both magnitudes are below 2^31
        Vector512<int> result = difference + Vector512.Create(bias);
        result = Vector512.ConditionalSelect(Vector512.LessThan(difference, Vector512.Create(Pam.MinNormalBits - bias)), zero, result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(difference, Vector512.Create(Pam.InfinityBits - bias)), inf, result);
        result = Vector512.ConditionalSelect(Vector512.Equals(magB, inf), zero, result);             // x/∞
        result = Vector512.ConditionalSelect(Vector512.LessThan(magB, minNormal), inf, result);      // x/0
        result = Vector512.ConditionalSelect(Vector512.LessThan(magA, minNormal), zero, result);     // 0/x
        result = Vector512.ConditionalSelect(Vector512.Equals(magA, inf), inf, result);              // ∞/x
        result |= sign;
        Vector512<int> nan = Vector512.GreaterThan(Vector512.Max(magA, magB), inf)
            | (Vector512.LessThan(magA, minNormal) & Vector512.LessThan(magB, minNormal))            // 0/0
            | (Vector512.Equals(magA, inf) & Vector512.Equals(magB, inf));                          // ∞/∞
        return Vector512.ConditionalSelect(nan, Vector512.Create(Pam.NaNBits), result).AsSingle();
    }

    /// <summary>PAM <c>2^x</c> lane by lane (see <see cref="Pam.Exp2(float)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp2(Vector512<float> x)
    {
        Vector512<int> mag = x.AsInt32() & Vector512.Create(Pam.MagnitudeMask);
        // NaN lanes may clamp to anything: they are replaced at the end.
        Vector512<float> clamped = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-Pam.Exp2InputLimit)), Vector512.Create(Pam.Exp2InputLimit));
        Vector512<float> scaled = (clamped.AsInt32() + Vector512.Create(Pam.MantissaBits << Pam.MantissaBits)).AsSingle();   // x·2^23, exact
        Vector512<int> fixedPoint = Vector512.ConvertToInt32Native(Vector512.Round(scaled));   // |x·2^23| ≤ 200·2^23
        // Range tests on the fixed-point value: adding the bias first could wrap past 2^31.
        Vector512<int> result = fixedPoint + Vector512.Create(Pam.OneBits);
        result = Vector512.ConditionalSelect(Vector512.LessThan(fixedPoint, Vector512.Create(Pam.MinNormalBits - Pam.OneBits)), Vector512<int>.Zero, result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(fixedPoint, Vector512.Create(Pam.InfinityBits - Pam.OneBits)), Vector512.Create(Pam.InfinityBits), result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(mag, Vector512.Create(Pam.InfinityBits)), Vector512.Create(Pam.NaNBits), result);
        return result.AsSingle();
    }

    /// <summary>PAM <c>log2 |x|</c> lane by lane (see <see cref="Pam.Log2(float)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log2(Vector512<float> x)
    {
        Vector512<int> mag = x.AsInt32() & Vector512.Create(Pam.MagnitudeMask);
        Vector512<int> fixedPoint = mag - Vector512.Create(Pam.OneBits);
        Vector512<int> converted = Vector512.ConvertToSingle(fixedPoint).AsInt32();   // rounds to nearest even
        Vector512<int> result = converted - Vector512.Create(Pam.MantissaBits << Pam.MantissaBits);   // ·2^-23, exact
        result = Vector512.ConditionalSelect(Vector512.Equals(fixedPoint, Vector512<int>.Zero), Vector512<int>.Zero, result);
        result = Vector512.ConditionalSelect(Vector512.LessThan(mag, Vector512.Create(Pam.MinNormalBits)), Vector512.Create(Pam.NegativeInfinityBits), result);
        result = Vector512.ConditionalSelect(Vector512.Equals(mag, Vector512.Create(Pam.InfinityBits)), Vector512.Create(Pam.InfinityBits), result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(mag, Vector512.Create(Pam.InfinityBits)), Vector512.Create(Pam.NaNBits), result);
        return result.AsSingle();
    }

    /// <summary>PAM <c>e^x</c> lane by lane: <c>Exp2(Mul(x, log2 e))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x, int k) => Exp2(Mul(x, Vector512.Create(Pam.Log2E), k));

    /// <summary>PAM <c>ln |x|</c> lane by lane: <c>Div(Log2(x), log2 e)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x, int k) => Div(Log2(x), Vector512.Create(Pam.Log2E), k);

    /// <summary>PAM <c>√|x|</c> lane by lane: <c>Exp2(Log2(x)·2^-1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> x) => Exp2(Halve(Log2(x)));

    /// <summary>Exact halving of normal lanes by an exponent decrement; zero, ∞ and NaN lanes unchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halve(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> norm = (bits & Vector512.Create((uint)Pam.MagnitudeMask)) - Vector512.Create((uint)Pam.MinNormalBits);
        return Vector512.ConditionalSelect(Vector512.LessThan(norm, Vector512.Create(NormalSpan)),
            bits - Vector512.Create(1u << Pam.MantissaBits), bits).AsSingle();
    }
}
