using System;

namespace PamGen.Dsl.Scalar;

/// <summary>
/// Evaluates a <see cref="ScalarGraph"/> in float64 with the primitives' smooth meanings (the <c>Ieee</c> mode),
/// so tests can check the derivative rules against finite differences without compiling anything.
/// </summary>
public static class ScalarInterpreter
{
    /// <summary>Every node's value for the given parameter values.</summary>
    public static double[] Evaluate(ScalarGraph graph, double[] parameters)
    {
        var values = new double[graph.Nodes.Count];
        for (int id = 0; id < values.Length; id++)
        {
            var n = graph.Nodes[id];
            values[id] = n.Kind switch
            {
                NodeKind.Param => parameters[n.Index],
                NodeKind.Const => n.Value,
                NodeKind.Apply => Primitives.Of(n.Op).Reference(Primitives.Of(n.Op).Arity switch
                {
                    1 => new[] { values[n.A] },
                    2 => new[] { values[n.A], values[n.B] },
                    _ => new[] { values[n.A], values[n.B], values[n.C] },
                }),
                NodeKind.Select => Compare(n.Cmp, values[n.A], values[n.B]) ? values[n.C] : values[n.D],
                _ => throw new InvalidOperationException($"Unknown node kind {n.Kind}."),
            };
        }
        return values;
    }

    /// <summary>The comparison's meaning.</summary>
    public static bool Compare(Cmp cmp, double l, double r) => cmp switch
    {
        Cmp.Lt => l < r,
        Cmp.Le => l <= r,
        Cmp.Gt => l > r,
        Cmp.Ge => l >= r,
        Cmp.Eq => l == r,
        _ => l != r,
    };
}
