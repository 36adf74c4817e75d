using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Every parameter gradient of generated models built from the block layers (TransformerDecoder with causal
/// self-attention and cross-attention, FeedForward, PositionalEmbedding, cross-attention MultiHeadAttention,
/// two inputs, padding masks from a pad token and from a [Mask] input) against central finite differences of Forward in Ieee mode (objective Σ w·output).
/// </summary>
public sealed class BlockGradientTests
{
    private const string Source = """
        using PamGen;
        using static PamGen.ModelBuiltins;
        namespace Run;

        [PamModel(Seed = 17, PadToken = 0)]
        public partial class Translator
        {
            [Embedding(7, 8, MaxSeq = 4)] private static partial TensorExpr Src(TensorExpr t);
            [Embedding(7, 8, MaxSeq = 4)] private static partial TensorExpr Tgt(TensorExpr t);
            [FeedForward(8, 10)] private static partial TensorExpr Ff(TensorExpr x);
            [TransformerDecoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 12)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [Linear(8, 5)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr source, TensorExpr target)
            {
                var m = Src(source);
                return Head(Decoder(Tgt(target), m + Ff(m)));
            }
        }

        [PamModel(Seed = 19)]
        public partial class Forecaster
        {
            [Linear(3, 8)] private static partial TensorExpr In(TensorExpr x);
            [PositionalEmbedding(4, 8)] private static partial TensorExpr Positions(TensorExpr x);
            [Linear(5, 8)] private static partial TensorExpr Context(TensorExpr x);
            [LayerNorm(8)] private static partial TensorExpr Norm(TensorExpr x);
            [MultiHeadAttention(8, 2)] private static partial TensorExpr Cross(TensorExpr x, TensorExpr memory);
            [Linear(8, 2)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr series, TensorExpr context)
            {
                var h = Positions(In(series));
                h = h + Cross(Norm(h), Context(context));
                return Out(MeanPool(h));
            }
        }

        [PamModel(Seed = 31)]
        public partial class MaskedSeries
        {
            [Linear(3, 8)] private static partial TensorExpr In(TensorExpr x);
            [PositionalEmbedding(4, 8)] private static partial TensorExpr Positions(TensorExpr x);
            [MultiHeadAttention(8, 2)] private static partial TensorExpr Attn(TensorExpr x);
            [Linear(8, 2)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr series, [Mask(nameof(series))] TensorExpr keep)
            {
                var h = Positions(In(series));
                return Out(MeanPool(h + Attn(h)));
            }
        }

        public static class Harness
        {
            // Batch 2 × 4 positions; the second series ends in two padding positions.
            static readonly byte[] Keep = { 1, 1, 1, 1, 1, 1, 0, 0 };
            // Batch 2; Translator: source 3, target 4 tokens; Forecaster: series 4 × 3 features, context 2 × 5.
            public static object Create(string name) => name == "Translator" ? new Translator(2, 3, 4) : name == "MaskedSeries" ? new MaskedSeries(2, 4) : new Forecaster(2, 4, 2);
            public static System.Collections.Generic.IReadOnlyList<Tensor> Parameters(object m)
                => m is Translator t ? t.Parameters : m is MaskedSeries s ? s.Parameters : ((Forecaster)m).Parameters;
            static System.ReadOnlySpan<float> Forward(object m, int[] source, int[] target, float[] series, float[] context)
                => m is Translator t ? t.Forward<IeeeArithmetic, IeeeArithmetic>(source, target)
                    : m is MaskedSeries s ? s.Forward<IeeeArithmetic, IeeeArithmetic>(series, Keep)
                    : ((Forecaster)m).Forward<IeeeArithmetic, IeeeArithmetic>(series, context);
            public static double Objective(object m, int[] source, int[] target, float[] series, float[] context, float[] w)
            {
                var o = Forward(m, source, target, series, context);
                double s = 0;
                for (int i = 0; i < o.Length; i++) s += (double)o[i] * w[i];
                return s;
            }
            public static void Gradient(object m, int[] source, int[] target, float[] series, float[] context, float[] w)
            {
                Forward(m, source, target, series, context);
                if (m is Translator t) { t.ZeroGrad(); t.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
                else if (m is MaskedSeries s) { s.ZeroGrad(); s.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
                else { var f = (Forecaster)m; f.ZeroGrad(); f.Backward<IeeeArithmetic, IeeeArithmetic>(w); }
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
    [InlineData("Translator", 2 * 4 * 5)]
    [InlineData("Forecaster", 2 * 2)]
    [InlineData("MaskedSeries", 2 * 2)]
    public void ParameterGradientsMatchFiniteDifferencesInIeee(string name, int outLength)
    {
        var rng = new Random(name.Length + 100);
        var model = Call("Create", name)!;
        // Padding (0) ends the second source and target rows, so the key masks take part.
        int[] source = { 3, 1, 5, 2, 6, 0 };
        int[] target = { 4, 2, 6, 1, 5, 3, 0, 0 };
        float[] series = Enumerable.Range(0, 2 * 4 * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] context = Enumerable.Range(0, 2 * 2 * 5).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] w = Enumerable.Range(0, outLength).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        Call("Gradient", model, source, target, series, context, w);
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
                double plus = (double)Call("Objective", model, source, target, series, context, w)!;
                parameters[p].Span[i] = keep - h;
                double minus = (double)Call("Objective", model, source, target, series, context, w)!;
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
}
