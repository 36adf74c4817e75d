using System;

namespace PamGen;

/// <summary>
/// The optional PAM offset of NUMERICS.md §1: a constant <c>c</c> whose bit distance from 1.0,
/// <c>k = bits(c) − 0x3F800000</c>, is added to every PAM product (and subtracted from every PAD quotient)
/// to cancel PAM's systematic under-estimate. <see cref="None"/> is the plain operation,
/// <see cref="Paper"/> the paper's <c>c = 1.0552</c> (<c>k = 463051</c>).
/// </summary>
[MultiplicationFree]
public readonly record struct PamOffset
{
    /// <summary>The largest accepted <c>|k|</c>: one binade, i.e. <c>c</c> in (0.5, 2). Keeps every kernel's
    /// 32-bit arithmetic free of wrap-around.</summary>
    public const int MaxAbsBits = (1 << 23) - 1;

    /// <summary>No offset: <c>c = 1</c>, <c>k = 0</c>. PAM then never exceeds the true product.</summary>
    public static PamOffset None => default;

    /// <summary>The paper's offset <c>c = 1.0552</c>, <c>k = 463051</c>: mean PAM error about −0.1 %.</summary>
    public static PamOffset Paper => FromConstant(1.0552f);

    /// <summary>Creates the offset from its bit distance <paramref name="bits"/> = <c>k</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">|k| exceeds <see cref="MaxAbsBits"/>.</exception>
    public PamOffset(int bits)
    {
        if (bits < -MaxAbsBits || bits > MaxAbsBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits,
                $"The PAM offset must lie within ±{MaxAbsBits} bits (a constant c in (0.5, 2)); got {bits}.");
        Bits = bits;
    }

    /// <summary>Creates the offset of the constant <paramref name="c"/>: <c>k = bits(c) − bits(1.0f)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in (0.5, 2).</exception>
    public static PamOffset FromConstant(float c)
    {
        if (!(c > 0.5f && c < 2f))
            throw new ArgumentOutOfRangeException(nameof(c), c, "The PAM offset constant must lie in (0.5, 2), e.g. 1.0552.");
        return new PamOffset(BitConverter.SingleToInt32Bits(c) - Pam.OneBits);
    }

    /// <summary>The offset <c>k</c> in units of the last mantissa place.</summary>
    public int Bits { get; }

    /// <summary>The constant <c>c</c> with <c>bits(c) = 0x3F800000 + k</c>.</summary>
    public float Constant => BitConverter.Int32BitsToSingle(Pam.OneBits + Bits);

    /// <inheritdoc />
    public override string ToString() => Bits == 0 ? "none" : $"c = {Constant:R} (k = {Bits})";
}
