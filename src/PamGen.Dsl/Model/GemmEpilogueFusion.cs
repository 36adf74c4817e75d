using System.Collections.Generic;
using System.Linq;

namespace PamGen.Dsl.Model;

/// <summary>What a linear layer's GEMM epilogue absorbs.</summary>
public enum GemmEpilogueKind
{
    /// <summary>
    /// An elementwise node applied to the linear output: <c>f(x·Wᵀ + b)</c>; the pre-activation stays the linear node's
    /// tensor. The runtime (<c>LinearFused.ForwardActivation</c>) applies f in one pass right after the GEMM, which
    /// measured faster than applying it in the epilogue.
    /// </summary>
    Activation,
    /// <summary>A residual sum with the linear output: <c>r + (x·Wᵀ + b)</c>; the linear node gets no tensor of its own.</summary>
    Residual,
    /// <summary>
    /// A residual sum with the linear output through a dropout layer: <c>r + Dropout(x·Wᵀ + b)</c>; the dropout node
    /// gets no tensor of its own and the linear node keeps only its gradient's role (the dropout's backward writes it).
    /// </summary>
    DropoutResidual,
}

/// <summary>One fusion: linear node <paramref name="Linear"/> and its only consumer <paramref name="Consumer"/>.</summary>
/// <param name="Linear">The linear layer's node.</param>
/// <param name="Kind">What is fused.</param>
/// <param name="Consumer">The elementwise or add node computed inside the GEMM.</param>
/// <param name="Residual">For <see cref="GemmEpilogueKind.Residual"/> and <see cref="GemmEpilogueKind.DropoutResidual"/>: the add's other operand (computed before the linear node), else −1.</param>
/// <param name="Dropout">For <see cref="GemmEpilogueKind.DropoutResidual"/>: the dropout node between the linear node and the add, else −1.</param>
public sealed record GemmEpilogue(int Linear, GemmEpilogueKind Kind, int Consumer, int Residual, int Dropout = -1);

/// <summary>
/// A pass over a fused model graph (after <see cref="ModelFusion.Fuse"/>) choosing which linear layers run their
/// consumer in the GEMM epilogue. A linear node qualifies when it is not the output, its value has exactly one use
/// and its layer is called once (so moving the bias-gradient sum next to the activation's backward keeps every
/// gradient's order of additions); an add qualifies when its other operand is computed before the linear node.
/// The rewrite keeps each element's operations and their order, so fused and unfused models give the same bits.
/// </summary>
public static class GemmEpilogueFusion
{
    /// <summary>The fusions, by consumer node order.</summary>
    public static IReadOnlyList<GemmEpilogue> Plan(ModelGraph graph)
    {
        var nodes = graph.Nodes;
        var uses = new int[nodes.Count];
        foreach (var n in nodes)
        {
            if (n.A >= 0) uses[n.A]++;
            if (n.B >= 0) uses[n.B]++;
            if (n.C >= 0) uses[n.C]++;
        }
        var calls = nodes.Where(n => n.Op == ModelOp.Layer).GroupBy(n => n.Layer).ToDictionary(g => g.Key, g => g.Count());
        var linear = graph.Layers.Where(l => l.Kind == LayerKind.Linear).Select(l => l.Name).ToList();
        var dropout = graph.Layers.Where(l => l.Kind == LayerKind.Dropout).Select(l => l.Name).ToList();

        bool Fusable(int i) => i >= 0 && i != graph.Output && uses[i] == 1 && nodes[i].Op == ModelOp.Layer
            && linear.Contains(nodes[i].Layer) && calls[nodes[i].Layer] == 1;
        // A dropout node used once whose input is a fusable linear node: the pair runs as one epilogue before a residual sum.
        bool FusableDropout(int i) => i >= 0 && i != graph.Output && uses[i] == 1 && nodes[i].Op == ModelOp.Layer
            && dropout.Contains(nodes[i].Layer) && Fusable(nodes[i].A);

        var plan = new List<GemmEpilogue>();
        for (int j = 0; j < nodes.Count; j++)
        {
            var n = nodes[j];
            if (n.Op == ModelOp.Elementwise && Fusable(n.A))
            {
                plan.Add(new GemmEpilogue(n.A, GemmEpilogueKind.Activation, j, -1));
            }
            else if (n.Op == ModelOp.Add && n.A != n.B)
            {
                // Prefer the later linear operand: the other one must already be computed when its GEMM runs.
                int lin = Fusable(n.B) && n.A < n.B ? n.B : Fusable(n.A) && n.B < n.A ? n.A : -1;
                int drop = lin >= 0 ? -1 : FusableDropout(n.B) && n.A < nodes[n.B].A ? n.B : FusableDropout(n.A) && n.B < nodes[n.A].A ? n.A : -1;
                if (lin >= 0)
                    plan.Add(new GemmEpilogue(lin, GemmEpilogueKind.Residual, j, n.A == lin ? n.B : n.A));
                else if (drop >= 0)
                    plan.Add(new GemmEpilogue(nodes[drop].A, GemmEpilogueKind.DropoutResidual, j, n.A == drop ? n.B : n.A, drop));
            }
        }
        return plan;
    }
}
