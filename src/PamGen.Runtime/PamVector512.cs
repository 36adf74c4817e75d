using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Lane-wise PAM operations on <see cref="Vector512{T}"/>, bit-identical to the scalar oracle <see cref="Pam"/>.
/// </summary>
/// <remarks>
/// Mul and Div first test whether every lane is ordinary (both operands normal and the result in the normal
/// range); then the result is one integer add and subtract on the raw patterns: the sign bits add modulo 2
/// into the sign of the product. Otherwise a branch-free general form applies the edge rules with selects.
/// Compares are written inline inside <c>ConditionalSelect</c> so that the JIT keeps AVX-512 masks in mask
/// registers (PERFORMANCE.md). <c>PamVector256.cs</c> is the same code for <see cref="Vector256{T}"/>.
/// </remarks>
[MultiplicationFree]
internal static class PamVector512
{
    /// <summary>Width of the normal range: a magnitude m is normal iff (uint)(m − MINN) &lt; this.</summary>
    private const uint NormalSpan = Pam.InfinityBits - Pam.MinNormalBits;

    /// <summary>Bits of 2^-32, the bottom of the quick range [2^-32, 2^32).</summary>
    private const uint QuickRangeLow = (127 - 32) << Pam.MantissaBits;

    /// <summary>
    /// Bits 29 and 30: (bits(x) − bits(2^-32)) has both clear iff |x| lies in [2^-32, 2^32), whatever the sign
    /// (a magnitude below the range borrows into bit 30, one above reaches bit 29 or 30).
    /// </summary>
    private const uint QuickRangeMask = 0x60000000;

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
        result = (bitsA + bitsB - Vector512.Create(bias)).AsSingle();
        // Quick test (4 instructions): both magnitudes in [2^-32, 2^32), where no product or quotient, with any
        // offset, can leave the normal range. Typical training values pass it; the rest take the exact test.
        if (Vector512.EqualsAll(((bitsA - Vector512.Create(QuickRangeLow)) | (bitsB - Vector512.Create(QuickRangeLow))) & Vector512.Create(QuickRangeMask), Vector512<uint>.Zero))
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
    public static Vector512<float> MulGeneral(Vector512<float> a, Vector512<float> b, int k)
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
        result = (bitsA - bitsB + Vector512.Create(bias)).AsSingle();
        // Quick test (4 instructions): both magnitudes in [2^-32, 2^32), where no product or quotient, with any
        // offset, can leave the normal range. Typical training values pass it; the rest take the exact test.
        if (Vector512.EqualsAll(((bitsA - Vector512.Create(QuickRangeLow)) | (bitsB - Vector512.Create(QuickRangeLow))) & Vector512.Create(QuickRangeMask), Vector512<uint>.Zero))
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
    public static Vector512<float> DivGeneral(Vector512<float> a, Vector512<float> b, int k)
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
