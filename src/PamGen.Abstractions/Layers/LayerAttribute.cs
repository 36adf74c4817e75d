using System;

namespace PamGen;

/// <summary>
/// Base of the layer attributes. A layer is declared on a <c>partial</c> method of a
/// <see cref="PamModelAttribute"/> class taking and returning <see cref="TensorExpr"/>,
/// e.g. <c>[Linear(16, 32)] private static partial TensorExpr Hidden(TensorExpr x);</c>;
/// the generator implements the method and allocates the layer's parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
}
