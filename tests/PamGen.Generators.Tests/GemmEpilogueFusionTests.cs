using System.Linq;
using PamGen.Dsl;
using PamGen.Dsl.Model;
using PamGen.Dsl.Scalar;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>Which linear layers the DSL's epilogue-fusion pass fuses, on hand-built graphs.</summary>
public sealed class GemmEpilogueFusionTests
{
    private static readonly ScalarExpr Identity = new ParamExpr(0);

    private static LayerDecl Linear(string name) => new(name, LayerKind.Linear, 4, 4, 0, 0, 0f, true, false, "private static", "x");

    private static ModelNode Layer(string name, int a) => new(ModelOp.Layer, name, a, -1, null, name);
    private static ModelNode Act(int a) => new(ModelOp.Elementwise, "", a, -1, Identity, "Id");
    private static ModelNode Sum(int a, int b) => new(ModelOp.Add, "", a, b, null, "+");

    private static ModelGraph Graph(int output, params ModelNode[] nodes) => new("M", 1,
        new[] { Linear("A"), Linear("B"), Linear("C") }.ToEquatableArray(),
        new[] { new ModelNode(ModelOp.Input, "", -1, -1, null, "x") }.Concat(nodes).ToEquatableArray(), output, "x", "");

    [Fact]
    public void ActivationAndResidualOfSingleUseLinearsAreFused()
    {
        // 1 = A(x), 2 = f(1), 3 = B(2), 4 = 0 + 3
        var plan = GemmEpilogueFusion.Plan(Graph(4, Layer("A", 0), Act(1), Layer("B", 2), Sum(0, 3)));
        Assert.Equal(new[] { new GemmEpilogue(1, GemmEpilogueKind.Activation, 2, -1), new GemmEpilogue(3, GemmEpilogueKind.Residual, 4, 0) }, plan);
    }

    [Fact]
    public void ALinearUsedTwiceOrCalledTwiceOrTheOutputStaysUnfused()
    {
        // 1 = A(x) used by 2 and 3
        Assert.Empty(GemmEpilogueFusion.Plan(Graph(4, Layer("A", 0), Act(1), Act(1), Sum(2, 3))));
        // layer A called twice: 1 = A(x), 2 = f(1), 3 = A(2)
        Assert.Empty(GemmEpilogueFusion.Plan(Graph(3, Layer("A", 0), Act(1), Layer("A", 2))));
        // 1 = A(x) is the output
        Assert.Empty(GemmEpilogueFusion.Plan(Graph(1, Layer("A", 0))));
    }

    [Fact]
    public void AResidualFusesTheLaterLinearSoTheOtherOperandExists()
    {
        // 1 = A(x), 2 = B(x), 3 = 1 + 2: B's GEMM adds A's output; A itself stays a plain linear.
        var plan = GemmEpilogueFusion.Plan(Graph(3, Layer("A", 0), Layer("B", 0), Sum(1, 2)));
        Assert.Equal(new[] { new GemmEpilogue(2, GemmEpilogueKind.Residual, 3, 1) }, plan);
    }
}
