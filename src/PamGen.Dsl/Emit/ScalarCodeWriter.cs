using System.Collections.Generic;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Emit;

/// <summary>
/// Writes the straight-line body computing some roots of a <see cref="ScalarGraph"/>: one local per reachable node
/// (<c>t{id}</c>), parameters bound to caller-provided expressions, literals inline. Scalar form uses
/// <c>float</c>; vector forms use <c>Vector256/512&lt;float&gt;</c> with the same <c>TArith</c> calls.
/// </summary>
public static class ScalarCodeWriter
{
    /// <summary>Whether every node reachable from <paramref name="roots"/> has a vector form.</summary>
    public static bool CanVectorize(ScalarGraph graph, IEnumerable<int> roots)
    {
        foreach (int id in Reachable(graph, roots))
        {
            var n = graph.Nodes[id];
            if (n.Kind == NodeKind.Apply && Primitives.Of(n.Op).Vector is null) return false;
        }
        return true;
    }

    /// <summary>Writes one statement per reachable non-leaf node; returns the expression of each root.</summary>
    /// <param name="w">Target writer.</param>
    /// <param name="graph">The graph.</param>
    /// <param name="roots">Nodes whose values are needed.</param>
    /// <param name="parameters">Expression bound to each parameter index.</param>
    /// <param name="vector">Null for scalar code, else <c>Vector256</c> or <c>Vector512</c>.</param>
    public static string[] Write(SourceWriter w, ScalarGraph graph, int[] roots, string[] parameters, string? vector)
    {
        var names = new Dictionary<int, string>();
        foreach (int id in Reachable(graph, roots))
        {
            var n = graph.Nodes[id];
            switch (n.Kind)
            {
                case NodeKind.Param:
                    names[id] = parameters[n.Index];
                    break;
                case NodeKind.Const:
                    names[id] = vector is null
                        ? ScalarPrinter.Literal(n.Value)
                        : $"global::System.Runtime.Intrinsics.{vector}.Create({ScalarPrinter.Literal(n.Value)})";
                    break;
                case NodeKind.Select:
                    string cond = vector is null
                        ? $"{names[n.A]} {ScalarPrinter.CmpText(n.Cmp)} {names[n.B]}"
                        : VectorCompare(vector, n.Cmp, names[n.A], names[n.B]);
                    string select = vector is null
                        ? $"{cond} ? {names[n.C]} : {names[n.D]}"
                        : $"global::System.Runtime.Intrinsics.{vector}.ConditionalSelect({cond}, {names[n.C]}, {names[n.D]})";
                    names[id] = Declare(w, id, select, vector);
                    break;
                default:
                    var p = Primitives.Of(n.Op);
                    var args = p.Arity == 1 ? new[] { names[n.A] } : p.Arity == 2 ? new[] { names[n.A], names[n.B] } : new[] { names[n.A], names[n.B], names[n.C] };
                    names[id] = Declare(w, id, vector is null ? p.Scalar(args) : p.Vector!(vector, args), vector);
                    break;
            }
        }
        var result = new string[roots.Length];
        for (int i = 0; i < roots.Length; i++) result[i] = names[roots[i]];
        return result;
    }

    private static string Declare(SourceWriter w, int id, string expr, string? vector)
    {
        string name = "t" + id;
        w.Line($"{(vector is null ? "float" : "var")} {name} = {expr};");
        return name;
    }

    private static string VectorCompare(string v, Cmp cmp, string l, string r)
    {
        string ns = "global::System.Runtime.Intrinsics." + v;
        return cmp switch
        {
            Cmp.Lt => $"{ns}.LessThan({l}, {r})",
            Cmp.Le => $"{ns}.LessThanOrEqual({l}, {r})",
            Cmp.Gt => $"{ns}.GreaterThan({l}, {r})",
            Cmp.Ge => $"{ns}.GreaterThanOrEqual({l}, {r})",
            Cmp.Eq => $"{ns}.Equals({l}, {r})",
            _ => $"~{ns}.Equals({l}, {r})",
        };
    }

    /// <summary>Ids reachable from the roots, ascending (a topological order).</summary>
    public static IEnumerable<int> Reachable(ScalarGraph graph, IEnumerable<int> roots)
    {
        var seen = new SortedSet<int>();
        var stack = new Stack<int>(roots);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (id < 0 || !seen.Add(id)) continue;
            var n = graph.Nodes[id];
            stack.Push(n.A);
            stack.Push(n.B);
            stack.Push(n.C);
            stack.Push(n.D);
        }
        return seen;
    }
}
