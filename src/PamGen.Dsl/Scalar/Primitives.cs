using System;
using System.Collections.Generic;
using System.Linq;

namespace PamGen.Dsl.Scalar;

/// <summary>
/// Reverse-mode rule of a primitive: given the graph, the argument ids, the result id <c>y</c> and the upstream
/// gradient id <c>g</c>, returns the gradient contribution of each argument (−1 for none).
/// </summary>
public delegate int[] GradientRule(ScalarGraph graph, int[] args, int y, int g);

/// <summary>
/// One primitive: its forward meaning (the C# it emits, scalar and vector, and a float64 reference used by the
/// interpreter in tests) beside its derivative rule.
/// </summary>
/// <param name="Op">The primitive.</param>
/// <param name="Name">Name in DSL text.</param>
/// <param name="Arity">Number of arguments.</param>
/// <param name="Reference">Smooth float64 meaning (the <c>Ieee</c> mode).</param>
/// <param name="Scalar">Emits the scalar C# form from argument expressions.</param>
/// <param name="Vector">Emits the lane-wise form given the vector type (<c>Vector256</c>/<c>Vector512</c>) and arguments; null when the mode has no vector form.</param>
/// <param name="Gradient">The reverse-mode rule (NUMERICS.md §2's approximate backward, the default).</param>
/// <param name="Exact">The rule of the exact backward (<c>IPamOptions.ExactBackward</c>): the derivative of the piecewise
/// affine function through the runtime's helpers (<c>TArith.MulGradA</c> …); null when it equals <paramref name="Gradient"/>.</param>
public sealed record Primitive(Prim Op, string Name, int Arity, Func<double[], double> Reference,
    Func<string[], string> Scalar, Func<string, string[], string>? Vector, GradientRule Gradient, GradientRule? Exact = null);

/// <summary>
/// THE table of primitives: one entry per primitive, forward definition beside its derivative (after tinygrad's
/// gradient table). Products and quotients in the rules are the mode's (<c>TArith.Mul</c>/<c>Div</c>), so the
/// backward is multiplication-free in <c>Pam</c> mode; they follow NUMERICS.md §2's approximate (default)
/// backward: <c>∂Mul(a,b)/∂a = Mul(g, b)</c>, <c>∂Div(a,b)/∂b = −Div(Mul(a, g), Mul(b, b))</c>, and smooth
/// derivatives evaluated with the mode's operations for the transcendental functions. The exact rules follow each
/// composite's definition in NUMERICS.md §1 (<c>Exp = Exp2(Mul(x, log2 e))</c>, <c>Log = Div(Log2 x, log2 e)</c>,
/// <c>Sqrt = Exp2(Log2(x)·2^-1)</c>, <c>Pow = Exp2(Mul(Log2 x, y))</c>) and chain the mode's derivative helpers,
/// which have no vector form: exact backward kernels run scalar.
/// </summary>
public static class Primitives
{
    private const string Arith = "TArith";
    private const float Ln2 = 0.6931472f;
    private const float Log2E = 1.44269504f;

