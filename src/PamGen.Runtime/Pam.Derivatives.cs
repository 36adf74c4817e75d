using System;
using System.Runtime.CompilerServices;

namespace PamGen;

// The derivative rules of NUMERICS.md §2, one entry per primitive, beside the forward definitions in Pam.cs.
// "Exact" is the derivative of the piecewise affine function itself (a power of two, applied by adding to the
// exponent field); "approximate" is the paper's default backward, which reuses the PAM forward operations.
// For ∂/∂b of Mul use MulGradA(g, b, a): PAM is symmetric in its operands.
public static partial class Pam
{
    // ---------------------------------------------------------------- approximate (paper default)

    /// <summary>Approximate ∂L/∂a of <c>Mul(a, b)</c>: <c>Mul(g, b)</c> (the paper's default backward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulGradA(float g, float a, float b) => Mul(g, b, 0);
    /// <summary>Approximate ∂L/∂a of <c>Mul(a, b)</c> with offset: <c>Mul(g, b)</c> using the same offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulGradA(float g, float a, float b, PamOffset offset) => Mul(g, b, offset.Bits);

    /// <summary>Approximate ∂L/∂a of <c>Div(a, b)</c>: <c>Div(g, b)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DivGradA(float g, float a, float b) => Div(g, b, 0);
    /// <summary>Approximate ∂L/∂a of <c>Div(a, b)</c> with offset: <c>Div(g, b)</c> using the same offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DivGradA(float g, float a, float b, PamOffset offset) => Div(g, b, offset.Bits);

    /// <summary>Approximate ∂L/∂b of <c>Div(a, b)</c>: <c>−Div(Mul(a, g), Mul(b, b))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DivGradB(float g, float a, float b) => DivGradB(g, a, b, 0);
    /// <summary>Approximate ∂L/∂b of <c>Div(a, b)</c> with offset: <c>−Div(Mul(a, g), Mul(b, b))</c>, every operation with the offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DivGradB(float g, float a, float b, PamOffset offset) => DivGradB(g, a, b, offset.Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DivGradB(float g, float a, float b, int k) => -Div(Mul(a, g, k), Mul(b, b, k), k);

    // ---------------------------------------------------------------- exact

    /// <summary>Exact ∂L/∂a of <c>Mul(a, b)</c>: <c>g · sign(b) · 2^(E(b) + [M(a) + M(b) ≥ 1])</c>.</summary>
    public static float MulGradAExact(float g, float a, float b) => MulGradAExact(g, a, b, 0);

    /// <summary>
    /// Exact ∂L/∂a of <c>Mul(a, b)</c> with offset: <c>g · sign(b) · 2^(E(b') + [M(a) + M(b') ≥ 1])</c>,
    /// <c>b' = Mul(b, c)</c>: the slope of the affine piece that <paramref name="a"/> lies on.
    /// </summary>
    /// <remarks>A zero (or underflowing) b' gives a zero factor, an infinite one an infinite factor (applied
    /// with <see cref="Mul(float, float)"/>'s rules); any NaN operand gives NaN.</remarks>
    public static float MulGradAExact(float g, float a, float b, PamOffset offset) => MulGradAExact(g, a, b, offset.Bits);

    internal static float MulGradAExact(float g, float a, float b, int k)
    {
        if (IsNaNBits(g) || IsNaNBits(a) || IsNaNBits(b)) return float.NaN;
        int signB = Bits(b) & SignMask;
        int magB = Bits(b) & MagnitudeMask;
        int magBOffset = magB < MinNormalBits ? 0 : magB == InfinityBits ? InfinityBits : Saturate((long)magB + k);
        if (magBOffset == 0 || magBOffset == InfinityBits) return Mul(g, FromBits(signB | magBOffset), 0);

        int carry = MantissaOf(a) + MantissaOf(magBOffset) >= (1 << MantissaBits) ? 1 : 0;
        return ScaleByPowerOfTwo(g, signB, UnbiasedExponent(magBOffset) + carry);
    }

    /// <summary>Exact ∂L/∂a of <c>Div(a, b)</c>: <c>g · sign(b) · 2^(−E(b) − [M(a) &lt; M(b)])</c>.</summary>
    public static float DivGradAExact(float g, float a, float b) => DivGradAExact(g, a, b, 0);

    /// <summary>
    /// Exact ∂L/∂a of <c>Div(a, b)</c> with offset: <c>g · sign(b) · 2^(−E(b') − [M(a) &lt; M(b')])</c>,
    /// <c>b' = Mul(b, c)</c> (PAD with offset subtracts <c>|B| + k</c>; without offset b' = b, NUMERICS.md §2).
    /// </summary>
    /// <remarks>A zero b' gives an infinite factor, an infinite b' a zero factor; any NaN operand gives NaN.</remarks>
    public static float DivGradAExact(float g, float a, float b, PamOffset offset) => DivGradAExact(g, a, b, offset.Bits);

    internal static float DivGradAExact(float g, float a, float b, int k)
    {
        if (IsNaNBits(g) || IsNaNBits(a) || IsNaNBits(b)) return float.NaN;
        int signB = Bits(b) & SignMask;
        int magBOffset = OffsetMagnitude(b, k);
        if (magBOffset == 0) return Mul(g, FromBits(signB | InfinityBits), 0);
        if (magBOffset == InfinityBits) return Mul(g, FromBits(signB), 0);

        int borrow = MantissaOf(a) < MantissaOf(magBOffset) ? 1 : 0;
        return ScaleByPowerOfTwo(g, signB, -UnbiasedExponent(magBOffset) - borrow);
    }

