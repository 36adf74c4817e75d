namespace PamGen.Dsl.Scalar;

/// <summary>A <c>[PamKernel]</c> function after parsing: name, parameter names and the inlined body.</summary>
/// <param name="Name">Method name.</param>
/// <param name="Parameters">Parameter names in order.</param>
/// <param name="Body">The body with locals and calls to other kernels inlined.</param>
/// <param name="Source">The declaration's body as written (for the generated header).</param>
public sealed record KernelDefinition(string Name, EquatableArray<string> Parameters, ScalarExpr Body, string Source);
