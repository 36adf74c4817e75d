using PamGen.Dsl;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Model;

/// <summary>The scalar definitions of the built-in activations, shared by the parser (which builds nodes) and the emitter (which recognises them).</summary>
public static class BuiltinFunctions
{
    private static readonly ScalarExpr X = new ParamExpr(0);
    private static readonly ScalarExpr Zero = new ConstExpr(0f);

    /// <summary>Relu: the select x &gt; 0 ? x : 0, as the runtime's Relu.</summary>
    public static readonly ScalarExpr Relu = new SelectExpr(Cmp.Gt, X, Zero, X, Zero);

    /// <summary>Gelu: Div(x, 1 + Exp(−Mul(x, 1.702))), as the runtime's Gelu.</summary>
    public static readonly ScalarExpr Gelu =
        Ap(Prim.Div, X, Ap(Prim.Add, new ConstExpr(1f), Ap(Prim.Exp, Ap(Prim.Neg, Ap(Prim.Mul, X, new ConstExpr(1.702f))))));

    private static ScalarExpr Ap(Prim op, params ScalarExpr[] args) => new ApplyExpr(op, EquatableArray.Create(args));
}
