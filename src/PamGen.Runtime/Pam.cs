using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// The PAM operations of NUMERICS.md §1–2, and the scalar oracle every other backend must equal bit for bit.
/// </summary>
/// <remarks>
/// <para>
/// Every operation works on the IEEE-754 binary32 bit patterns as integers: a product is the sum of the
/// operands' bit patterns minus the bits of 1.0, a quotient their difference plus the bits of 1.0. No
/// floating-point multiply, divide, square root or fused multiply-add is executed, not even to decide an edge
/// case: zero, subnormal, infinite and NaN operands and results are recognised from the exponent field.
/// </para>
/// <para>Edge rules (NUMERICS.md §1), the same for every operation:</para>
/// <list type="bullet">
/// <item>An operand whose exponent field is 0 (±0 or subnormal) is zero.</item>
/// <item>A result below the smallest normal (0x00800000) is a signed zero; at or above infinity (0x7F800000) a signed infinity.</item>
/// <item>NaN in, NaN out; <c>∞·0</c>, <c>0/0</c> and <c>∞/∞</c> are NaN. Every NaN result is <see cref="float.NaN"/> (bits 0xFFC00000).</item>
/// </list>
/// <para>The scalar methods are written for clarity; the span kernels (Pam.Spans.cs) and the vector forms
/// (<c>PamVector256</c>, <c>PamVector512</c>) are tested against them.</para>
/// </remarks>
public static partial class Pam
{
    /// <summary>Bits of 1.0f: the exponent bias in bit-pattern units.</summary>
    internal const int OneBits = 0x3F800000;
    /// <summary>Bits of the smallest positive normal float, 2^-126.</summary>
    internal const int MinNormalBits = 0x00800000;
    /// <summary>Bits of +∞; every magnitude above it is a NaN.</summary>
    internal const int InfinityBits = 0x7F800000;
    /// <summary>Mask of the sign bit.</summary>
    internal const int SignMask = unchecked((int)0x80000000);
    /// <summary>Mask of exponent and mantissa (the magnitude).</summary>
    internal const int MagnitudeMask = 0x7FFFFFFF;
    /// <summary>The width of the normal range of magnitudes, <c>INF − MINN</c>: <c>(uint)(m − MINN) &lt; NormalSpan</c> tests normal and finite.</summary>
    internal const uint NormalSpan = InfinityBits - MinNormalBits;
    /// <summary>Mask of the mantissa field.</summary>
    internal const int MantissaMask = 0x007FFFFF;
    /// <summary>Width of the mantissa field: adding <c>n &lt;&lt; 23</c> to a pattern scales it by 2^n.</summary>
    internal const int MantissaBits = 23;
    /// <summary>Bits of the NaN every operation returns (<see cref="float.NaN"/>).</summary>
    internal const int NaNBits = unchecked((int)0xFFC00000);
    /// <summary>Bits of −∞.</summary>
    internal const int NegativeInfinityBits = unchecked((int)0xFF800000);

    /// <summary><c>log2 e</c> rounded to float32, the constant of <see cref="Exp(float)"/> and <see cref="Log(float)"/>.</summary>
    public const float Log2E = 1.44269504f;

    /// <summary>
    /// Exp2's input clamp. Any |x| ≥ 129 already over- or underflows; clamping keeps <c>x·2^23</c> inside int32.
    /// </summary>
    internal const float Exp2InputLimit = 200f;

    // ---------------------------------------------------------------- multiplication and division

    /// <summary>PAM product of <paramref name="a"/> and <paramref name="b"/>, without offset.</summary>
    /// <remarks>Normal range: <c>S | (|A| + |B| − 0x3F800000)</c>, i.e. <c>2^(Ea+Eb)(1+Ma+Mb)</c> or
    /// <c>2^(Ea+Eb+1)(Ma+Mb)</c> when the mantissas carry. Exact when either operand is a power of two;
    /// never above |a·b|.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mul(float a, float b) => Mul(a, b, 0);

    /// <summary>PAM product with the offset <paramref name="offset"/>: <c>S | (|A| + |B| − 0x3F800000 + k)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mul(float a, float b, PamOffset offset) => Mul(a, b, offset.Bits);

    /// <summary>PAD quotient <paramref name="a"/>/<paramref name="b"/>, without offset.</summary>
    /// <remarks>Normal range: <c>S | (|A| − |B| + 0x3F800000)</c>; never below |a/b|.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Div(float a, float b) => Div(a, b, 0);

    /// <summary>PAD quotient with the offset <paramref name="offset"/>: <c>S | (|A| − |B| + 0x3F800000 − k)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Div(float a, float b, PamOffset offset) => Div(a, b, offset.Bits);

