using System;
using System.Collections.Generic;

namespace PamGen.Dsl.Scalar;

/// <summary>What a <see cref="GraphNode"/> is.</summary>
public enum NodeKind
{
    /// <summary>An input element.</summary>
    Param,
    /// <summary>A literal.</summary>
    Const,
    /// <summary>A primitive.</summary>
    Apply,
    /// <summary>A conditional select.</summary>
    Select,
}

/// <summary>
/// One node of a <see cref="ScalarGraph"/>; argument ids (−1 when unused) always refer to earlier nodes.
/// Select uses all four: <c>A Cmp B ? C : D</c>.
/// </summary>
public readonly record struct GraphNode(NodeKind Kind, Prim Op, Cmp Cmp, float Value, int Index, int A, int B, int C, int D);

/// <summary>
/// A hash-consed DAG of scalar operations in topological order (arguments before users), so shared
/// subexpressions are computed once and the emitted code is straight-line SSA. The forward expression and its
/// derivative live in the same graph; the builders fold the trivial identities (x + 0, x · 1, −−x).
/// </summary>
public sealed class ScalarGraph
{
    private readonly List<GraphNode> _nodes = new();
    private readonly Dictionary<GraphNode, int> _ids = new();

    /// <summary>The nodes in topological order.</summary>
    public IReadOnlyList<GraphNode> Nodes => _nodes;

    /// <summary>Builds the graph of <paramref name="expr"/> and returns its root id.</summary>
    public int Add(ScalarExpr expr) => expr switch
    {
        ParamExpr p => Param(p.Index),
        ConstExpr c => Const(c.Value),
        ApplyExpr a => a.Args.Count == 1 ? Apply(a.Op, Add(a.Args[0])) : Apply(a.Op, Add(a.Args[0]), Add(a.Args[1])),
        SelectExpr s => Select(s.Cmp, Add(s.Left), Add(s.Right), Add(s.IfTrue), Add(s.IfFalse)),
        _ => throw new ArgumentException($"Unknown scalar expression {expr.GetType().Name}.", nameof(expr)),
    };

    /// <summary>The input element <paramref name="index"/>.</summary>
    public int Param(int index) => Intern(new GraphNode(NodeKind.Param, default, default, 0f, index, -1, -1, -1, -1));

    /// <summary>A literal.</summary>
    public int Const(float value) => Intern(new GraphNode(NodeKind.Const, default, default, value, -1, -1, -1, -1, -1));

    /// <summary>Whether node <paramref name="id"/> is the literal <paramref name="value"/> (bitwise, so −0 ≠ 0).</summary>
    public bool IsConst(int id, float value)
        => _nodes[id].Kind == NodeKind.Const && BitConverter.DoubleToInt64Bits(_nodes[id].Value) == BitConverter.DoubleToInt64Bits(value);

    /// <summary>A primitive of one argument.</summary>
    public int Apply(Prim op, int a)
    {
        if (op == Prim.Neg && _nodes[a].Kind == NodeKind.Const) return Const(-_nodes[a].Value);
        if (op == Prim.Neg && _nodes[a].Kind == NodeKind.Apply && _nodes[a].Op == Prim.Neg) return _nodes[a].A;
        return Intern(new GraphNode(NodeKind.Apply, op, default, 0f, -1, a, -1, -1, -1));
    }

    /// <summary>A primitive of two arguments.</summary>
    public int Apply(Prim op, int a, int b)
    {
        switch (op)
        {
            case Prim.Add when IsConst(b, 0f): return a;
            case Prim.Add when IsConst(a, 0f): return b;
            case Prim.Sub when IsConst(b, 0f): return a;
            case Prim.Sub when IsConst(a, 0f): return Apply(Prim.Neg, b);
            // Multiplying or dividing by 1 is exact in every mode (1 is a power of two, PAM is exact there).
            case Prim.Mul when IsConst(b, 1f): return a;
            case Prim.Mul when IsConst(a, 1f): return b;
            case Prim.Div when IsConst(b, 1f): return a;
        }
        return Intern(new GraphNode(NodeKind.Apply, op, default, 0f, -1, a, b, -1, -1));
    }

    /// <summary>A primitive of three arguments (the exact-backward helpers, e.g. <c>MulGradA(g, a, b)</c>).</summary>
    public int Apply(Prim op, int a, int b, int c) => Intern(new GraphNode(NodeKind.Apply, op, default, 0f, -1, a, b, c, -1));

    /// <summary><c>l cmp r ? t : f</c>; a select between equal ids is that id.</summary>
    public int Select(Cmp cmp, int l, int r, int t, int f)
        => t == f ? t : Intern(new GraphNode(NodeKind.Select, default, cmp, 0f, -1, l, r, t, f));

    /// <summary>Shorthand for <see cref="Apply(Prim, int, int)"/> with <see cref="Prim.Mul"/>.</summary>
    public int Mul(int a, int b) => Apply(Prim.Mul, a, b);
    /// <summary>Shorthand for <see cref="Prim.Div"/>.</summary>
    public int Div(int a, int b) => Apply(Prim.Div, a, b);
    /// <summary>Shorthand for <see cref="Prim.Add"/>.</summary>
    public int Plus(int a, int b) => Apply(Prim.Add, a, b);
    /// <summary>Shorthand for <see cref="Prim.Neg"/>.</summary>
    public int Neg(int a) => Apply(Prim.Neg, a);

    private int Intern(GraphNode node)
    {
        if (_ids.TryGetValue(node, out int id)) return id;
        id = _nodes.Count;
        _nodes.Add(node);
        _ids.Add(node, id);
        return id;
    }
}