    private static readonly Dictionary<Prim, Primitive> Table = new()
    {
        [Prim.Add] = new(Prim.Add, "+", 2, a => a[0] + a[1],
            a => $"{a[0]} + {a[1]}", (v, a) => $"{a[0]} + {a[1]}",
            (g, x, y, d) => new[] { d, d }),
        [Prim.Sub] = new(Prim.Sub, "-", 2, a => a[0] - a[1],
            a => $"{a[0]} - {a[1]}", (v, a) => $"{a[0]} - {a[1]}",
            (g, x, y, d) => new[] { d, g.Neg(d) }),
        [Prim.Neg] = new(Prim.Neg, "-", 1, a => -a[0],
            a => $"-{a[0]}", (v, a) => $"-{a[0]}",
            (g, x, y, d) => new[] { g.Neg(d) }),
        [Prim.Mul] = new(Prim.Mul, "*", 2, a => a[0] * a[1],
            a => Call("Mul", a), (v, a) => Call("Mul", a),
            (g, x, y, d) => new[] { g.Mul(d, x[1]), g.Mul(d, x[0]) },
            // PAM's product is symmetric in its operands, so ∂/∂b is MulGradA with the roles swapped.
            (g, x, y, d) => new[] { g.Apply(Prim.MulGradA, d, x[0], x[1]), g.Apply(Prim.MulGradA, d, x[1], x[0]) }),
        [Prim.Div] = new(Prim.Div, "/", 2, a => a[0] / a[1],
            a => Call("Div", a), (v, a) => Call("Div", a),
            (g, x, y, d) => new[] { g.Div(d, x[1]), g.Neg(g.Div(g.Mul(x[0], d), g.Mul(x[1], x[1]))) },
            (g, x, y, d) => new[] { g.Apply(Prim.DivGradA, d, x[0], x[1]), g.Apply(Prim.DivGradB, d, x[0], x[1]) }),
        [Prim.Exp] = new(Prim.Exp, "Exp", 1, a => Math.Exp(a[0]),
            a => Call("Exp", a), (v, a) => Call("Exp", a),
            (g, x, y, d) => new[] { g.Mul(d, y) },
            (g, x, y, d) =>
            {
                int log2e = g.Const(Log2E);
                return new[] { g.Apply(Prim.MulGradA, g.Apply(Prim.Exp2Grad, d, g.Mul(x[0], log2e)), x[0], log2e) };
            }),
        [Prim.Log] = new(Prim.Log, "Log", 1, a => Math.Log(a[0]),
            a => Call("Log", a), (v, a) => Call("Log", a),
            (g, x, y, d) => new[] { g.Div(d, x[0]) },
            (g, x, y, d) =>
            {
                int log2 = g.Apply(Prim.Log2, x[0]);
                return new[] { g.Apply(Prim.Log2Grad, g.Apply(Prim.DivGradA, d, log2, g.Const(Log2E)), x[0]) };
            }),
        [Prim.Exp2] = new(Prim.Exp2, "Exp2", 1, a => Math.Pow(2.0, a[0]),
            a => Call("Exp2", a), (v, a) => Call("Exp2", a),
            (g, x, y, d) => new[] { g.Mul(g.Mul(d, y), g.Const(Ln2)) },
            (g, x, y, d) => new[] { g.Apply(Prim.Exp2Grad, d, x[0]) }),
        [Prim.Log2] = new(Prim.Log2, "Log2", 1, a => Math.Log(a[0]) / Math.Log(2.0),
            a => Call("Log2", a), (v, a) => Call("Log2", a),
            (g, x, y, d) => new[] { g.Div(d, g.Mul(x[0], g.Const(Ln2))) },
            (g, x, y, d) => new[] { g.Apply(Prim.Log2Grad, d, x[0]) }),
        [Prim.Sqrt] = new(Prim.Sqrt, "Sqrt", 1, a => Math.Sqrt(a[0]),
            a => Call("Sqrt", a), (v, a) => Call("Sqrt", a),
            // Halving is exact in every mode (a power of two), so the rule is Div(Mul(g, 0.5), √x).
            (g, x, y, d) => new[] { g.Div(g.Mul(d, g.Const(0.5f)), y) },
            // The halvings are exponent decrements, written as Exp2Grad(v, −1) = v·2^−1 (exact in every mode).
            (g, x, y, d) =>
            {
                int minusOne = g.Const(-1f);
                int half = g.Apply(Prim.Exp2Grad, g.Apply(Prim.Log2, x[0]), minusOne);
                return new[] { g.Apply(Prim.Log2Grad, g.Apply(Prim.Exp2Grad, g.Apply(Prim.Exp2Grad, d, half), minusOne), x[0]) };
            }),
        [Prim.Pow] = new(Prim.Pow, "Pow", 2, a => Math.Pow(a[0], a[1]),
            // IArithmetic has no vector Pow: kernels using it run the scalar loop only.
            a => Call("Pow", a), null,
            (g, x, y, d) => new[] { g.Mul(d, g.Mul(x[1], g.Div(y, x[0]))), g.Mul(d, g.Mul(y, g.Apply(Prim.Log, x[0]))) },
            (g, x, y, d) =>
            {
                int log2 = g.Apply(Prim.Log2, x[0]);
                int dProduct = g.Apply(Prim.Exp2Grad, d, g.Mul(log2, x[1]));
                return new[] { g.Apply(Prim.Log2Grad, g.Apply(Prim.MulGradA, dProduct, log2, x[1]), x[0]), g.Apply(Prim.MulGradA, dProduct, x[1], log2) };
            }),
        [Prim.Abs] = new(Prim.Abs, "Abs", 1, a => Math.Abs(a[0]),
            a => $"global::System.MathF.Abs({a[0]})", (v, a) => $"global::System.Runtime.Intrinsics.{v}.Abs({a[0]})",
            (g, x, y, d) => new[] { g.Select(Cmp.Lt, x[0], g.Const(0f), g.Neg(d), d) }),
        [Prim.Max] = new(Prim.Max, "Max", 2, a => a[0] >= a[1] ? a[0] : a[1],
            a => $"({a[0]} >= {a[1]} ? {a[0]} : {a[1]})",
            (v, a) => $"global::System.Runtime.Intrinsics.{v}.ConditionalSelect(global::System.Runtime.Intrinsics.{v}.GreaterThanOrEqual({a[0]}, {a[1]}), {a[0]}, {a[1]})",
            (g, x, y, d) => new[] { g.Select(Cmp.Ge, x[0], x[1], d, g.Const(0f)), g.Select(Cmp.Ge, x[0], x[1], g.Const(0f), d) }),
        [Prim.Min] = new(Prim.Min, "Min", 2, a => a[0] <= a[1] ? a[0] : a[1],
            a => $"({a[0]} <= {a[1]} ? {a[0]} : {a[1]})",
            (v, a) => $"global::System.Runtime.Intrinsics.{v}.ConditionalSelect(global::System.Runtime.Intrinsics.{v}.LessThanOrEqual({a[0]}, {a[1]}), {a[0]}, {a[1]})",
            (g, x, y, d) => new[] { g.Select(Cmp.Le, x[0], x[1], d, g.Const(0f)), g.Select(Cmp.Le, x[0], x[1], g.Const(0f), d) }),
    };