    /// <summary>PAM product with offset bits <paramref name="k"/> (already validated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Mul(float a, float b, int k)
    {
        // Fast path, one branch: both operands normal and finite and the product's magnitude in the normal range.
        // Unsigned wrap-around turns each two-sided range test into one compare; branch-free tests keep GPU warps
        // together. The magnitudes sum to less than 2^32, so the sum cannot wrap.
        uint magnitudeA = (uint)(Bits(a) & MagnitudeMask), magnitudeB = (uint)(Bits(b) & MagnitudeMask);
        uint sum = magnitudeA + magnitudeB;
        if (((magnitudeA - MinNormalBits) < NormalSpan) & ((magnitudeB - MinNormalBits) < NormalSpan)
            & ((sum - unchecked((uint)(OneBits - k + MinNormalBits))) < NormalSpan))
            return FromBits(((Bits(a) ^ Bits(b)) & SignMask) | (int)(sum - unchecked((uint)(OneBits - k))));
        return MulEdge(a, b, k);
    }

    // Zeros, subnormals, infinities, NaN, and results that leave the normal range.
    private static float MulEdge(float a, float b, int k)
    {
        int sign = (Bits(a) ^ Bits(b)) & SignMask;
        int magA = Bits(a) & MagnitudeMask;
        int magB = Bits(b) & MagnitudeMask;

        if (magA > InfinityBits || magB > InfinityBits) return float.NaN;
        bool zeroA = magA < MinNormalBits, zeroB = magB < MinNormalBits;
        if (magA == InfinityBits || magB == InfinityBits)
            return zeroA || zeroB ? float.NaN : FromBits(sign | InfinityBits);   // ∞·0 is NaN
        if (zeroA || zeroB) return FromBits(sign);

        // 64-bit so that the sum of two large magnitudes cannot wrap before the range checks.
        long magnitude = (long)magA + magB - OneBits + k;
        return FromBits(sign | Saturate(magnitude));
    }

    /// <summary>PAD quotient with offset bits <paramref name="k"/> (already validated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Div(float a, float b, int k)
    {
        // Fast path as in Mul: both operands normal and finite, quotient magnitude normal. A negative true difference
        // wraps to at least 2^31 − 2^23, outside the span, so one unsigned compare tests both ends.
        uint magnitudeA = (uint)(Bits(a) & MagnitudeMask), magnitudeB = (uint)(Bits(b) & MagnitudeMask);
        uint difference = magnitudeA - magnitudeB + unchecked((uint)(OneBits - k));
        if (((magnitudeA - MinNormalBits) < NormalSpan) & ((magnitudeB - MinNormalBits) < NormalSpan)
            & ((difference - MinNormalBits) < NormalSpan))
            return FromBits(((Bits(a) ^ Bits(b)) & SignMask) | (int)difference);
        return DivEdge(a, b, k);
    }

    private static float DivEdge(float a, float b, int k)
    {
        int sign = (Bits(a) ^ Bits(b)) & SignMask;
        int magA = Bits(a) & MagnitudeMask;
        int magB = Bits(b) & MagnitudeMask;

        if (magA > InfinityBits || magB > InfinityBits) return float.NaN;
        bool zeroA = magA < MinNormalBits, zeroB = magB < MinNormalBits;
        bool infA = magA == InfinityBits, infB = magB == InfinityBits;
        if ((zeroA && zeroB) || (infA && infB)) return float.NaN;          // 0/0, ∞/∞
        if (infA || zeroB) return FromBits(sign | InfinityBits);           // ∞/x, x/0
        if (zeroA || infB) return FromBits(sign);                          // 0/x, x/∞

        long magnitude = (long)magA - magB + OneBits - k;
        return FromBits(sign | Saturate(magnitude));
    }

    // ---------------------------------------------------------------- exponential and logarithm

    /// <summary>
    /// PAM <c>2^x</c>: the correctly rounded <c>2^⌊x⌋ (1 + x − ⌊x⌋)</c>, i.e. bits = <c>round_even(x·2^23) + 0x3F800000</c>.
    /// </summary>
    /// <remarks>Below the normal range +0, above it +∞; <c>Exp2(−∞) = 0</c>, <c>Exp2(+∞) = +∞</c>, NaN → NaN.
    /// The scaling by 2^23 adds 23 to the exponent field (exact), it is not a multiply.</remarks>
    public static float Exp2(float x)
    {
        if ((Bits(x) & MagnitudeMask) > InfinityBits) return float.NaN;
        // Not Math.Clamp: its argument check throws, and ILGPU cannot compile a throw (the generated GPU kernels call
        // this method). Same result for every non-NaN x.
        float clamped = x < -Exp2InputLimit ? -Exp2InputLimit : x > Exp2InputLimit ? Exp2InputLimit : x;
        int fixedPoint = (int)MathF.Round(ScaleBy2Pow23(clamped));   // MathF.Round rounds half to even
        return FromBits(Saturate((long)fixedPoint + OneBits));
    }

