using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PamGen;

/// <summary>
/// Lane-wise PAM operations on <see cref="Vector256{T}"/>, bit-identical to the scalar oracle <see cref="Pam"/>.
/// </summary>
/// <remarks>
/// Mul and Div first test whether every lane is ordinary (both operands normal and the result in the normal
/// range); then the result is integer adds on the raw patterns (the split form of <see cref="PamWindow"/>): the
/// sign bits add modulo 2 into the sign of the product. Otherwise a branch-free general form applies the edge rules with selects.
/// Compares are written inline inside <c>ConditionalSelect</c> so that the JIT keeps AVX-256 masks in mask
/// registers (PERFORMANCE.md). <c>PamVector512.cs</c> is the same code for <see cref="Vector512{T}"/>.
/// </remarks>
[MultiplicationFree]
internal static class PamVector256
{
    /// <summary>Width of the normal range: a magnitude m is normal iff (uint)(m − MINN) &lt; this.</summary>
    private const uint NormalSpan = Pam.InfinityBits - Pam.MinNormalBits;

    /// <summary>True when every lane of the split pair (dx, dy) is inside its window (<see cref="PamWindow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindow(Vector256<uint> dx, Vector256<uint> dy, Vector256<uint> patternX) =>
        Vector256.EqualsAll(((dx ^ patternX) | dy) & Vector256.Create(PamWindow.Mask), Vector256<uint>.Zero);

