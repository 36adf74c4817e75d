using System;

namespace PamGen;

/// <summary>
/// Marks the method of a <see cref="PamModelAttribute"/> class whose expression body composes the layers,
/// e.g. <c>[Forward] static TensorExpr Model(TensorExpr tokens) =&gt; Head(MeanPool(Relu(Hidden(Embed(tokens)))));</c>.
/// The body is read by the generator, never executed. It may take several inputs (e.g. source and target token
/// sequences of an encoder–decoder); image inputs carry <see cref="ImageAttribute"/>. Allowed: layer calls, residual <c>+</c>, the built-ins of
/// <see cref="ModelBuiltins"/> and <see cref="ModelBuiltins.Map"/> of a <see cref="PamKernelAttribute"/> function.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ForwardAttribute : Attribute
{
}
