using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// An elementwise binary PAM operation in its three widths, for the generic span loops. The vector widths come
/// in two parts: a fast form valid when every lane is ordinary, and the general form for the rest, so that
/// the loops keep the fast form free of calls.
/// </summary>
[MultiplicationFree]
internal interface IPamBinaryOp
{
    static abstract float Scalar(float x, float y, int k);
    static abstract bool TryOrdinary(Vector256<float> x, Vector256<float> y, int k, out Vector256<float> result);
    static abstract Vector256<float> General(Vector256<float> x, Vector256<float> y, int k);
    static abstract bool TryOrdinary(Vector512<float> x, Vector512<float> y, int k, out Vector512<float> result);
    static abstract Vector512<float> General(Vector512<float> x, Vector512<float> y, int k);

    // The general forms again, inlined: the span loops' exact paths loop over a group without calls.
    static abstract Vector256<float> GeneralInlined(Vector256<float> x, Vector256<float> y, int k);
    static abstract Vector512<float> GeneralInlined(Vector512<float> x, Vector512<float> y, int k);

    // The split form of the span loops (PamWindow): dx = X − LowX, dy = Y − LowY(k), result Join(dx, dy) while
    // ((dx ^ PatternX) | dy) has bits 29 and 30 clear in every lane.
    static abstract uint LowX { get; }
    static abstract uint PatternX { get; }
    static abstract uint LowY(int k);
    static abstract Vector256<uint> Join(Vector256<uint> dx, Vector256<uint> dy);
    static abstract Vector512<uint> Join(Vector512<uint> dx, Vector512<uint> dy);

    /// <summary>For a fixed second operand y: result X + addend while (X − low) has bits 29 and 30 clear; false when y is not normal.</summary>
    static abstract bool TryScalarOperand(float y, int k, out uint low, out uint addend);
}

/// <summary>An elementwise unary PAM operation in its three widths, for the generic span loops.</summary>
[MultiplicationFree]
internal interface IPamUnaryOp
{
    static abstract float Scalar(float x, int k);
    static abstract Vector256<float> Vector256(Vector256<float> x, int k);
    static abstract Vector512<float> Vector512(Vector512<float> x, int k);
}

[MultiplicationFree]
internal readonly struct MulOp : IPamBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, float y, int k) => Pam.Mul(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool TryOrdinary(Vector256<float> x, Vector256<float> y, int k, out Vector256<float> result) => PamVector256.TryMulOrdinary(x, y, k, out result);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> General(Vector256<float> x, Vector256<float> y, int k) => PamVector256.MulGeneral(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool TryOrdinary(Vector512<float> x, Vector512<float> y, int k, out Vector512<float> result) => PamVector512.TryMulOrdinary(x, y, k, out result);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> General(Vector512<float> x, Vector512<float> y, int k) => PamVector512.MulGeneral(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GeneralInlined(Vector256<float> x, Vector256<float> y, int k) => PamVector256.MulGeneralInlined(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GeneralInlined(Vector512<float> x, Vector512<float> y, int k) => PamVector512.MulGeneralInlined(x, y, k);
    public static uint LowX => PamWindow.MulLowX;
    public static uint PatternX => PamWindow.MulPatternX;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint LowY(int k) => PamWindow.MulLowY(k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> Join(Vector256<uint> dx, Vector256<uint> dy) => dx + dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> Join(Vector512<uint> dx, Vector512<uint> dy) => dx + dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool TryScalarOperand(float y, int k, out uint low, out uint addend) => PamWindow.TryMulScalar(y, k, out low, out addend);
}

[MultiplicationFree]
internal readonly struct DivOp : IPamBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, float y, int k) => Pam.Div(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool TryOrdinary(Vector256<float> x, Vector256<float> y, int k, out Vector256<float> result) => PamVector256.TryDivOrdinary(x, y, k, out result);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> General(Vector256<float> x, Vector256<float> y, int k) => PamVector256.DivGeneral(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool TryOrdinary(Vector512<float> x, Vector512<float> y, int k, out Vector512<float> result) => PamVector512.TryDivOrdinary(x, y, k, out result);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> General(Vector512<float> x, Vector512<float> y, int k) => PamVector512.DivGeneral(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GeneralInlined(Vector256<float> x, Vector256<float> y, int k) => PamVector256.DivGeneralInlined(x, y, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GeneralInlined(Vector512<float> x, Vector512<float> y, int k) => PamVector512.DivGeneralInlined(x, y, k);
    public static uint LowX => PamWindow.DivLowX;
    public static uint PatternX => PamWindow.DivPatternX;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint LowY(int k) => PamWindow.DivLowY(k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> Join(Vector256<uint> dx, Vector256<uint> dy) => dx - dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> Join(Vector512<uint> dx, Vector512<uint> dy) => dx - dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool TryScalarOperand(float y, int k, out uint low, out uint addend) => PamWindow.TryDivScalar(y, k, out low, out addend);
}

[MultiplicationFree]
internal readonly struct Exp2Op : IPamUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, int k) => Pam.Exp2(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Vector256(Vector256<float> x, int k) => PamVector256.Exp2(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Vector512(Vector512<float> x, int k) => PamVector512.Exp2(x);
}

[MultiplicationFree]
internal readonly struct Log2Op : IPamUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, int k) => Pam.Log2(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Vector256(Vector256<float> x, int k) => PamVector256.Log2(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Vector512(Vector512<float> x, int k) => PamVector512.Log2(x);
}

[MultiplicationFree]
internal readonly struct ExpOp : IPamUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, int k) => Pam.Exp(x, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Vector256(Vector256<float> x, int k) => PamVector256.Exp(x, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Vector512(Vector512<float> x, int k) => PamVector512.Exp(x, k);
}

[MultiplicationFree]
internal readonly struct LogOp : IPamUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, int k) => Pam.Log(x, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Vector256(Vector256<float> x, int k) => PamVector256.Log(x, k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Vector512(Vector512<float> x, int k) => PamVector512.Log(x, k);
}

[MultiplicationFree]
internal readonly struct SqrtOp : IPamUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Scalar(float x, int k) => Pam.Sqrt(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Vector256(Vector256<float> x, int k) => PamVector256.Sqrt(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Vector512(Vector512<float> x, int k) => PamVector512.Sqrt(x);
}
