using System.Collections.Generic;
using System.Linq;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Model;

/// <summary>
/// Graph rewrites before emission: fuses chains of elementwise nodes (an elementwise node whose argument is an
/// elementwise node used only there) into one scalar function, so the chain runs as one pass forward and one
/// backward, then drops nodes the output does not depend on.
/// </summary>
public static class ModelFusion
{
    /// <summary>The fused graph (node indices renumbered, order kept).</summary>
    public static ModelGraph Fuse(ModelGraph graph)
    {
        var nodes = graph.Nodes.ToList();
        for (int i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            while (n.Op == ModelOp.Elementwise && nodes[n.A].Op == ModelOp.Elementwise && Uses(nodes, n.A) == 1 && n.A != graph.Output)
            {
                var inner = nodes[n.A];
                n = n with { A = inner.A, Function = ScalarRewriter.Compose(n.Function!, inner.Function!), Label = $"{n.Label} ∘ {inner.Label}" };
                nodes[i] = n;
            }
        }
        // Keep nodes reachable from the output; the input node always stays.
        var live = new bool[nodes.Count];
        var stack = new Stack<int>(new[] { graph.Output });
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (id < 0 || live[id]) continue;
            live[id] = true;
            stack.Push(nodes[id].A);
            stack.Push(nodes[id].B);
            stack.Push(nodes[id].C);
        }
        for (int i = 0; i < nodes.Count; i++) if (nodes[i].Op == ModelOp.Input) live[i] = true;
        var map = new int[nodes.Count];
        var kept = new List<ModelNode>();
        for (int i = 0; i < nodes.Count; i++)
        {
            map[i] = -1;
            if (!live[i]) continue;
            map[i] = kept.Count;
            var n = nodes[i];
            kept.Add(n with { A = n.A >= 0 ? map[n.A] : -1, B = n.B >= 0 ? map[n.B] : -1, C = n.C >= 0 ? map[n.C] : -1 });
        }
        return graph with { Nodes = kept.ToEquatableArray(), Output = map[graph.Output] };
    }

    private static int Uses(List<ModelNode> nodes, int id) => nodes.Count(n => n.A == id) + nodes.Count(n => n.B == id) + nodes.Count(n => n.C == id);
}
