using System.Linq;

namespace PamGen.Dsl.Scalar;

/// <summary>Substitution on scalar expressions: inlining of kernel calls and fusion of elementwise chains.</summary>
public static class ScalarRewriter
{
    /// <summary>Replaces every <see cref="ParamExpr"/> <c>i</c> of <paramref name="body"/> by <paramref name="args"/>[i].</summary>
    public static ScalarExpr Substitute(ScalarExpr body, EquatableArray<ScalarExpr> args) => body switch
    {
        ParamExpr p => args[p.Index],
        ApplyExpr a => new ApplyExpr(a.Op, a.Args.Select(x => Substitute(x, args)).ToEquatableArray()),
        SelectExpr s => new SelectExpr(s.Cmp, Substitute(s.Left, args), Substitute(s.Right, args),
            Substitute(s.IfTrue, args), Substitute(s.IfFalse, args)),
        _ => body,
    };

    /// <summary>
    /// Fuses two unary elementwise functions into one, <c>outer(inner(x))</c>, so a chain of activations runs
    /// as a single pass over memory forward and a single pass backward.
    /// </summary>
    public static ScalarExpr Compose(ScalarExpr outer, ScalarExpr inner) => Substitute(outer, EquatableArray.Create(inner));
}
