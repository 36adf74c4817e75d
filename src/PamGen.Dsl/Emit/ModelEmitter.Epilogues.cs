using System.Collections.Generic;
using System.Linq;
using PamGen.Dsl.Model;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Emit;

/// <summary>
/// GEMM epilogue fusion (<see cref="GemmEpilogueFusion"/>): a linear layer and its activation, residual or
/// dropout-and-residual run as one <c>LinearFused</c> call. The residual and dropout-and-residual run in the GEMM's
/// epilogue (backward: the dropout's with the residual's in one pass); the activation runs as one pass right after the
/// GEMM, its backward before the bias-gradient sum (faster than in the epilogue on the CPUs measured).
/// </summary>
public static partial class ModelEmitter
{
    private static IEnumerable<(string, string)> FusionFacts(Plan m)
    {
        if (m.Epilogues.Count == 0) return Enumerable.Empty<(string, string)>();
        return new[]
        {
            ("epilogues", string.Join("\n", m.Epilogues.Select(e => e.Kind switch
            {
                GemmEpilogueKind.Activation => $"n{e.Consumer} = {m.Graph.Nodes[e.Consumer].Label}(n{e.Linear}) right after the GEMM of n{e.Linear} (backward: before n{e.Linear}'s bias-gradient sum)",
                GemmEpilogueKind.DropoutResidual => $"n{e.Consumer} = n{e.Residual} + n{e.Dropout}, n{e.Dropout} = {m.Graph.Nodes[e.Dropout].Label}(n{e.Linear}) in the GEMM of n{e.Linear} (backward: dropout and residual in one pass)",
                _ => $"n{e.Consumer} = n{e.Residual} + n{e.Linear} in the GEMM of n{e.Linear} (n{e.Linear} has no tensor of its own)",
            }))),
        };
    }

    private static GemmEpilogue? EpilogueOf(Plan m, int node) => m.Epilogues.FirstOrDefault(e => e.Linear == node || e.Consumer == node || e.Dropout == node);

    private static string BiasSpan(Plan m, LayerDecl l, string span) => l.Bias ? $"{m.Field(l.Name, "Bias")}.{span}" : "default";

    /// <summary>Writes node <paramref name="i"/>'s forward when it takes part in an epilogue fusion; false otherwise.</summary>
    private static bool FusedForward(SourceWriter w, Plan m, int i)
    {
        if (EpilogueOf(m, i) is not { } e) return false;
        if (e.Consumer == i || e.Dropout == i)
        {
            w.Line($"// (computed with n{e.Linear}'s GEMM)");
            return true;
        }
        var n = m.Graph.Nodes[i];
        var l = m.Layers[n.Layer];
        string args = $"{m.Node(n.A)}.Span, {m.Field(l.Name, "Weight")}.Span, {BiasSpan(m, l, "Span")}, {m.Rows(i)}, {l.A}, {l.B}";
        if (e.Kind == GemmEpilogueKind.DropoutResidual)
        {
            var drop = m.Layers[m.Graph.Nodes[e.Dropout].Layer];
            w.Line($"// n{e.Consumer} = n{e.Residual} + n{e.Dropout}, n{e.Dropout} = {drop.Name}(n{i}) fused into the epilogue (no dropout outside training)");
            w.Line($"if (training) {G}LinearFused.ForwardDropoutResidual<TMatmul, TElem>({m.Node(e.Consumer)}.Span, {m.Node(e.Residual)}.Span, {args}, {ScalarPrinter.Literal(drop.Probability)}, _dropoutSeed + {e.Dropout}UL);");
            w.Line($"else {G}LinearFused.ForwardResidual<TMatmul>({m.Node(e.Consumer)}.Span, {m.Node(e.Residual)}.Span, {args});");
        }
        else if (e.Kind == GemmEpilogueKind.Activation)
        {
            w.Line($"// n{e.Consumer} = {m.Graph.Nodes[e.Consumer].Label}(n{i}) in one pass right after the GEMM (n{i} keeps the pre-activation)");
            w.Line($"{G}LinearFused.ForwardActivation<TMatmul, Fused{e.Consumer}Kernel<TElem>>({m.Node(e.Consumer)}.Span, {m.Node(i)}.Span, {args});");
        }
        else
        {
            w.Line($"// n{e.Consumer} = n{e.Residual} + n{i} fused into the epilogue");
            w.Line($"{G}LinearFused.ForwardResidual<TMatmul>({m.Node(e.Consumer)}.Span, {m.Node(e.Residual)}.Span, {args});");
        }
        return true;
    }

