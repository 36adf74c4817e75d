using System;

namespace PamGen;

/// <summary>
/// Marks a static scalar function <c>float F(float x, ...)</c> in a C# subset (float parameters and locals,
/// <c>+ - * /</c>, unary <c>-</c>, literals, conditional expressions on comparisons, calls to
/// <see cref="PamMath"/> functions and to other kernels). Inside a kernel <c>*</c>, <c>/</c>, <c>Exp</c>,
/// <c>Log</c>, <c>Sqrt</c>, <c>Pow</c> denote the operations of the arithmetic mode (PAM in <c>Pam</c> mode).
/// The generator emits fused span kernels <c>{Name}Forward&lt;TArith&gt;</c> and <c>{Name}Backward&lt;TArith&gt;</c>
/// (reverse-mode derivative) into the containing <c>partial</c> class.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PamKernelAttribute : Attribute
{
}
