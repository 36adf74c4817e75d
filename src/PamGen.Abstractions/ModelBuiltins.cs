using System;

namespace PamGen;

/// <summary>
/// Built-in functions of the <see cref="ForwardAttribute"/> expression language; bring them into scope with
/// <c>using static PamGen.ModelBuiltins;</c>. They are symbolic: the generator reads the calls.
/// </summary>
public static class ModelBuiltins
{
    /// <summary>Rectified linear unit <c>max(x, 0)</c>, elementwise.</summary>
    public static TensorExpr Relu(TensorExpr x) => x;
    /// <summary>The sigmoid GELU <c>x / (1 + Exp(−1.702 x))</c>, elementwise.</summary>
    public static TensorExpr Gelu(TensorExpr x) => x;
    /// <summary>Mean over the sequence dimension: [batch, seq, dim] → [batch, dim].</summary>
    public static TensorExpr MeanPool(TensorExpr x) => x;
    /// <summary>Applies a <see cref="PamKernelAttribute"/> function of one float elementwise.</summary>
    public static TensorExpr Map(TensorExpr x, Func<float, float> kernel) => x;
}
