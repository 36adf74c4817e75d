using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Ordinary float32 arithmetic: the control mode. Transcendentals go through <see cref="MathF"/>, and their
/// vector forms apply the same scalar function per lane, so every path gives the same bits.
/// </summary>
public readonly unsafe struct IeeeArithmetic : IArithmetic
{
    /// <inheritdoc />
    public static bool IsMultiplicationFree => false;
    /// <inheritdoc />
    public static int PamOffsetBits => 0;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Div(float a, float b) => a / b;
    /// <inheritdoc />
    public static float Exp2(float x) => MathF.Pow(2f, x);
    /// <inheritdoc />
    public static float Log2(float x) => MathF.Log2(x);
    /// <inheritdoc />
    public static float Exp(float x) => MathF.Exp(x);
    /// <inheritdoc />
    public static float Log(float x) => MathF.Log(x);
    /// <inheritdoc />
    public static float Sqrt(float x) => MathF.Sqrt(x);
    /// <inheritdoc />
    public static float Pow(float x, float y) => MathF.Pow(x, y);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> x) => Vector256.Sqrt(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> x) => Vector512.Sqrt(x);
    /// <inheritdoc />
    public static Vector256<float> Exp2(Vector256<float> x) => PerLane(x, &Exp2);
    /// <inheritdoc />
    public static Vector512<float> Exp2(Vector512<float> x) => PerLane(x, &Exp2);
    /// <inheritdoc />
    public static Vector256<float> Log2(Vector256<float> x) => PerLane(x, &Log2);
    /// <inheritdoc />
    public static Vector512<float> Log2(Vector512<float> x) => PerLane(x, &Log2);
    /// <inheritdoc />
    public static Vector256<float> Exp(Vector256<float> x) => PerLane(x, &Exp);
    /// <inheritdoc />
    public static Vector512<float> Exp(Vector512<float> x) => PerLane(x, &Exp);
    /// <inheritdoc />
    public static Vector256<float> Log(Vector256<float> x) => PerLane(x, &Log);
    /// <inheritdoc />
    public static Vector512<float> Log(Vector512<float> x) => PerLane(x, &Log);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MulGradA(float g, float a, float b) => g * b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float DivGradA(float g, float a, float b) => g / b;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float DivGradB(float g, float a, float b) => -(a * g) / (b * b);
    /// <inheritdoc />
    public static float Exp2Grad(float g, float x) => g * Exp2(x) * 0.6931472f;
    /// <inheritdoc />
    public static float Log2Grad(float g, float x) => g / (x * 0.6931472f);

    private static unsafe Vector256<float> PerLane(Vector256<float> x, delegate*<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++) lanes[i] = f(lanes[i]);
        return Vector256.Create<float>(lanes);
    }

    private static unsafe Vector512<float> PerLane(Vector512<float> x, delegate*<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++) lanes[i] = f(lanes[i]);
        return Vector512.Create<float>(lanes);
    }
}