    /// <summary>True when every lane of four split pairs is inside its window: one test for the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindows(Vector256<uint> dx0, Vector256<uint> dx1, Vector256<uint> dx2, Vector256<uint> dx3,
        Vector256<uint> dy0, Vector256<uint> dy1, Vector256<uint> dy2, Vector256<uint> dy3, Vector256<uint> patternX)
    {
        Vector256<uint> mask = Vector256.Create(PamWindow.Mask);
        if (Avx512F.VL.IsSupported)
        {
            // Five three-input logic ops instead of eleven two-input ones (the JIT does not fuse the XORs).
            Vector256<uint> x01 = Avx512F.VL.TernaryLogic(dx0, dx1, patternX, TernaryXorOr);
            Vector256<uint> x23 = Avx512F.VL.TernaryLogic(dx2, dx3, patternX, TernaryXorOr);
            Vector256<uint> any = Avx512F.VL.TernaryLogic(x01, x23, dy0, TernaryOr);
            any = Avx512F.VL.TernaryLogic(any, dy1, dy2, TernaryOr);
            return Vector256.EqualsAll(Avx512F.VL.TernaryLogic(any, dy3, mask, TernaryOrAnd), Vector256<uint>.Zero);
        }
        Vector256<uint> outside = ((dx0 ^ patternX) | (dx1 ^ patternX)) | ((dx2 ^ patternX) | (dx3 ^ patternX)) | ((dy0 | dy1) | (dy2 | dy3));
        return Vector256.EqualsAll(outside & mask, Vector256<uint>.Zero);
    }

    /// <summary>True when every lane of four lone differences (a fixed second operand) has bits 29 and 30 clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InWindows(Vector256<uint> d0, Vector256<uint> d1, Vector256<uint> d2, Vector256<uint> d3)
    {
        Vector256<uint> mask = Vector256.Create(PamWindow.Mask);
        if (Avx512F.VL.IsSupported)
            return Vector256.EqualsAll(Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(d0, d1, d2, TernaryOr), d3, mask, TernaryOrAnd), Vector256<uint>.Zero);
        return Vector256.EqualsAll(((d0 | d1) | (d2 | d3)) & mask, Vector256<uint>.Zero);
    }

    // vpternlogd truth tables (bit (a·4 + b·2 + c) of the control is f(a, b, c)).
    private const byte TernaryOr = 0xFE;       // a | b | c
    private const byte TernaryXorOr = 0x7E;    // (a ^ c) | (b ^ c)
    private const byte TernaryOrAnd = 0xA8;    // (a | b) & c

    /// <summary>PAM product lane by lane with offset bits <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b, int k) =>
        TryMulOrdinary(a, b, k, out Vector256<float> result) ? result : MulGeneral(a, b, k);

    /// <summary>
    /// The PAM product when every lane is ordinary (both operands normal, result in the normal range): then
    /// it is the raw patterns' integer sum minus the bias, the sign bits adding modulo 2. False otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryMulOrdinary(Vector256<float> a, Vector256<float> b, int k, out Vector256<float> result)
    {
        Vector256<uint> bitsA = a.AsUInt32(), bitsB = b.AsUInt32();
        uint bias = (uint)(Pam.OneBits - k);
        // Quick test on the split form (PamWindow): |a| and |b| within about 2^±32, where no product, with any
        // offset, can leave the normal range. Typical training values pass it; the rest take the exact test.
        Vector256<uint> dx = bitsA - Vector256.Create(PamWindow.MulLowX), dy = bitsB - Vector256.Create(PamWindow.MulLowY(k));
        result = (dx + dy).AsSingle();
        if (InWindow(dx, dy, Vector256.Create(PamWindow.MulPatternX)))
            return true;
        Vector256<uint> minNormal = Vector256.Create((uint)Pam.MinNormalBits);
        Vector256<uint> magnitude = Vector256.Create((uint)Pam.MagnitudeMask);
        // Offsets from the bottom of the normal range; a zero operand wraps to a huge value.
        Vector256<uint> normA = (bitsA & magnitude) - minNormal;
        Vector256<uint> normB = (bitsB & magnitude) - minNormal;
        // |A| + |B| − bias − MINN: the result's offset from the bottom of the normal range.
        Vector256<uint> normResult = normA + normB - Vector256.Create(bias - Pam.MinNormalBits);
        return Vector256.LessThanAll(Vector256.Max(Vector256.Max(normA, normB), normResult), Vector256.Create(NormalSpan));
    }

    /// <summary>PAM product for any lanes: the edge rules of NUMERICS.md §1 as selects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector256<float> MulGeneral(Vector256<float> a, Vector256<float> b, int k) => MulGeneralInlined(a, b, k);

    /// <summary><see cref="MulGeneral"/> for inlining into loops that must not call (their constants stay in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulGeneralInlined(Vector256<float> a, Vector256<float> b, int k)
    {
        Vector256<uint> bitsA = a.AsUInt32(), bitsB = b.AsUInt32();
        Vector256<uint> magA = bitsA & Vector256.Create((uint)Pam.MagnitudeMask);
        Vector256<uint> magB = bitsB & Vector256.Create((uint)Pam.MagnitudeMask);
        Vector256<uint> sign = (bitsA ^ bitsB) & Vector256.Create(unchecked((uint)Pam.SignMask));
        Vector256<uint> zero = Vector256<uint>.Zero;
        Vector256<uint> inf = Vector256.Create((uint)Pam.InfinityBits);
        Vector256<uint> minNormal = Vector256.Create((uint)Pam.MinNormalBits);
        uint bias = (uint)(Pam.OneBits - k);

        Vector256<uint> sum = magA + magB;   // below 2^32 for any non-NaN magnitudes
        Vector256<uint> min = Vector256.Min(magA, magB), max = Vector256.Max(magA, magB);
        Vector256<uint> result = sum - Vector256.Create(bias);
        result = Vector256.ConditionalSelect(Vector256.LessThan(sum, Vector256.Create(bias + Pam.MinNormalBits)), zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(sum, Vector256.Create(bias + Pam.InfinityBits)), inf, result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(min, minNormal), zero, result);       // ·0
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(max, inf), inf, result);    // ·∞
        result |= sign;
        Vector256<uint> nan = Vector256.GreaterThan(max, inf)
            | (Vector256.Equals(max, inf) & Vector256.LessThan(min, minNormal));                    // NaN, ∞·0
        return Vector256.ConditionalSelect(nan, Vector256.Create(unchecked((uint)Pam.NaNBits)), result).AsSingle();
    }

    /// <summary>PAD quotient lane by lane with offset bits <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Div(Vector256<float> a, Vector256<float> b, int k) =>
        TryDivOrdinary(a, b, k, out Vector256<float> result) ? result : DivGeneral(a, b, k);

    /// <summary>
    /// The PAD quotient when every lane is ordinary (both operands normal, result in the normal range): the raw
    /// patterns' integer difference plus the bias. False otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryDivOrdinary(Vector256<float> a, Vector256<float> b, int k, out Vector256<float> result)
    {
        Vector256<uint> bitsA = a.AsUInt32(), bitsB = b.AsUInt32();
        uint bias = (uint)(Pam.OneBits - k);
        // Quick test on the split form (PamWindow): |a| within about 2^±32 and |b| within 2^-33…2^31, where no
        // quotient, with any offset, can leave the normal range. The rest take the exact test.
        Vector256<uint> dx = bitsA - Vector256.Create(PamWindow.DivLowX), dy = bitsB - Vector256.Create(PamWindow.DivLowY(k));
        result = (dx - dy).AsSingle();
        if (InWindow(dx, dy, Vector256.Create(PamWindow.DivPatternX)))
            return true;
        Vector256<uint> minNormal = Vector256.Create((uint)Pam.MinNormalBits);
        Vector256<uint> magnitude = Vector256.Create((uint)Pam.MagnitudeMask);
        Vector256<uint> normA = (bitsA & magnitude) - minNormal;
        Vector256<uint> normB = (bitsB & magnitude) - minNormal;
        // |A| − |B| + bias − MINN: the result's offset from the bottom of the normal range.
        Vector256<uint> normResult = normA - normB + Vector256.Create(bias - Pam.MinNormalBits);
        return Vector256.LessThanAll(Vector256.Max(Vector256.Max(normA, normB), normResult), Vector256.Create(NormalSpan));
    }

    /// <summary>PAD quotient for any lanes: the edge rules of NUMERICS.md §1 as selects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector256<float> DivGeneral(Vector256<float> a, Vector256<float> b, int k) => DivGeneralInlined(a, b, k);

    /// <summary><see cref="DivGeneral"/> for inlining into loops that must not call (their constants stay in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> DivGeneralInlined(Vector256<float> a, Vector256<float> b, int k)
    {
        Vector256<int> bitsA = a.AsInt32(), bitsB = b.AsInt32();
        Vector256<int> magA = bitsA & Vector256.Create(Pam.MagnitudeMask);
        Vector256<int> magB = bitsB & Vector256.Create(Pam.MagnitudeMask);
        Vector256<int> sign = (bitsA ^ bitsB) & Vector256.Create(Pam.SignMask);
        Vector256<int> zero = Vector256<int>.Zero;
        Vector256<int> inf = Vector256.Create(Pam.InfinityBits);
        Vector256<int> minNormal = Vector256.Create(Pam.MinNormalBits);
        int bias = Pam.OneBits - k;

        Vector256<int> difference = magA - magB;   // no wrap: both magnitudes are below 2^31
        Vector256<int> result = difference + Vector256.Create(bias);
        result = Vector256.ConditionalSelect(Vector256.LessThan(difference, Vector256.Create(Pam.MinNormalBits - bias)), zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(difference, Vector256.Create(Pam.InfinityBits - bias)), inf, result);
        result = Vector256.ConditionalSelect(Vector256.Equals(magB, inf), zero, result);             // x/∞
        result = Vector256.ConditionalSelect(Vector256.LessThan(magB, minNormal), inf, result);      // x/0
        result = Vector256.ConditionalSelect(Vector256.LessThan(magA, minNormal), zero, result);     // 0/x
        result = Vector256.ConditionalSelect(Vector256.Equals(magA, inf), inf, result);              // ∞/x
        result |= sign;
        Vector256<int> nan = Vector256.GreaterThan(Vector256.Max(magA, magB), inf)
            | (Vector256.LessThan(magA, minNormal) & Vector256.LessThan(magB, minNormal))            // 0/0
            | (Vector256.Equals(magA, inf) & Vector256.Equals(magB, inf));                          // ∞/∞
        return Vector256.ConditionalSelect(nan, Vector256.Create(Pam.NaNBits), result).AsSingle();
    }

    /// <summary>PAM <c>2^x</c> lane by lane (see <see cref="Pam.Exp2(float)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp2(Vector256<float> x)
    {
        Vector256<int> mag = x.AsInt32() & Vector256.Create(Pam.MagnitudeMask);
        // NaN lanes may clamp to anything: they are replaced at the end.
        Vector256<float> clamped = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(-Pam.Exp2InputLimit)), Vector256.Create(Pam.Exp2InputLimit));
        Vector256<float> scaled = (clamped.AsInt32() + Vector256.Create(Pam.MantissaBits << Pam.MantissaBits)).AsSingle();   // x·2^23, exact
        Vector256<int> fixedPoint = Vector256.ConvertToInt32Native(Vector256.Round(scaled));   // |x·2^23| ≤ 200·2^23
        // Range tests on the fixed-point value: adding the bias first could wrap past 2^31.
        Vector256<int> result = fixedPoint + Vector256.Create(Pam.OneBits);
        result = Vector256.ConditionalSelect(Vector256.LessThan(fixedPoint, Vector256.Create(Pam.MinNormalBits - Pam.OneBits)), Vector256<int>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(fixedPoint, Vector256.Create(Pam.InfinityBits - Pam.OneBits)), Vector256.Create(Pam.InfinityBits), result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(mag, Vector256.Create(Pam.InfinityBits)), Vector256.Create(Pam.NaNBits), result);
        return result.AsSingle();
    }

    /// <summary>PAM <c>log2 |x|</c> lane by lane (see <see cref="Pam.Log2(float)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log2(Vector256<float> x)
    {
        Vector256<int> mag = x.AsInt32() & Vector256.Create(Pam.MagnitudeMask);
        Vector256<int> fixedPoint = mag - Vector256.Create(Pam.OneBits);
        Vector256<int> converted = Vector256.ConvertToSingle(fixedPoint).AsInt32();   // rounds to nearest even
        Vector256<int> result = converted - Vector256.Create(Pam.MantissaBits << Pam.MantissaBits);   // ·2^-23, exact
        result = Vector256.ConditionalSelect(Vector256.Equals(fixedPoint, Vector256<int>.Zero), Vector256<int>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(mag, Vector256.Create(Pam.MinNormalBits)), Vector256.Create(Pam.NegativeInfinityBits), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(mag, Vector256.Create(Pam.InfinityBits)), Vector256.Create(Pam.InfinityBits), result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(mag, Vector256.Create(Pam.InfinityBits)), Vector256.Create(Pam.NaNBits), result);
        return result.AsSingle();
    }

    /// <summary>PAM <c>e^x</c> lane by lane: <c>Exp2(Mul(x, log2 e))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x, int k) => Exp2(Mul(x, Vector256.Create(Pam.Log2E), k));

    /// <summary>PAM <c>ln |x|</c> lane by lane: <c>Div(Log2(x), log2 e)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x, int k) => Div(Log2(x), Vector256.Create(Pam.Log2E), k);

    /// <summary>PAM <c>√|x|</c> lane by lane: <c>Exp2(Log2(x)·2^-1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> x) => Exp2(Halve(Log2(x)));

    /// <summary>Exact halving of normal lanes by an exponent decrement; zero, ∞ and NaN lanes unchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Halve(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> norm = (bits & Vector256.Create((uint)Pam.MagnitudeMask)) - Vector256.Create((uint)Pam.MinNormalBits);
        return Vector256.ConditionalSelect(Vector256.LessThan(norm, Vector256.Create(NormalSpan)),
            bits - Vector256.Create(1u << Pam.MantissaBits), bits).AsSingle();
    }
}