    /// <summary>
    /// PAM <c>log2 |x|</c>: the correctly rounded <c>E(x) + M(x)</c>, i.e. <c>(float)(|X| − 0x3F800000) · 2^-23</c>.
    /// </summary>
    /// <remarks>The sign of x is ignored, as in the paper. <c>Log2(±0) = −∞</c> (subnormals are zero),
    /// <c>Log2(±∞) = +∞</c>, NaN → NaN. The scaling by 2^-23 subtracts 23 from the exponent field.</remarks>
    public static float Log2(float x)
    {
        int mag = Bits(x) & MagnitudeMask;
        if (mag > InfinityBits) return float.NaN;
        if (mag == InfinityBits) return float.PositiveInfinity;
        if (mag < MinNormalBits) return float.NegativeInfinity;
        int fixedPoint = mag - OneBits;                 // E·2^23 + M·2^23, exactly
        if (fixedPoint == 0) return 0f;
        return ScaleBy2PowMinus23((float)fixedPoint);   // the int→float conversion rounds to nearest even
    }

    /// <summary>PAM <c>e^x</c> = <c>Exp2(Mul(x, log2 e))</c>, without offset.</summary>
    public static float Exp(float x) => Exp(x, 0);
    /// <summary>PAM <c>e^x</c> = <c>Exp2(Mul(x, log2 e))</c> with the offset applied in the Mul.</summary>
    public static float Exp(float x, PamOffset offset) => Exp(x, offset.Bits);
    /// <summary>PAM <c>ln |x|</c> = <c>Div(Log2(x), log2 e)</c>, without offset.</summary>
    public static float Log(float x) => Log(x, 0);
    /// <summary>PAM <c>ln |x|</c> = <c>Div(Log2(x), log2 e)</c> with the offset applied in the Div.</summary>
    public static float Log(float x, PamOffset offset) => Log(x, offset.Bits);
    /// <summary>PAM <c>|x|^y</c> = <c>Exp2(Mul(Log2(x), y))</c>, without offset; see <see cref="Pow(float, float, PamOffset)"/>.</summary>
    public static float Pow(float x, float y) => Pow(x, y, 0);

    /// <summary>PAM <c>|x|^y</c> = <c>Exp2(Mul(Log2(x), y))</c> with the offset applied in the Mul.</summary>
    /// <remarks><c>Pow(0, y) = +0</c> for every non-NaN y; a NaN operand gives NaN. The sign of x is ignored
    /// (Log2 ignores it). Everything else follows from the composition, e.g. <c>Pow(∞, 0) = NaN</c> (∞·0).</remarks>
    public static float Pow(float x, float y, PamOffset offset) => Pow(x, y, offset.Bits);

    /// <summary>PAM <c>√|x|</c> = <c>Exp2(Log2(x) · 2^-1)</c>; the halving decrements the exponent field (exact).</summary>
    /// <remarks><c>Sqrt(0) = 0</c>, <c>Sqrt(∞) = ∞</c>, NaN → NaN; the sign of x is ignored (Log2 ignores it).</remarks>
    public static float Sqrt(float x) => Exp2(Halve(Log2(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Exp(float x, int k) => Exp2(Mul(x, Log2E, k));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Log(float x, int k) => Div(Log2(x), Log2E, k);

    internal static float Pow(float x, float y, int k)
    {
        if ((Bits(x) & MagnitudeMask) > InfinityBits || (Bits(y) & MagnitudeMask) > InfinityBits) return float.NaN;
        if ((Bits(x) & MagnitudeMask) < MinNormalBits) return 0f;
        return Exp2(Mul(Log2(x), y, k));
    }

    // ---------------------------------------------------------------- bit-level helpers

    /// <summary>The IEEE-754 bit pattern of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Bits(float x) => BitConverter.SingleToInt32Bits(x);

    /// <summary>The float with bit pattern <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>Applies the range rule to a result magnitude: below the smallest normal → 0, at or above ∞ → ∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Saturate(long magnitude) =>
        magnitude < MinNormalBits ? 0 : magnitude >= InfinityBits ? InfinityBits : (int)magnitude;

    /// <summary>
    /// <c>x·2^23</c> exactly, by adding 23 to the exponent field. Valid for |x| ≤ <see cref="Exp2InputLimit"/>;
    /// for a zero or subnormal x the result is a value below 2^-103 of the same sign, which rounds to zero as the
    /// true product would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float ScaleBy2Pow23(float x) => FromBits(Bits(x) + (MantissaBits << MantissaBits));

    /// <summary><c>x·2^-23</c> exactly, by subtracting 23 from the exponent field. Valid for |x| ≥ 1 (an integer-valued float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float ScaleBy2PowMinus23(float x) => FromBits(Bits(x) - (MantissaBits << MantissaBits));

    /// <summary>
    /// <c>x/2</c> exactly for a Log2 result: decrements the exponent field of a normal x; zero, ∞ and NaN are
    /// returned unchanged. (A Log2 result is never below 2^-23 in magnitude, so halving cannot underflow.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Halve(float x)
    {
        int mag = Bits(x) & MagnitudeMask;
        return mag >= MinNormalBits && mag < InfinityBits ? FromBits(Bits(x) - (1 << MantissaBits)) : x;
    }
}
