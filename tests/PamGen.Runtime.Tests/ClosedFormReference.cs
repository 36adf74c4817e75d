using System;

namespace PamGen.Tests;

/// <summary>
/// An independent evaluation of NUMERICS.md §1's closed forms in double precision, from the values' exponents
/// and mantissa fractions (never from bit patterns): the reference the oracle <see cref="Pam"/> is tested against.
/// Only for normal operands; edge cases have their own table.
/// </summary>
internal static class ClosedFormReference
{
    private const double MinNormal = 1.1754943508222875e-38;   // 2^-126
    private const double Overflow = 3.4028236692093846e38;     // 2^128

    /// <summary>|x| = 2^E (1 + M) with M in [0, 1).</summary>
    public static (int E, double M) Decompose(float x)
    {
        double a = Math.Abs((double)x);
        int e = Math.ILogB(a);
        return (e, Math.ScaleB(a, -e) - 1.0);
    }

    /// <summary><c>2^(Ea+Eb)(1+Ma+Mb)</c>, or <c>2^(Ea+Eb+1)(Ma+Mb)</c> when the mantissas carry; then the range rules.</summary>
    public static float Mul(float a, float b)
    {
        var (ea, ma) = Decompose(a);
        var (eb, mb) = Decompose(b);
        double s = ma + mb;
        double magnitude = s < 1 ? Math.ScaleB(1 + s, ea + eb) : Math.ScaleB(s, ea + eb + 1);
        return Finish(magnitude, Math.Sign(a) * Math.Sign(b));
    }

    /// <summary>The paper's offset form <c>PAM(PAM(a, b), c)</c>.</summary>
    public static float Mul(float a, float b, float c) => Mul(Mul(a, b), c);

    /// <summary><c>2^(Ea−Eb)(1+Ma−Mb)</c>, or <c>2^(Ea−Eb−1)(2+Ma−Mb)</c> when Ma &lt; Mb; then the range rules.</summary>
    public static float Div(float a, float b)
    {
        var (ea, ma) = Decompose(a);
        var (eb, mb) = Decompose(b);
        double magnitude = ma >= mb ? Math.ScaleB(1 + ma - mb, ea - eb) : Math.ScaleB(2 + ma - mb, ea - eb - 1);
        return Finish(magnitude, Math.Sign(a) * Math.Sign(b));
    }

    /// <summary>The paper's offset form <c>PAD(PAD(a, b), c)</c>.</summary>
    public static float Div(float a, float b, float c) => Div(Div(a, b), c);

    /// <summary><c>2^⌊x⌋(1 + x − ⌊x⌋)</c> (exact in double), rounded once to float32; then the range rules.</summary>
    public static float Exp2(float x)
    {
        double floor = Math.Floor((double)x);
        double magnitude = Math.ScaleB(1 + (x - floor), (int)floor);
        float rounded = (float)magnitude;
        return Math.Abs(rounded) < MinNormal ? 0f : rounded;
    }

    /// <summary><c>E(x) + M(x)</c> (exact in double), rounded once to float32.</summary>
    public static float Log2(float x)
    {
        var (e, m) = Decompose(x);
        return (float)(e + m);
    }

    private static float Finish(double magnitude, int sign)
    {
        // The closed forms are exact in double; a normal-range result has at most 24 significant bits.
        if (magnitude < MinNormal) return sign < 0 ? -0f : 0f;
        if (magnitude >= Overflow) return sign < 0 ? float.NegativeInfinity : float.PositiveInfinity;
        float result = (float)magnitude;
        if ((double)result != magnitude) throw new InvalidOperationException($"closed form {magnitude:R} is not a float32");
        return sign < 0 ? -result : result;
    }
}
