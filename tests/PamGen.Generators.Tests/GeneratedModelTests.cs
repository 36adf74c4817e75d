using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Compiles generated models in memory and checks every parameter gradient of Backward against central finite
/// differences of Forward in Ieee mode (objective Σ w·output with seeded weights, inference so dropout is the
/// identity), plus the build-time parameter count and the parameter names and shapes.
/// </summary>
public sealed class GeneratedModelTests
{
    private const string Source = """
        using PamGen;
        using static PamGen.ModelBuiltins;
        using static PamGen.PamMath;
        namespace Run;

        public static partial class Fn
        {
            [PamKernel] public static float Swish(float x) => x / (1 + Exp(-x));
        }

        [PamModel(Seed = 11)]
        public partial class TokenModel
        {
            [Embedding(7, 6, MaxSeq = 4)] private static partial TensorExpr Embed(TensorExpr t);
            [Linear(6, 6)] private static partial TensorExpr Hidden(TensorExpr x);
            [Dropout(0.25f)] private static partial TensorExpr Drop(TensorExpr x);
            [LayerNorm(6)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(6, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t)
            {
                var h = Embed(t);
                h = h + Drop(Gelu(Map(Hidden(h), Fn.Swish)));
                return Head(MeanPool(Norm(h)));
            }
        }

        [PamModel(Seed = 5)]
        public partial class FloatModel
        {
            [LayerNorm(5)] private static partial TensorExpr In(TensorExpr x);
            [Linear(5, 4, Bias = false)] private static partial TensorExpr Up(TensorExpr x);
            [Linear(4, 2)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr x) { var u = Up(In(x)); return Out(Gelu(u) + Map(Up(In(x)), Fn.Swish)); }
        }

        [PamModel(Seed = 13)]
        public partial class EncoderModel
        {
            [Embedding(7, 8, MaxSeq = 4)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Layers = 2, Dim = 8, Heads = 2, Hidden = 12)] private static partial TensorExpr Encoder(TensorExpr x);
            [MultiHeadAttention(8, 4, Causal = true)] private static partial TensorExpr Causal(TensorExpr x);
            [LayerNorm(8)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(8, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) => Head(MeanPool(Norm(Causal(Encoder(Embed(t))))));
        }

        public static class Harness
        {
            public static object Create(string name) => name == "TokenModel" ? new TokenModel(2, 3) : name == "EncoderModel" ? new EncoderModel(2, 3) : new FloatModel(2, 3);
            public static int ParameterCount(string name) => name == "TokenModel" ? TokenModel.ParameterCount : FloatModel.ParameterCount;
            public static System.Collections.Generic.IReadOnlyList<Tensor> Parameters(object m) => m is TokenModel t ? t.Parameters : m is EncoderModel e ? e.Parameters : ((FloatModel)m).Parameters;
            static System.ReadOnlySpan<float> Forward(object m, int[] tokens, float[] features)
                => m is TokenModel t ? t.Forward<IeeeArithmetic, IeeeArithmetic>(tokens)
                    : m is EncoderModel e ? e.Forward<IeeeArithmetic, IeeeArithmetic>(tokens)
                    : ((FloatModel)m).Forward<IeeeArithmetic, IeeeArithmetic>(features);
            public static double Objective(object m, int[] tokens, float[] features, float[] w)
            {
                var o = Forward(m, tokens, features);
                double s = 0;
                for (int i = 0; i < o.Length; i++) s += (double)o[i] * w[i];
                return s;
            }
            public static void Gradient(object m, int[] tokens, float[] features, float[] w)
            {
                Forward(m, tokens, features);
                if (m is TokenModel t) { t.ZeroGrad(); t.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
                else if (m is EncoderModel e) { e.ZeroGrad(); e.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
                else { var f = (FloatModel)m; f.ZeroGrad(); f.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
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

    [Theory]
    [InlineData("TokenModel", 3)]
    [InlineData("FloatModel", 2)]
    [InlineData("EncoderModel", 3)]
    public void ParameterGradientsMatchFiniteDifferencesInIeee(string name, int outWidth)
    {
        var rng = new Random(name.Length);
        var model = Call("Create", name)!;
        int[] tokens = Enumerable.Range(0, 6).Select(_ => rng.Next(7)).ToArray();
        float[] features = Enumerable.Range(0, 2 * 3 * 5).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        int outLength = name == "FloatModel" ? 2 * 3 * outWidth : 2 * outWidth;
        float[] w = Enumerable.Range(0, outLength).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        Call("Gradient", model, tokens, features, w);
        var parameters = (System.Collections.Generic.IReadOnlyList<Tensor>)Call("Parameters", model)!;
        var analytic = parameters.Select(p => p.GradSpan.ToArray()).ToArray();
        // Embeddings start at std 0.1 and feed a LayerNorm, so the step must be well below that scale.
        const float h = 5e-4f;
        double worst = 0;
        string worstAt = "";
        for (int p = 0; p < parameters.Count; p++)
        {
            for (int i = 0; i < parameters[p].Length; i++)
            {
                float keep = parameters[p].Span[i];
                parameters[p].Span[i] = keep + h;
                double plus = (double)Call("Objective", model, tokens, features, w)!;
                parameters[p].Span[i] = keep - h;
                double minus = (double)Call("Objective", model, tokens, features, w)!;
                parameters[p].Span[i] = keep;
                double numeric = (plus - minus) / (2 * h);
                double error = Math.Abs(analytic[p][i] - numeric) / Math.Max(0.1, Math.Abs(numeric));
                if (error > worst) (worst, worstAt) = (error, $"{parameters[p].Name}[{i}]: analytic {analytic[p][i]}, numeric {numeric}");
            }
        }
        Assert.True(worst < 2e-2, $"{name}: worst relative gradient error {worst:E2} at {worstAt}");
    }

    [Fact]
    public void ParameterCountNamesAndShapesFollowTheDeclaration()
    {
        var model = Call("Create", "TokenModel")!;
        var parameters = (System.Collections.Generic.IReadOnlyList<Tensor>)Call("Parameters", model)!;
        Assert.Equal(new[] { "Embed.tokens", "Embed.positions", "Hidden.weight", "Hidden.bias", "Norm.gamma", "Norm.beta", "Head.weight", "Head.bias" },
            parameters.Select(p => p.Name).ToArray());
        Assert.Equal("[3, 6]", parameters.Single(p => p.Name == "Head.weight").ShapeText);
        Assert.Equal("[4, 6]", parameters.Single(p => p.Name == "Embed.positions").ShapeText);
        Assert.Equal(parameters.Sum(p => p.Length), (int)Call("ParameterCount", "TokenModel")!);
        // From the declarations: vocab·dim + maxSeq·dim + (6·6 + 6) + (6 + 6) + (3·6 + 3), and (5 + 5) + 5·4 + (4·2 + 2).
        Assert.Equal(7 * 6 + 4 * 6 + (6 * 6 + 6) + (6 + 6) + (3 * 6 + 3), (int)Call("ParameterCount", "TokenModel")!);
        Assert.Equal((5 + 5) + 5 * 4 + (4 * 2 + 2), (int)Call("ParameterCount", "FloatModel")!);
    }
}
