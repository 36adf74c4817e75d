using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Generated image models — a small CNN (Conv2d with padding and stride, MaxPool, global MeanPool) and a
/// patch-embedding transformer (PatchEmbedding, PositionalEmbedding, encoder block) — against central finite
/// differences of Forward in Ieee mode for every parameter gradient, and trained a few steps in Pam mode.
/// </summary>
public sealed class ImageLayerTests
{
    private const string Source = """
        using PamGen;
        using static PamGen.ModelBuiltins;
        namespace Run;

        [PamModel(Seed = 23)]
        public partial class Cnn
        {
            [Conv2d(2, 3, 3, Padding = 1)] private static partial TensorExpr Conv1(TensorExpr x);
            [MaxPool(2)] private static partial TensorExpr Pool(TensorExpr x);
            [Conv2d(3, 4, 2, Stride = 1)] private static partial TensorExpr Conv2(TensorExpr x);
            [Linear(4, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model([Image(2, 6, 6)] TensorExpr pixels) => Head(MeanPool(Gelu(Conv2(Pool(Relu(Conv1(pixels)))))));
        }

        [PamModel(Seed = 29)]
        public partial class Vit
        {
            [PatchEmbedding(ImageSize = 4, Patch = 2, Channels = 1, Dim = 8)] private static partial TensorExpr Patches(TensorExpr x);
            [PositionalEmbedding(4, 8)] private static partial TensorExpr Positions(TensorExpr x);
            [TransformerEncoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 12)] private static partial TensorExpr Encoder(TensorExpr x);
            [LayerNorm(8)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(8, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model([Image(1, 4, 4)] TensorExpr pixels) => Head(MeanPool(Norm(Encoder(Positions(Patches(pixels))))));
        }

        public static class Harness
        {
            public static object Create(string name) => name == "Cnn" ? new Cnn(2) : new Vit(2);
            public static System.Collections.Generic.IReadOnlyList<Tensor> Parameters(object m) => m is Cnn c ? c.Parameters : ((Vit)m).Parameters;
            static System.ReadOnlySpan<float> Forward(object m, float[] pixels)
                => m is Cnn c ? c.Forward<IeeeArithmetic, IeeeArithmetic>(pixels) : ((Vit)m).Forward<IeeeArithmetic, IeeeArithmetic>(pixels);
            public static double Objective(object m, float[] pixels, float[] w)
            {
                var o = Forward(m, pixels);
                double s = 0;
                for (int i = 0; i < o.Length; i++) s += (double)o[i] * w[i];
                return s;
            }
            public static void Gradient(object m, float[] pixels, float[] w)
            {
                Forward(m, pixels);
                if (m is Cnn c) { c.ZeroGrad(); c.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
                else { var v = (Vit)m; v.ZeroGrad(); v.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
            }
            public static float[] TrainPam(string name, float[] pixels, int[] labels)
            {
                var losses = new float[20];
                var options = new AdamWOptions(WeightDecay: 0f);
                var cnn = new Cnn(2);
                var vit = new Vit(2);
                for (int step = 1; step <= 20; step++)
                    losses[step - 1] = name == "Cnn"
                        ? cnn.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(pixels, labels, 0.02f, step, options)
                        : vit.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(pixels, labels, 0.02f, step, options);
                return losses;
            }
        }
        """;

    private static readonly Lazy<Type> Harness = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(Source);
        Assert.Empty(diagnostics);
        return GeneratorHarness.Load(output).GetType("Run.Harness")!;
    });

    private static object? Call(string method, params object?[] args)
    {
        try
        {
            return Harness.Value.GetMethod(method)!.Invoke(null, args);
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    private static float[] Pixels(string name, Random rng) => Enumerable.Range(0, name == "Cnn" ? 2 * 2 * 6 * 6 : 2 * 16).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData("Cnn")]
    [InlineData("Vit")]
    public void ParameterGradientsMatchFiniteDifferencesInIeee(string name)
    {
        var rng = new Random(name.Length + 200);
        var model = Call("Create", name)!;
        float[] pixels = Pixels(name, rng);
        float[] w = Enumerable.Range(0, 2 * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        Call("Gradient", model, pixels, w);
        var parameters = (IReadOnlyList<Tensor>)Call("Parameters", model)!;
        var analytic = parameters.Select(p => p.GradSpan.ToArray()).ToArray();
        const float h = 5e-4f;
        double worst = 0;
        string worstAt = "";
        int nonZero = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            for (int i = 0; i < parameters[p].Length; i++)
            {
                float keep = parameters[p].Span[i];
                parameters[p].Span[i] = keep + h;
                double plus = (double)Call("Objective", model, pixels, w)!;
                parameters[p].Span[i] = keep - h;
                double minus = (double)Call("Objective", model, pixels, w)!;
                parameters[p].Span[i] = keep;
                double numeric = (plus - minus) / (2 * h);
                if (analytic[p][i] != 0f) nonZero++;
                double error = Math.Abs(analytic[p][i] - numeric) / Math.Max(0.1, Math.Abs(numeric));
                if (error > worst) (worst, worstAt) = (error, $"{parameters[p].Name}[{i}]: analytic {analytic[p][i]}, numeric {numeric}");
            }
        }
        Assert.True(nonZero > parameters.Sum(p => p.Length) / 2, $"{name}: only {nonZero} non-zero gradients");
        Assert.True(worst < 2e-2, $"{name}: worst relative gradient error {worst:E2} at {worstAt}");
    }

    [Theory]
    [InlineData("Cnn")]
    [InlineData("Vit")]
    public void PamTrainingLowersTheLoss(string name)
    {
        var rng = new Random(name.Length + 300);
        var losses = (float[])Call("TrainPam", name, Pixels(name, rng), new[] { 0, 2 })!;
        Assert.All(losses, l => Assert.True(float.IsFinite(l), $"{name}: non-finite loss in [{string.Join(", ", losses)}]"));
        Assert.True(losses[^1] < losses[0] / 2, $"{name}: loss {losses[0]} → {losses[^1]}; all: [{string.Join(", ", losses)}]");
    }
}
