using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// The constants of the cheap exactness test ("windows") of the vector Mul and Div forms and span loops.
/// </summary>
/// <remarks>
/// <para>
/// In the ordinary case PAM is <c>R = A + B − (ONE − k)</c> on the raw bit patterns (Div: <c>A − B + ONE − k</c>),
/// the sign bits adding modulo 2. Split the bias between the operands: <c>dx = A − LowX</c>,
/// <c>dy = B − LowY(k)</c> with <c>LowX + LowY = ONE − k</c> (Div: <c>LowY − LowX = ONE − k</c>); then
/// <c>R = dx + dy</c> (Div: <c>dx − dy</c>), and the same two differences decide exactness: bits 29 and 30 of
/// <c>dx</c> (64 binades, read modulo the sign bit, which absorbs the operand's sign and any borrow) must equal
/// <see cref="MulPatternX"/> (Div: <see cref="DivPatternX"/>), those of <c>dy</c> must be clear.
/// </para>
/// <para>Mul: in window, <c>|a|</c> ∈ [2^-32, 2^32) and <c>|b|</c> ∈ [2^-31, 2^33) (shifted by k ulps), so both are
/// normal, and the magnitude of <c>R</c> is (|A| − LowX) + (|B| − LowY) ∈ [2^29, 2^30) + [0, 2^29), binades
/// 64…191: always normal, whatever the offset. Div: <c>|a|</c> ∈ [2^-32, 2^32), <c>|b|</c> ∈ [2^-33, 2^31), the
/// quotient's magnitude in [2^30, 3·2^29) − [0, 2^29). The pattern cannot be the same for both operands (two windows whose
/// lower ends sum to the bias would allow a zero result binade), hence the XOR with the pattern.</para>
/// <para>Per vector the fast form costs three integer adds (two of them with the load folded in) and, shared by a
/// group of vectors, a few <c>vpternlogd</c> and one test: the failure bits of a lane are
/// <c>((dx ^ pattern) | dy) &amp; Mask</c>. Everything else (zeros, subnormals, ∞, NaN, results near the edges)
/// goes to the exact general forms.</para>
/// </remarks>
[MultiplicationFree]
internal static class PamWindow
{
    /// <summary>Bits 29 and 30: a window spans 2^29 bit-pattern units (64 binades).</summary>
    public const uint Mask = 0x60000000;

    /// <summary>Width of a window in bit-pattern units.</summary>
    private const uint Width = 1u << 29;

    /// <summary>Mul: <c>dx = A − MulLowX</c>; with the pattern 01 in bits 30…29, |a| ∈ [2^-32, 2^32).</summary>
    public const uint MulLowX = 31u << Pam.MantissaBits;

    /// <summary>Mul: bits 30…29 of an in-window <c>dx</c> (01).</summary>
    public const uint MulPatternX = 1u << 29;

    /// <summary>Mul: <c>dy = B − MulLowY(k)</c>, in window when bits 30…29 are clear; <c>dx + dy</c> is the product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MulLowY(int k) => (uint)(Pam.OneBits - k) - MulLowX;

    /// <summary>Div: <c>dx = A − DivLowX</c> (i.e. <c>A + 33·2^23</c>); with the pattern 10 in bits 30…29, |a| ∈ [2^-32, 2^32).</summary>
    public const uint DivLowX = unchecked((uint)-(33 << Pam.MantissaBits));

    /// <summary>Div: bits 30…29 of an in-window <c>dx</c> (10).</summary>
    public const uint DivPatternX = 1u << 30;

    /// <summary>Div: <c>dy = B − DivLowY(k)</c>, in window when bits 30…29 are clear; <c>dx − dy</c> is the quotient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint DivLowY(int k) => DivLowX + (uint)(Pam.OneBits - k);

    /// <summary>Where a window for a lone operand prefers to sit: [2^-32, 2^32).</summary>
    private const long PreferredLow = 95L << Pam.MantissaBits;

    /// <summary>
    /// For <c>Mul(x, y)</c> with one fixed <paramref name="y"/>: the result is <c>X + addend</c> for every x with
    /// <c>(X − low)</c> bits 29 and 30 clear. False when <paramref name="y"/> is not normal (no fast form).
    /// </summary>
    public static bool TryMulScalar(float y, int k, out uint low, out uint addend)
    {
        int bits = BitConverter.SingleToInt32Bits(y), magnitude = bits & Pam.MagnitudeMask;
        // X + Y − ONE + k: the magnitudes add, the signs add modulo 2.
        addend = unchecked((uint)bits - (uint)(Pam.OneBits - k));
        low = ScalarLow(magnitude - (Pam.OneBits - k));
        return magnitude >= Pam.MinNormalBits && magnitude < Pam.InfinityBits;
    }

    /// <summary>As <see cref="TryMulScalar"/> for <c>Div(x, y)</c>: <c>X + (ONE − k − Y)</c>.</summary>
    public static bool TryDivScalar(float y, int k, out uint low, out uint addend)
    {
        int bits = BitConverter.SingleToInt32Bits(y), magnitude = bits & Pam.MagnitudeMask;
        addend = unchecked((uint)(Pam.OneBits - k) - (uint)bits);   // −Y ≡ the same sign bit, negated magnitude
        low = ScalarLow(Pam.OneBits - k - magnitude);
        return magnitude >= Pam.MinNormalBits && magnitude < Pam.InfinityBits;
    }

    /// <summary>
    /// The lowest magnitude of a window [low, low + 2^29) of operands x whose result magnitude is
    /// <c>|X| + shift</c>: both must stay in [MINN, INF). Non-empty for every normal fixed operand.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ScalarLow(int shift)
    {
        long lowest = Math.Max(Pam.MinNormalBits, (long)Pam.MinNormalBits - shift);
        long highest = Math.Min((long)Pam.InfinityBits - Width, (long)Pam.InfinityBits - Width - shift);
        // Not Math.Clamp: its argument check throws, which ILGPU cannot compile (the GPU kernels reach this method).
        return lowest > highest ? 0u : (uint)(PreferredLow < lowest ? lowest : PreferredLow > highest ? highest : PreferredLow);
    }
}
