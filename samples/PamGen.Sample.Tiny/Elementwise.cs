using static PamGen.PamMath;

namespace PamGen.Samples.Tiny;

/// <summary>Two-input elementwise functions; with ILGPU referenced, the generator also emits their GPU kernels.</summary>
[MultiplicationFree]
public static partial class Elementwise
{
    /// <summary>The paper's basic operation on its own: one product, <c>a · b</c> in the mode's arithmetic
    /// (a PAM integer add in <c>Pam</c>); the GPU check and benchmark use it as the memory-bound baseline.</summary>
    [PamKernel]
    public static float Product(float a, float b) => a * b;

    /// <summary>A gated unit: <c>a · sigmoid(g)</c>, a product, a quotient and an exponential fused in one pass.</summary>
    [PamKernel]
    public static float Gate(float a, float g) => a / (1 + Exp(-g));
}
