namespace PamGen;

/// <summary>
/// The symbolic tensor of a <see cref="ForwardAttribute"/> expression. It exists so the declaration compiles
/// as C#; the generator reads the expression, and the value itself carries nothing.
/// </summary>
public readonly struct TensorExpr
{
    /// <summary>Residual connection: elementwise sum of two tensors of the same shape.</summary>
    public static TensorExpr operator +(TensorExpr a, TensorExpr b) => default;
}
