using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// The multiplication-free arithmetic mode (NUMERICS.md §4): every operation is the PAM operation of
/// <see cref="Pam"/>, with the offset and backward rule of <typeparamref name="TOptions"/>.
/// The usual instantiation is <c>PamArithmetic&lt;PamDefaults&gt;</c> (the paper's default).
/// </summary>
/// <remarks>No member executes a floating-point multiply, divide, square root, FMA or reciprocal instruction;
/// the JIT-disassembly test (tests/PamGen.JitProbe) proves it for the compiled code. Vector forms are
/// bit-identical to the scalar forms.</remarks>
/// <typeparam name="TOptions">Offset and backward rule, e.g. <see cref="PamDefaults"/>, <see cref="PaperOffset"/>, <see cref="ExactBackward"/>.</typeparam>
[MultiplicationFree]
public readonly struct PamArithmetic<TOptions> : IArithmetic where TOptions : struct, IPamOptions
{
    private static int K
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TOptions.OffsetBits;
    }

    /// <inheritdoc />
    public static bool IsMultiplicationFree => true;
    /// <inheritdoc />
    public static int PamOffsetBits => TOptions.OffsetBits;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => Pam.Mul(a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Div(float a, float b) => Pam.Div(a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Exp2(float x) => Pam.Exp2(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Log2(float x) => Pam.Log2(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Exp(float x) => Pam.Exp(x, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Log(float x) => Pam.Log(x, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sqrt(float x) => Pam.Sqrt(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Pow(float x, float y) => Pam.Pow(x, y, K);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => PamVector256.Mul(a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => PamVector512.Mul(a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => PamVector256.Div(a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => PamVector512.Div(a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Exp2(Vector256<float> x) => PamVector256.Exp2(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Exp2(Vector512<float> x) => PamVector512.Exp2(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Log2(Vector256<float> x) => PamVector256.Log2(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Log2(Vector512<float> x) => PamVector512.Log2(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Exp(Vector256<float> x) => PamVector256.Exp(x, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Exp(Vector512<float> x) => PamVector512.Exp(x, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Log(Vector256<float> x) => PamVector256.Log(x, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Log(Vector512<float> x) => PamVector512.Log(x, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> x) => PamVector256.Sqrt(x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> x) => PamVector512.Sqrt(x);

    /// <inheritdoc />
    public static bool UsesExactBackward => TOptions.ExactBackward;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulGradA(float g, float a, float b) =>
        TOptions.ExactBackward ? Pam.MulGradAExact(g, a, b, K) : Pam.Mul(g, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DivGradA(float g, float a, float b) =>
        TOptions.ExactBackward ? Pam.DivGradAExact(g, a, b, K) : Pam.Div(g, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DivGradB(float g, float a, float b) =>
        TOptions.ExactBackward ? Pam.DivGradBExact(g, a, b, K) : Pam.DivGradB(g, a, b, K);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Exp2Grad(float g, float x) => Pam.Exp2Grad(g, x);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Log2Grad(float g, float x) => Pam.Log2Grad(g, x);
}