    // The exact rules' helpers: emitted as the mode's scalar derivative functions, never differentiated themselves
    // (no second derivatives), and not functions of the DSL (so not in All).
    private static readonly Dictionary<Prim, Primitive> Helpers = new()
    {
        [Prim.MulGradA] = Helper(Prim.MulGradA, "MulGradA", 3, a => a[0] * a[2]),
        [Prim.DivGradA] = Helper(Prim.DivGradA, "DivGradA", 3, a => a[0] / a[2]),
        [Prim.DivGradB] = Helper(Prim.DivGradB, "DivGradB", 3, a => -a[1] * a[0] / (a[2] * a[2])),
        [Prim.Exp2Grad] = Helper(Prim.Exp2Grad, "Exp2Grad", 2, a => a[0] * Math.Pow(2.0, a[1]) * Math.Log(2.0)),
        [Prim.Log2Grad] = Helper(Prim.Log2Grad, "Log2Grad", 2, a => a[0] / (a[1] * Math.Log(2.0))),
    };

    private static Primitive Helper(Prim op, string name, int arity, Func<double[], double> reference)
        => new(op, name, arity, reference, a => Call(name, a), null, (g, x, y, d) => x.Select(_ => -1).ToArray());

    /// <summary>The entry of <paramref name="op"/> (a DSL primitive or an exact-backward helper).</summary>
    public static Primitive Of(Prim op) => Table.TryGetValue(op, out var p) ? p : Helpers[op];

    /// <summary>Every entry.</summary>
    public static IEnumerable<Primitive> All => Table.Values;

    /// <summary>The primitive a PamMath function name denotes, if any.</summary>
    public static bool TryFunction(string name, int arity, out Prim op)
    {
        foreach (var p in Table.Values)
        {
            if (p.Name == name && p.Arity == arity && char.IsLetter(name[0]))
            {
                op = p.Op;
                return true;
            }
        }
        op = default;
        return false;
    }

    private static string Call(string name, string[] args) => $"{Arith}.{name}({string.Join(", ", args)})";
}