    /// <summary>Writes node <paramref name="i"/>'s backward when it takes part in an epilogue fusion; false otherwise.</summary>
    private static bool FusedBackward(SourceWriter w, Plan m, int i)
    {
        if (EpilogueOf(m, i) is not { } e) return false;
        var linear = m.Graph.Nodes[e.Linear];
        var l = m.Layers[linear.Layer];
        if (e.Dropout == i)
        {
            w.Line($"// (with n{e.Consumer}'s backward)");
            return true;
        }
        if (e.Consumer == i)
        {
            if (e.Kind == GemmEpilogueKind.DropoutResidual)
            {
                var drop = m.Layers[m.Graph.Nodes[e.Dropout].Layer];
                w.Line($"// residual branch, and n{e.Dropout}'s backward into n{e.Linear}'s gradient, in one pass");
                w.Line($"if (_training) {G}Dropout.BackwardResidual<TElem>({m.Node(e.Residual)}.GradSpan, {m.Node(e.Linear)}.GradSpan, {m.Node(i)}.GradSpan, {ScalarPrinter.Literal(drop.Probability)}, _dropoutSeed + {e.Dropout}UL);");
                w.Line("else");
                w.Open();
                w.Line($"{G}LinearFused.BackwardResidual({m.Node(e.Residual)}.GradSpan, {m.Node(i)}.GradSpan);");
                w.Line($"{G}LinearFused.BackwardResidual({m.Node(e.Linear)}.GradSpan, {m.Node(i)}.GradSpan);");
                w.Close();
            }
            else if (e.Kind == GemmEpilogueKind.Activation)
            {
                w.Line($"// activation derivative, then n{e.Linear}'s bias gradient");
                w.Line($"{G}LinearFused.BackwardActivation<Fused{i}Kernel<TElem>>({m.Node(e.Linear)}.GradSpan, {BiasSpan(m, l, "GradSpan")}, {m.Node(i)}.GradSpan, {m.Node(e.Linear)}.Span, {m.Rows(i)}, {l.B});");
            }
            else
            {
                w.Line($"// residual branch; n{e.Linear} reads n{i}'s gradient as its own");
                w.Line($"{G}LinearFused.BackwardResidual({m.Node(e.Residual)}.GradSpan, {m.Node(i)}.GradSpan);");
            }
            return true;
        }
        bool activation = e.Kind == GemmEpilogueKind.Activation;
        string dOutput = activation || e.Kind == GemmEpilogueKind.DropoutResidual ? m.Node(i) : m.Node(e.Consumer);
        if (activation) w.Line($"// (bias gradient already summed with n{e.Consumer}'s backward)");
        w.Line($"{G}Linear.Backward<TMatmul>({m.Node(linear.A)}.GradSpan, {m.Field(l.Name, "Weight")}.GradSpan, {(activation ? "default" : BiasSpan(m, l, "GradSpan"))}, {dOutput}.GradSpan, {m.Node(linear.A)}.Span, {m.Field(l.Name, "Weight")}.Span, {m.Rows(i)}, {l.A}, {l.B});");
        return true;
    }

    /// <summary>For an elementwise node fused into a GEMM epilogue: the kernel struct the runtime's <c>LinearFused</c> calls.</summary>
    private static void EpilogueKernel(SourceWriter w, Plan m, int i)
    {
        if (EpilogueOf(m, i) is not { Kind: GemmEpilogueKind.Activation } e || e.Consumer != i) return;
        w.Line();
        w.Line($"/// <summary>n{i} = {Escape(m.Graph.Nodes[i].Label)}(x) as the elementwise kernel run right after n{e.Linear}'s GEMM and in its backward.</summary>");
        w.Line($"private readonly struct Fused{i}Kernel<TArith> : {G}IElementwiseKernel where TArith : struct, {G}IArithmetic");
        w.Open();
        w.Line($"public void Forward(global::System.Span<float> output, global::System.ReadOnlySpan<float> input) => Fused{i}Forward<TArith>(output, input);");
        w.Line($"public void Backward(global::System.Span<float> dInput, global::System.ReadOnlySpan<float> dOutput, global::System.ReadOnlySpan<float> input) => Fused{i}Backward<TArith>(dInput, dOutput, input);");
        w.Close();
    }
}
