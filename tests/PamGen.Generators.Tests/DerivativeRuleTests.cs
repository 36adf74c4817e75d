using System;
using System.Linq;
using PamGen.Dsl;
using PamGen.Dsl.Scalar;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Every rule of the primitive table against central finite differences, in the float64 interpreter (the smooth
/// <c>Ieee</c> meaning), at seeded random points away from kinks; and composite expressions through the AD.
/// </summary>
public sealed class DerivativeRuleTests
{
    private const double H = 1e-6;

    public static TheoryData<Prim> AllPrimitives()
    {
        var data = new TheoryData<Prim>();
        foreach (var p in Primitives.All) data.Add(p.Op);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPrimitives))]
    public void RuleMatchesCentralDifferences(Prim op)
    {
        int arity = Primitives.Of(op).Arity;
        var args = Enumerable.Range(0, arity).Select(i => (ScalarExpr)new ParamExpr(i)).ToEquatableArray();
        CheckGradient(new ApplyExpr(op, args), arity, seed: 100 + (int)op, positive: op is Prim.Log or Prim.Log2 or Prim.Sqrt or Prim.Pow);
    }

    [Fact]
    public void SelectAndCompositesMatchCentralDifferences()
    {
        var x = new ParamExpr(0);
        var y = new ParamExpr(1);
        ScalarExpr Ap(Prim p, params ScalarExpr[] a) => new ApplyExpr(p, EquatableArray.Create(a));
        var c = new ConstExpr(1.702f);
        // Gelu, a select on a comparison, and an expression reusing one subexpression several times.
        CheckGradient(Ap(Prim.Div, x, Ap(Prim.Add, new ConstExpr(1f), Ap(Prim.Exp, Ap(Prim.Neg, Ap(Prim.Mul, c, x))))), 1, 7, false);
        CheckGradient(new SelectExpr(Cmp.Gt, x, y, Ap(Prim.Mul, x, y), Ap(Prim.Sub, x, Ap(Prim.Exp, y))), 2, 8, false);
        var shared = Ap(Prim.Mul, x, y);
        CheckGradient(Ap(Prim.Add, Ap(Prim.Mul, shared, shared), Ap(Prim.Div, shared, Ap(Prim.Add, Ap(Prim.Mul, y, y), new ConstExpr(1f)))), 2, 9, false);
    }

    private static void CheckGradient(ScalarExpr body, int arity, int seed, bool positive)
    {
        var derived = Differentiator.Derive(body, arity);
        var rng = new Random(seed);
        double worst = 0;
        string worstAt = "";
        int checkedPoints = 0;
        for (int trial = 0; trial < 200 && checkedPoints < 50; trial++)
        {
            var p = Enumerable.Range(0, arity).Select(_ => positive ? 0.2 + 3 * rng.NextDouble() : 4 * rng.NextDouble() - 2).ToArray();
            // Away from kinks: skip points where a comparison, Abs or Max/Min is within 1e-3 of switching.
            if (p.Any(v => Math.Abs(v) < 1e-3) || (arity == 2 && Math.Abs(p[0] - p[1]) < 1e-3)) continue;
            checkedPoints++;
            var upstream = p.Concat(new[] { 1.0 }).ToArray();
            var values = ScalarInterpreter.Evaluate(derived.Graph, upstream);
            for (int i = 0; i < arity; i++)
            {
                double analytic = derived.Gradients[i] < 0 ? 0 : values[derived.Gradients[i]];
                var plus = (double[])upstream.Clone();
                var minus = (double[])upstream.Clone();
                plus[i] += H;
                minus[i] -= H;
                double numeric = (ScalarInterpreter.Evaluate(derived.Graph, plus)[derived.Output] - ScalarInterpreter.Evaluate(derived.Graph, minus)[derived.Output]) / (2 * H);
                // Constants of the rules (ln 2) are float32, so allow float32-level relative error.
                double error = Math.Abs(analytic - numeric) / Math.Max(1, Math.Abs(numeric));
                if (error > worst)
                {
                    worst = error;
                    worstAt = $"input {i} at ({string.Join(", ", p)}): analytic {analytic}, numeric {numeric}";
                }
            }
        }
        Assert.True(checkedPoints >= 20, $"only {checkedPoints} points away from kinks");
        Assert.True(worst < 1e-5, $"worst relative error {worst:E2}, {worstAt}");
    }
}
