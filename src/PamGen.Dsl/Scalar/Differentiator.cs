using System.Collections.Generic;

namespace PamGen.Dsl.Scalar;

/// <summary>A kernel's forward graph with the derivative appended: ids of the output and of each input's gradient.</summary>
/// <param name="Graph">Forward and backward nodes together.</param>
/// <param name="Output">Id of the forward result.</param>
/// <param name="Upstream">Id of the upstream gradient <c>dy</c> (a parameter numbered after the inputs).</param>
/// <param name="Gradients">Per input, the id of ∂L/∂input, or −1 when the output does not depend on it.</param>
public sealed record DerivedKernel(ScalarGraph Graph, int Output, int Upstream, int[] Gradients);

/// <summary>
/// Symbolic reverse-mode differentiation of a scalar expression: walks the DAG from the output back to the
/// inputs, applying each primitive's rule from <see cref="Primitives"/> and summing contributions.
/// </summary>
public static class Differentiator
{
    /// <summary>Differentiates <paramref name="body"/> of <paramref name="arity"/> inputs.</summary>
    public static DerivedKernel Derive(ScalarExpr body, int arity)
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
                contributions = Primitives.Of(node.Op).Gradient(graph, args, id, g);
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
