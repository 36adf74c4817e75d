using static PamGen.PamMath;

namespace PamGen.Samples.Tiny;

/// <summary>Elementwise functions declared once; the generator emits their fused forward and backward span kernels.</summary>
/// <remarks>Multiplication-free: the generated kernels (this class's other part) are checked by PamGen's analyzer;
/// the <c>[PamKernel]</c> declarations themselves are DSL source and are not.</remarks>
[MultiplicationFree]
public static partial class Activations
{
    /// <summary>The sigmoid GELU of the paper: <c>x / (1 + e^(−1.702 x))</c>; <c>*</c>, <c>/</c> and <c>Exp</c> are the mode's.</summary>
    [PamKernel]
    public static float Gelu(float x) => x / (1 + Exp(-1.702f * x));

    /// <summary>Swish with a learnable-looking slope folded in, built from another kernel (inlined and fused).</summary>
    [PamKernel]
    public static float Swish(float x)
    {
        float s = 1 / (1 + Exp(-x));
        return x * s;
    }

    /// <summary>A leaky ReLU: a select, the same in every mode.</summary>
    [PamKernel]
    public static float LeakyRelu(float x) => x > 0 ? x : 0.01f * x;

    /// <summary>Gelu of a squashed input: a chain of kernels fused into one pass.</summary>
    [PamKernel]
    public static float SoftGelu(float x) => Gelu(Swish(x));
}
