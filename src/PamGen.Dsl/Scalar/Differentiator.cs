using System.Collections.Generic;
using System.Linq;

namespace PamGen.Dsl.Scalar;

/// <summary>A kernel's forward graph with the derivative appended: ids of the output and of each input's gradient.</summary>
/// <param name="Graph">Forward and backward nodes together.</param>
/// <param name="Output">Id of the forward result.</param>
/// <param name="Upstream">Id of the upstream gradient <c>dy</c> (a parameter numbered after the inputs).</param>
/// <param name="Gradients">Per input, the id of ∂L/∂input, or −1 when the output does not depend on it.</param>
public sealed record DerivedKernel(ScalarGraph Graph, int Output, int Upstream, int[] Gradients)
{
    /// <summary>
    /// The same kernel differentiated with the exact rules (<see cref="Primitive.Exact"/>), or null when no primitive
    /// of it has one (then the exact backward is the approximate one).
    /// </summary>
    public DerivedKernel? Exact { get; init; }
}

/// <summary>
/// Symbolic reverse-mode differentiation of a scalar expression: walks the DAG from the output back to the
/// inputs, applying each primitive's rule from <see cref="Primitives"/> and summing contributions.
/// </summary>
public static class Differentiator
{
    /// <summary>Differentiates <paramref name="body"/> of <paramref name="arity"/> inputs with the default (approximate) rules; <see cref="DerivedKernel.Exact"/> holds the exact-rule variant.</summary>
    public static DerivedKernel Derive(ScalarExpr body, int arity)
    {
        var approximate = Derive(body, arity, exact: false);
        bool hasExact = approximate.Graph.Nodes.Any(n => n.Kind == NodeKind.Apply && Primitives.Of(n.Op).Exact is not null);
        return hasExact ? approximate with { Exact = Derive(body, arity, exact: true) } : approximate;
    }

    private static DerivedKernel Derive(ScalarExpr body, int arity, bool exact)
    {
        var graph = new ScalarGraph();
        for (int i = 0; i < arity; i++) graph.Param(i);
        int output = graph.Add(body);
        int upstream = graph.Param(arity);
        int forwardCount = graph.Nodes.Count;
        var adjoint = new Dictionary<int, int> { [output] = upstream };
        for (int id = forwardCount - 1; id >= 0; id--)
        {
            if (!adjoint.TryGetValue(id, out int g)) continue;
            var node = graph.Nodes[id];
            int[] args;
            int[] contributions;
            if (node.Kind == NodeKind.Apply)
            {
                args = Primitives.Of(node.Op).Arity == 1 ? new[] { node.A } : new[] { node.A, node.B };
                var rule = Primitives.Of(node.Op);
                contributions = (exact ? rule.Exact ?? rule.Gradient : rule.Gradient)(graph, args, id, g);
            }
            else if (node.Kind == NodeKind.Select)
            {
                // The comparison is piecewise constant: only the chosen branch receives the gradient.
                int zero = graph.Const(0f);
                args = new[] { node.C, node.D };
                contributions = new[] { graph.Select(node.Cmp, node.A, node.B, g, zero), graph.Select(node.Cmp, node.A, node.B, zero, g) };
            }
            else
            {
                continue;
            }
            for (int k = 0; k < args.Length; k++)
            {
                if (contributions[k] < 0 || graph.IsConst(contributions[k], 0f)) continue;
                adjoint[args[k]] = adjoint.TryGetValue(args[k], out int sum) ? graph.Plus(sum, contributions[k]) : contributions[k];
            }
        }
        var gradients = new int[arity];
        for (int i = 0; i < arity; i++) gradients[i] = adjoint.TryGetValue(graph.Param(i), out int d) ? d : -1;
        return new DerivedKernel(graph, output, upstream, gradients);
    }
}
