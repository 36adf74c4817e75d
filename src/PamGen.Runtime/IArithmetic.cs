using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// An arithmetic mode (NUMERICS.md §4): the multiplicative operations a kernel body uses.
/// Kernels take the mode as a generic struct parameter (<c>where TArith : struct, IArithmetic</c>), so
/// the JIT emits one fully inlined body per mode: a float32 one for <see cref="IeeeArithmetic"/> and a multiplication-free one for <c>PamArithmetic</c>.
/// Additions, subtractions, comparisons and selects are not part of the mode: they are always ordinary.
/// </summary>
public interface IArithmetic
{
    /// <summary>True when no operation of this mode executes a floating-point multiply, divide or square root.</summary>
    static abstract bool IsMultiplicationFree { get; }

    /// <summary>
    /// The offset <c>k</c> that PAM adds to every product's bit pattern (NUMERICS.md §1): 0 without offset,
    /// 463051 for the paper's 1.0552. Kernels that work on bit patterns directly (the PAM GEMM) read it;
    /// modes that really multiply return 0.
    /// </summary>
    static abstract int PamOffsetBits { get; }

    /// <summary>
    /// True when backward passes use the exact derivative of the piecewise affine operations
    /// (<see cref="IPamOptions.ExactBackward"/>, NUMERICS.md §2) through <see cref="MulGradA"/> and the other
    /// helpers; false (the default) for the approximate backward. Generated kernels branch on it once per instantiation.
    /// </summary>
    static virtual bool UsesExactBackward => false;

    /// <summary>The product <c>a·b</c> in this mode.</summary>
    static abstract float Mul(float a, float b);
    /// <summary>The quotient <c>a/b</c> in this mode.</summary>
    static abstract float Div(float a, float b);
    /// <summary><c>2^x</c> in this mode.</summary>
    static abstract float Exp2(float x);
    /// <summary><c>log2 x</c> in this mode.</summary>
    static abstract float Log2(float x);
    /// <summary><c>e^x</c> in this mode.</summary>
    static abstract float Exp(float x);
    /// <summary><c>ln x</c> in this mode.</summary>
    static abstract float Log(float x);
    /// <summary><c>√x</c> in this mode.</summary>
    static abstract float Sqrt(float x);
    /// <summary><c>x^y</c> in this mode.</summary>
    static abstract float Pow(float x, float y);

    /// <summary>Lane-wise <see cref="Mul(float, float)"/>; bit-identical to the scalar form.</summary>
    static abstract Vector256<float> Mul(Vector256<float> a, Vector256<float> b);
    /// <summary>Lane-wise <see cref="Mul(float, float)"/>; bit-identical to the scalar form.</summary>
    static abstract Vector512<float> Mul(Vector512<float> a, Vector512<float> b);
    /// <summary>Lane-wise <see cref="Div(float, float)"/>; bit-identical to the scalar form.</summary>
    static abstract Vector256<float> Div(Vector256<float> a, Vector256<float> b);
    /// <summary>Lane-wise <see cref="Div(float, float)"/>; bit-identical to the scalar form.</summary>
    static abstract Vector512<float> Div(Vector512<float> a, Vector512<float> b);
    /// <summary>Lane-wise <see cref="Exp2(float)"/>.</summary>
    static abstract Vector256<float> Exp2(Vector256<float> x);
    /// <summary>Lane-wise <see cref="Exp2(float)"/>.</summary>
    static abstract Vector512<float> Exp2(Vector512<float> x);
    /// <summary>Lane-wise <see cref="Log2(float)"/>.</summary>
    static abstract Vector256<float> Log2(Vector256<float> x);
    /// <summary>Lane-wise <see cref="Log2(float)"/>.</summary>
    static abstract Vector512<float> Log2(Vector512<float> x);
    /// <summary>Lane-wise <see cref="Exp(float)"/>.</summary>
    static abstract Vector256<float> Exp(Vector256<float> x);
    /// <summary>Lane-wise <see cref="Exp(float)"/>.</summary>
    static abstract Vector512<float> Exp(Vector512<float> x);
    /// <summary>Lane-wise <see cref="Log(float)"/>.</summary>
    static abstract Vector256<float> Log(Vector256<float> x);
    /// <summary>Lane-wise <see cref="Log(float)"/>.</summary>
    static abstract Vector512<float> Log(Vector512<float> x);
    /// <summary>Lane-wise <see cref="Sqrt(float)"/>.</summary>
    static abstract Vector256<float> Sqrt(Vector256<float> x);
    /// <summary>Lane-wise <see cref="Sqrt(float)"/>.</summary>
    static abstract Vector512<float> Sqrt(Vector512<float> x);

    /// <summary>∂L/∂a of <c>c = Mul(a, b)</c> given the upstream gradient <paramref name="g"/> (NUMERICS.md §2).</summary>
    static abstract float MulGradA(float g, float a, float b);
    /// <summary>∂L/∂a of <c>c = Div(a, b)</c> given the upstream gradient <paramref name="g"/>.</summary>
    static abstract float DivGradA(float g, float a, float b);
    /// <summary>∂L/∂b of <c>c = Div(a, b)</c> given the upstream gradient <paramref name="g"/>.</summary>
    static abstract float DivGradB(float g, float a, float b);
    /// <summary>∂L/∂x of <c>y = Exp2(x)</c> given the upstream gradient <paramref name="g"/>.</summary>
    static abstract float Exp2Grad(float g, float x);
    /// <summary>∂L/∂x of <c>y = Log2(x)</c> given the upstream gradient <paramref name="g"/>.</summary>
    static abstract float Log2Grad(float g, float x);
}
