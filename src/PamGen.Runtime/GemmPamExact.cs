using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// The exact PAM product of NUMERICS.md §1 on bit patterns, for the GEMM's general path (panels where
/// underflow, overflow, ∞ or NaN are possible). Integer operations only; the scalar and vector forms give
/// the same bits. <c>k</c> is the offset in bits and must satisfy |k| &lt; 2^23 (offset constant in (0.5, 2)).
/// </summary>
[MultiplicationFree]
internal static class PamExact
{
    private const int One = 0x3F800000;
    private const int Inf = 0x7F800000;
    private const int MinNormal = 0x00800000;
    private const int QuietNaN = unchecked((int)0xFFC00000); // float.NaN, as the scalar oracle returns
    // t = |A| + |B| − ONE + k is shifted by Bias so that it is never negative as an unsigned value.
    private const uint Bias = 0x3F000000;

    /// <summary>Exact PAM product of two floats with offset <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Mul(float a, float b, int k)
    {
        int ab = BitConverter.SingleToInt32Bits(a), bb = BitConverter.SingleToInt32Bits(b);
        int sign = (ab ^ bb) & int.MinValue;
        int am = ab & 0x7FFFFFFF, bm = bb & 0x7FFFFFFF;
        bool aZero = (ab & Inf) == 0, bZero = (bb & Inf) == 0;
        bool aInf = am == Inf, bInf = bm == Inf;
        if (am > Inf || bm > Inf || (aInf && bZero) || (bInf && aZero)) return BitConverter.Int32BitsToSingle(QuietNaN);
        if (aInf || bInf) return BitConverter.Int32BitsToSingle(sign | Inf);
        if (aZero || bZero) return BitConverter.Int32BitsToSingle(sign);
        uint u = (uint)am + (uint)bm + (uint)(k - One) + Bias;
        if (u < MinNormal + Bias) return BitConverter.Int32BitsToSingle(sign);
        if (u >= Inf + Bias) return BitConverter.Int32BitsToSingle(sign | Inf);
        return BitConverter.Int32BitsToSingle(sign | (int)(u - Bias));
    }

    /// <summary>Lane-wise exact PAM product of a broadcast scalar and a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Mul512(float a, Vector512<float> b, int k)
    {
        var ab = Vector512.Create(BitConverter.SingleToInt32Bits(a));
        var bb = b.AsInt32();
        var abs = Vector512.Create(0x7FFFFFFF);
        var inf = Vector512.Create(Inf);
        var sign = (ab ^ bb) & Vector512.Create(int.MinValue);
        var am = ab & abs; var bm = bb & abs;
        var aZero = Vector512.Equals(ab & inf, Vector512<int>.Zero);
        var bZero = Vector512.Equals(bb & inf, Vector512<int>.Zero);
        var aInf = Vector512.Equals(am, inf); var bInf = Vector512.Equals(bm, inf);
        var nan = Vector512.GreaterThan(am, inf) | Vector512.GreaterThan(bm, inf) | (aInf & bZero) | (bInf & aZero);
        var u = am.AsUInt32() + bm.AsUInt32() + Vector512.Create((uint)(k - One) + Bias);
        var res = sign | (u - Vector512.Create(Bias)).AsInt32();
        res = Vector512.ConditionalSelect(Vector512.LessThan(u, Vector512.Create(MinNormal + Bias)).AsInt32(), sign, res);
        res = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(u, Vector512.Create(Inf + Bias)).AsInt32(), sign | inf, res);
        res = Vector512.ConditionalSelect(aZero | bZero, sign, res);
        res = Vector512.ConditionalSelect(aInf | bInf, sign | inf, res);
        res = Vector512.ConditionalSelect(nan, Vector512.Create(QuietNaN), res);
        return res.AsSingle();
    }

    /// <summary>Lane-wise exact PAM product of a broadcast scalar and a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Mul256(float a, Vector256<float> b, int k)
    {
        var ab = Vector256.Create(BitConverter.SingleToInt32Bits(a));
        var bb = b.AsInt32();
        var abs = Vector256.Create(0x7FFFFFFF);
        var inf = Vector256.Create(Inf);
        var sign = (ab ^ bb) & Vector256.Create(int.MinValue);
        var am = ab & abs; var bm = bb & abs;
        var aZero = Vector256.Equals(ab & inf, Vector256<int>.Zero);
        var bZero = Vector256.Equals(bb & inf, Vector256<int>.Zero);
        var aInf = Vector256.Equals(am, inf); var bInf = Vector256.Equals(bm, inf);
        var nan = Vector256.GreaterThan(am, inf) | Vector256.GreaterThan(bm, inf) | (aInf & bZero) | (bInf & aZero);
        var u = am.AsUInt32() + bm.AsUInt32() + Vector256.Create((uint)(k - One) + Bias);
        var res = sign | (u - Vector256.Create(Bias)).AsInt32();
        res = Vector256.ConditionalSelect(Vector256.LessThan(u, Vector256.Create(MinNormal + Bias)).AsInt32(), sign, res);
        res = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(u, Vector256.Create(Inf + Bias)).AsInt32(), sign | inf, res);
        res = Vector256.ConditionalSelect(aZero | bZero, sign, res);
        res = Vector256.ConditionalSelect(aInf | bInf, sign | inf, res);
        res = Vector256.ConditionalSelect(nan, Vector256.Create(QuietNaN), res);
        return res.AsSingle();
    }
}