    /// <summary>Exact ∂L/∂b of <c>Div(a, b)</c>: <c>−g · sign(a) · 2^(E(a) − 2E(b) − [M(a) &lt; M(b)])</c>.</summary>
    public static float DivGradBExact(float g, float a, float b) => DivGradBExact(g, a, b, 0);

    /// <summary>
    /// Exact ∂L/∂b of <c>Div(a, b)</c> with offset: <c>−g · sign(a) · 2^(E(a) − E(b') − E(b) − [M(a) &lt; M(b')])</c>,
    /// <c>b' = Mul(b, c)</c>.
    /// </summary>
    /// <remarks>A zero a or infinite b gives a zero factor; an infinite a or zero b' an infinite factor
    /// (0·∞ cases give NaN); any NaN operand gives NaN.</remarks>
    public static float DivGradBExact(float g, float a, float b, PamOffset offset) => DivGradBExact(g, a, b, offset.Bits);

    internal static float DivGradBExact(float g, float a, float b, int k)
    {
        if (IsNaNBits(g) || IsNaNBits(a) || IsNaNBits(b)) return float.NaN;
        int sign = (Bits(a) & SignMask) ^ SignMask;   // −sign(a)
        int magA = Bits(a) & MagnitudeMask;
        int magB = Bits(b) & MagnitudeMask;
        int magBOffset = OffsetMagnitude(b, k);
        bool zeroFactor = magA < MinNormalBits || magB == InfinityBits;
        bool infiniteFactor = magA == InfinityBits || magBOffset == 0;
        if (zeroFactor && infiniteFactor) return float.NaN;
        if (zeroFactor) return Mul(g, FromBits(sign), 0);
        if (infiniteFactor || magBOffset == InfinityBits) return Mul(g, FromBits(sign | (infiniteFactor ? InfinityBits : 0)), 0);

        int borrow = MantissaOf(a) < MantissaOf(magBOffset) ? 1 : 0;
        int n = UnbiasedExponent(magA) - UnbiasedExponent(magBOffset) - UnbiasedExponent(magB) - borrow;
        return ScaleByPowerOfTwo(g, sign, n);
    }

    /// <summary>∂L/∂x of <c>Exp2(x)</c>, exact and approximate alike: <c>g · 2^⌊x⌋</c>.</summary>
    /// <remarks><c>x = −∞</c> gives a zero factor, <c>+∞</c> an infinite one; NaN gives NaN.</remarks>
    public static float Exp2Grad(float g, float x)
    {
        if (IsNaNBits(g) || IsNaNBits(x)) return float.NaN;
        if ((Bits(x) & MagnitudeMask) == InfinityBits) return Mul(g, x < 0 ? 0f : float.PositiveInfinity, 0);
        // Not Math.Clamp (its argument check throws; ILGPU compiles this method into the exact-backward GPU kernels).
        float clamped = x < -Exp2InputLimit ? -Exp2InputLimit : x > Exp2InputLimit ? Exp2InputLimit : x;
        int floor = (int)MathF.Floor(clamped);
        return ScaleByPowerOfTwo(g, 0, floor);
    }

    /// <summary>∂L/∂x of <c>Log2(x)</c>, exact and approximate alike: <c>g · sign(x) · 2^−E(x)</c>.</summary>
    /// <remarks>NUMERICS.md §2 writes <c>g · 2^−E(x)</c> for x &gt; 0; Log2 ignores the sign of x, so its
    /// slope at a negative x carries sign(x). A zero x gives an infinite factor, an infinite x a zero one.</remarks>
    public static float Log2Grad(float g, float x)
    {
        if (IsNaNBits(g) || IsNaNBits(x)) return float.NaN;
        int sign = Bits(x) & SignMask;
        int mag = Bits(x) & MagnitudeMask;
        if (mag < MinNormalBits) return Mul(g, FromBits(sign | InfinityBits), 0);
        if (mag == InfinityBits) return Mul(g, FromBits(sign), 0);
        return ScaleByPowerOfTwo(g, sign, -UnbiasedExponent(mag));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// <c>g · (±2^n)</c> by adding n to the exponent field of g, with the edge rules of §1: zero g gives a
    /// signed zero, infinite g a signed infinity, under- and overflow saturate. <paramref name="signBit"/> is
    /// the sign bit of the factor.
    /// </summary>
    internal static float ScaleByPowerOfTwo(float g, int signBit, int n)
    {
        int sign = (Bits(g) & SignMask) ^ signBit;
        int mag = Bits(g) & MagnitudeMask;
        if (mag > InfinityBits) return float.NaN;
        if (mag == InfinityBits) return FromBits(sign | InfinityBits);
        if (mag < MinNormalBits) return FromBits(sign);
        return FromBits(sign | Saturate(mag + ((long)n << MantissaBits)));
    }

    /// <summary>|b'| = |Mul(b, c)| as a magnitude pattern: zero and ∞ kept, the offset added otherwise.</summary>
    private static int OffsetMagnitude(float b, int k)
    {
        int magB = Bits(b) & MagnitudeMask;
        return magB < MinNormalBits ? 0 : magB == InfinityBits ? InfinityBits : Saturate((long)magB + k);
    }

    private static bool IsNaNBits(float x) => (Bits(x) & MagnitudeMask) > InfinityBits;

    /// <summary>The mantissa field of a normal value, 0 for zero, subnormal and ∞ (M(x)·2^23).</summary>
    private static int MantissaOf(float x)
    {
        int mag = Bits(x) & MagnitudeMask;
        return mag < MinNormalBits ? 0 : MantissaOf(mag);
    }

    private static int MantissaOf(int magnitude) => magnitude & MantissaMask;

    /// <summary>E(x) of a normal magnitude pattern.</summary>
    private static int UnbiasedExponent(int magnitude) => (magnitude >> MantissaBits) - 127;
}
