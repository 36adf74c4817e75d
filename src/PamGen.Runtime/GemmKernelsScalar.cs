using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// Scalar micro-kernels on the same packed panels as <see cref="GemmKernels512"/> (A element (r, p) at
/// <c>ap[r·rs + p·ps]</c>): 6×64 tile, each C element
/// updated in k order with exactly the per-product operation of the vector kernels, so every path gives the same bits.
/// </summary>
internal static unsafe class GemmKernelsScalar
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Ieee(float* ap, int rs, int ps, float* bp, int kc, float* c, int ldc, bool load)
    {
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 64; j++)
            {
                float acc = load ? c[r * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) acc = MathF.FusedMultiplyAdd(ap[p * ps + r * rs], bp[p * 64 + j], acc);
                c[r * ldc + j] = acc;
            }
    }

    [MultiplicationFree]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PamDense(float* ap, int rs, int ps, int* bp, int kc, float* c, int ldc, bool load)
    {
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 64; j++)
            {
                float acc = load ? c[r * ldc + j] : 0f;
                for (int p = 0; p < kc; p++) acc += BitConverter.Int32BitsToSingle(((int*)ap)[p * ps + r * rs] + bp[p * 64 + j]);
                c[r * ldc + j] = acc;
            }
    }

    [MultiplicationFree]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PamMaskAB(float* ap, int rs, int ps, int* bp, int kc, float* c, int ldc, bool load, int zeroSentinel)
    {
        // Zero A elements and zero B entries contribute nothing (exact: the accumulator is never −0 here).
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 64; j++)
            {
                float acc = load ? c[r * ldc + j] : 0f;
                for (int p = 0; p < kc; p++)
                {
                    float a = ap[p * ps + r * rs];
                    int b = bp[p * 64 + j];
                    if (a != 0f && ((b ^ zeroSentinel) & 0x7FFFFFFF) != 0) acc += BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) + b);
                }
                c[r * ldc + j] = acc;
            }
    }

    [MultiplicationFree]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PamGeneral(float* ap, int rs, int ps, int* bp, int kc, float* c, int ldc, bool load, int offsetBits)
    {
        int unpack = 0x3F800000 - offsetBits;
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 64; j++)
            {
                float acc = load ? c[r * ldc + j] : 0f;
                for (int p = 0; p < kc; p++)
                    acc += PamExact.Mul(ap[p * ps + r * rs], BitConverter.Int32BitsToSingle(bp[p * 64 + j] + unpack), offsetBits);
                c[r * ldc + j] = acc;
            }
    }
}
