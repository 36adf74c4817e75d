namespace PamGen.Dsl.Scalar;

/// <summary>
/// An elementwise scalar expression: the body of a <c>[PamKernel]</c> after locals and kernel calls are inlined.
/// Records with an <see cref="EquatableArray{T}"/> of children, so trees compare structurally.
/// </summary>
public abstract record ScalarExpr;

/// <summary>The kernel's parameter number <paramref name="Index"/> (an element of its input span).</summary>
public sealed record ParamExpr(int Index) : ScalarExpr;

/// <summary>A float32 literal.</summary>
public sealed record ConstExpr(float Value) : ScalarExpr;

/// <summary>A primitive applied to its arguments (see <see cref="Primitives"/>).</summary>
public sealed record ApplyExpr(Prim Op, EquatableArray<ScalarExpr> Args) : ScalarExpr;

/// <summary><c>Left Cmp Right ? IfTrue : IfFalse</c>.</summary>
public sealed record SelectExpr(Cmp Cmp, ScalarExpr Left, ScalarExpr Right, ScalarExpr IfTrue, ScalarExpr IfFalse) : ScalarExpr;

/// <summary>The primitives of the scalar language; each has one entry in <see cref="Primitives"/>.</summary>
public enum Prim
{
    /// <summary><c>a + b</c> (ordinary in every mode).</summary>
    Add,
    /// <summary><c>a − b</c> (ordinary in every mode).</summary>
    Sub,
    /// <summary><c>−a</c>.</summary>
    Neg,
    /// <summary>The mode's product (PAM in <c>Pam</c> mode).</summary>
    Mul,
    /// <summary>The mode's quotient (PAD in <c>Pam</c> mode).</summary>
    Div,
    /// <summary>The mode's e^x.</summary>
    Exp,
    /// <summary>The mode's ln x.</summary>
    Log,
    /// <summary>The mode's 2^x.</summary>
    Exp2,
    /// <summary>The mode's log2 x.</summary>
    Log2,
    /// <summary>The mode's √x.</summary>
    Sqrt,
    /// <summary>The mode's x^y.</summary>
    Pow,
    /// <summary>|x| (sign bit cleared).</summary>
    Abs,
    /// <summary><c>a &gt;= b ? a : b</c>.</summary>
    Max,
    /// <summary><c>a &lt;= b ? a : b</c>.</summary>
    Min,
    /// <summary>Backward helper (not a DSL function): the mode's ∂/∂a of <c>Mul(a, b)</c> given g, as <c>TArith.MulGradA(g, a, b)</c>.</summary>
    MulGradA,
    /// <summary>Backward helper: the mode's ∂/∂a of <c>Div(a, b)</c>, <c>TArith.DivGradA(g, a, b)</c>.</summary>
    DivGradA,
    /// <summary>Backward helper: the mode's ∂/∂b of <c>Div(a, b)</c>, <c>TArith.DivGradB(g, a, b)</c>.</summary>
    DivGradB,
    /// <summary>Backward helper: the mode's ∂/∂x of <c>Exp2(x)</c>, <c>TArith.Exp2Grad(g, x)</c> (<c>g·2^⌊x⌋</c> in PAM modes).</summary>
    Exp2Grad,
    /// <summary>Backward helper: the mode's ∂/∂x of <c>Log2(x)</c>, <c>TArith.Log2Grad(g, x)</c>.</summary>
    Log2Grad,
}

/// <summary>Comparisons allowed in a conditional expression.</summary>
public enum Cmp
{
    /// <summary><c>&lt;</c></summary>
    Lt,
    /// <summary><c>&lt;=</c></summary>
    Le,
    /// <summary><c>&gt;</c></summary>
    Gt,
    /// <summary><c>&gt;=</c></summary>
    Ge,
    /// <summary><c>==</c></summary>
    Eq,
    /// <summary><c>!=</c></summary>
    Ne,
}
