using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Generated transformers against the runtime's hand-assembled <c>TransformerClassifier</c> and
/// <c>TransformerSeq2Seq</c> built from the same configuration and seed, in each training mode: the generated
/// parameters follow the runtime's order, names aside, so one seed initialises both alike (checked bit for bit),
/// and one training step must give the same loss, logits, every parameter gradient and every parameter after the
/// AdamW update bit for bit (the generated
/// model runs the same ops in the same order: the runtime's Gelu, key-padding masks, causal masks,
/// cross-attention, pooling over real tokens and a loss that ignores padding targets).
/// </summary>
public sealed class TransformerEquivalenceTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using PamGen;
        using static PamGen.ModelBuiltins;
        namespace Run;

        [PamModel(Seed = 7, PadToken = 0)]
        public partial class Classifier
        {
            [Embedding(11, 8, MaxSeq = 6)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Layers = 2, Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Encoder(TensorExpr x);
            [LayerNorm(8)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(8, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr tokens) => Head(MeanPool(Norm(Encoder(Embed(tokens)))));
        }

        // The same classifier with its padding given as a [Mask] input instead of PadToken.
        [PamModel(Seed = 7)]
        public partial class MaskedClassifier
        {
            [Embedding(11, 8, MaxSeq = 6)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Layers = 2, Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Encoder(TensorExpr x);
            [LayerNorm(8)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(8, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr tokens, [Mask(nameof(tokens))] TensorExpr keep) => Head(MeanPool(Norm(Encoder(Embed(tokens)))));
        }

        [PamModel(Seed = 9, PadToken = 0)]
        public partial class Translator
        {
            [Embedding(11, 8, MaxSeq = 6)] private static partial TensorExpr SourceEmbed(TensorExpr t);
            [TransformerEncoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Encoder(TensorExpr x);
            [LayerNorm(8)] private static partial TensorExpr EncoderNorm(TensorExpr x);
            [Embedding(11, 8, MaxSeq = 6)] private static partial TensorExpr TargetEmbed(TensorExpr t);
            [TransformerDecoder(Layers = 2, Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [LayerNorm(8)] private static partial TensorExpr DecoderNorm(TensorExpr x);
            [Linear(8, 11)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr source, TensorExpr target)
            {
                var memory = EncoderNorm(Encoder(SourceEmbed(source)));
                return Head(DecoderNorm(Decoder(TargetEmbed(target), memory)));
            }
        }

        public static class Harness
        {
            public const int B = 3, Ts = 5, Tt = 4;
            static readonly AdamWOptions Adam = new();
            static readonly TrainingOptions Options = new(MaxGradNorm: 0f);
            // The runtime's learning rate of its first step (TrainingOptions' default warm-up + cosine schedule).
            static float Rate<TElem>() where TElem : struct, IArithmetic => new WarmupCosineSchedule(1e-3f, 1e-4f, 10, 1000).At<TElem>(0);

            static TrainingMode Mode(string mode) => Enum.Parse<TrainingMode>(mode);

            static float[][] Values(System.Collections.Generic.IReadOnlyList<Tensor> ps) => ps.Select(p => p.Span.ToArray()).ToArray();
            static float[][] Grads(System.Collections.Generic.IReadOnlyList<Tensor> ps) => ps.Select(p => p.GradSpan.ToArray()).ToArray();
            static string[] Shapes(System.Collections.Generic.IReadOnlyList<Tensor> ps) => ps.Select(p => p.Name + " " + p.ShapeText).ToArray();

            // Result: initial parameters, loss, logits, parameter gradients, parameter names with shapes.
            public static (float[][], float, float[], float[][], string[], float[][]) RuntimeClassifier(string mode, int[,] tokens, int[] labels)
            {
                var model = TransformerClassifier.Create(Mode(mode), new TransformerConfig(11, 8, 2, 2, 16, 6, Classes: 3, PadToken: 0, Seed: 7), Options, B, Ts);
                var init = Values(model.Parameters);
                float loss = model.TrainStep(tokens, labels);
                return (init, loss, model.Arena.Activations.Single(a => a.Name == "head").Span.ToArray(), Grads(model.Parameters), Shapes(model.Parameters), Values(model.Parameters));
            }

            public static (float[][], float, float[], float[][], string[], float[][]) GeneratedClassifier(string mode, int[,] tokens, int[] labels)
            {
                var net = new Classifier(B, Ts);
                var flat = tokens.Cast<int>().ToArray();
                float loss;
                float[][] init;
                switch (mode)
                {
                    case "Ieee":
                        net.InitializeParameters<IeeeArithmetic>(); init = Values(net.Parameters);
                        loss = net.TrainStep<IeeeArithmetic, IeeeArithmetic>(flat, labels, Rate<IeeeArithmetic>(), 1, Adam); break;
                    case "PamMatmul":
                        net.InitializeParameters<IeeeArithmetic>(); init = Values(net.Parameters);
                        loss = net.TrainStep<PamArithmetic<PamDefaults>, IeeeArithmetic>(flat, labels, Rate<IeeeArithmetic>(), 1, Adam); break;
                    default:
                        net.InitializeParameters<PamArithmetic<PamDefaults>>(); init = Values(net.Parameters);
                        loss = net.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(flat, labels, Rate<PamArithmetic<PamDefaults>>(), 1, Adam); break;
                }
                return (init, loss, net.Arena.Activations[^1].Span.ToArray(), Grads(net.Parameters), Shapes(net.Parameters), Values(net.Parameters));
            }

            public static (float[][], float, float[], float[][], string[], float[][]) GeneratedMaskedClassifier(string mode, int[,] tokens, int[] labels)
            {
                var net = new MaskedClassifier(B, Ts);
                var flat = tokens.Cast<int>().ToArray();
                var keep = flat.Select(t => t == 0 ? (byte)0 : (byte)1).ToArray();
                float loss;
                float[][] init;
                switch (mode)
                {
                    case "Ieee":
                        net.InitializeParameters<IeeeArithmetic>(); init = Values(net.Parameters);
                        loss = net.TrainStep<IeeeArithmetic, IeeeArithmetic>(flat, keep, labels, Rate<IeeeArithmetic>(), 1, Adam); break;
                    case "PamMatmul":
                        net.InitializeParameters<IeeeArithmetic>(); init = Values(net.Parameters);
                        loss = net.TrainStep<PamArithmetic<PamDefaults>, IeeeArithmetic>(flat, keep, labels, Rate<IeeeArithmetic>(), 1, Adam); break;
                    default:
                        net.InitializeParameters<PamArithmetic<PamDefaults>>(); init = Values(net.Parameters);
                        loss = net.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(flat, keep, labels, Rate<PamArithmetic<PamDefaults>>(), 1, Adam); break;
                }
                return (init, loss, net.Arena.Activations[^1].Span.ToArray(), Grads(net.Parameters), Shapes(net.Parameters), Values(net.Parameters));
            }

            public static (float[][], float, float[], float[][], string[], float[][]) RuntimeTranslator(string mode, int[,] source, int[,] targetIn, int[,] targetOut)
            {
                var config = new TransformerConfig(11, 8, 2, 1, 16, 6, DecoderLayers: 2, PadToken: 0, Seed: 9);
                var model = TransformerSeq2Seq.Create(Mode(mode), config, Options, B, Ts, Tt);
                var init = Values(model.Parameters);
                float loss = model.TrainStep(source, targetIn, targetOut);
                return (init, loss, model.Arena.Activations.Single(a => a.Name == "head").Span.ToArray(), Grads(model.Parameters), Shapes(model.Parameters), Values(model.Parameters));
            }

            public static (float[][], float, float[], float[][], string[], float[][]) GeneratedTranslator(string mode, int[,] source, int[,] targetIn, int[,] targetOut)
            {
                var net = new Translator(B, Ts, Tt);
                int[] s = source.Cast<int>().ToArray(), ti = targetIn.Cast<int>().ToArray(), to = targetOut.Cast<int>().ToArray();
                float loss;
                float[][] init;
                switch (mode)
                {
                    case "Ieee":
                        net.InitializeParameters<IeeeArithmetic>(); init = Values(net.Parameters);
                        loss = net.TrainStep<IeeeArithmetic, IeeeArithmetic>(s, ti, to, Rate<IeeeArithmetic>(), 1, Adam); break;
                    case "PamMatmul":
                        net.InitializeParameters<IeeeArithmetic>(); init = Values(net.Parameters);
                        loss = net.TrainStep<PamArithmetic<PamDefaults>, IeeeArithmetic>(s, ti, to, Rate<IeeeArithmetic>(), 1, Adam); break;
                    default:
                        net.InitializeParameters<PamArithmetic<PamDefaults>>(); init = Values(net.Parameters);
                        loss = net.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(s, ti, to, Rate<PamArithmetic<PamDefaults>>(), 1, Adam); break;
                }
                return (init, loss, net.Arena.Activations[^1].Span.ToArray(), Grads(net.Parameters), Shapes(net.Parameters), Values(net.Parameters));
            }
        }
        """;

    private static readonly Lazy<Type> Harness = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(Source);
        Assert.Empty(diagnostics);
        return GeneratorHarness.Load(output).GetType("Run.Harness")!;
    });

    private static (float[][] Init, float Loss, float[] Logits, float[][] Grads, string[] Names, float[][] After) Call(string method, params object[] args)
    {
        try
        {
            return ((float[][], float, float[], float[][], string[], float[][]))Harness.Value.GetMethod(method)!.Invoke(null, args)!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    // Token ids in [1, 11) with padding (0) at the end of some rows; every row keeps at least two real tokens.
    private static int[,] Tokens(Random rng, int rows, int cols)
    {
        var t = new int[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            int real = 2 + rng.Next(cols - 1);
            for (int c = 0; c < cols; c++) t[r, c] = c < real ? 1 + rng.Next(10) : 0;
        }
        return t;
    }

    [Theory]
    [InlineData("Ieee")]
    [InlineData("PamMatmul")]
    [InlineData("Pam")]
    public void GeneratedEncoderClassifierEqualsRuntimeTransformerClassifier(string mode)
    {
        var rng = new Random(31 + mode.Length);
        var tokens = Tokens(rng, 3, 5);
        int[] labels = Enumerable.Range(0, 3).Select(_ => rng.Next(3)).ToArray();
        var runtime = Call("RuntimeClassifier", mode, tokens, labels);
        var generated = Call("GeneratedClassifier", mode, tokens, labels);
        AssertSame(mode, runtime, generated);
    }

    [Theory]
    [InlineData("Ieee")]
    [InlineData("PamMatmul")]
    [InlineData("Pam")]
    public void GeneratedClassifierWithMaskInputEqualsRuntimeWithPadToken(string mode)
    {
        var rng = new Random(77 + mode.Length);
        var tokens = Tokens(rng, 3, 5);
        int[] labels = Enumerable.Range(0, 3).Select(_ => rng.Next(3)).ToArray();
        var runtime = Call("RuntimeClassifier", mode, tokens, labels);
        var generated = Call("GeneratedMaskedClassifier", mode, tokens, labels);
        AssertSame(mode, runtime, generated);
    }

    [Theory]
    [InlineData("Ieee")]
    [InlineData("PamMatmul")]
    [InlineData("Pam")]
    public void GeneratedEncoderDecoderEqualsRuntimeTransformerSeq2Seq(string mode)
    {
        var rng = new Random(57 + mode.Length);
        var source = Tokens(rng, 3, 5);
        var target = Tokens(rng, 3, 5);
        // Teacher forcing: the decoder reads target[0..3] and predicts target[1..4] (padding predicts nothing).
        var targetIn = new int[3, 4];
        var targetOut = new int[3, 4];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) (targetIn[r, c], targetOut[r, c]) = (target[r, c], target[r, c + 1]);
        var runtime = Call("RuntimeTranslator", mode, source, targetIn, targetOut);
        var generated = Call("GeneratedTranslator", mode, source, targetIn, targetOut);
        AssertSame(mode, runtime, generated);
    }

    private static void AssertSame(string mode, (float[][] Init, float Loss, float[] Logits, float[][] Grads, string[] Names, float[][] After) runtime,
        (float[][] Init, float Loss, float[] Logits, float[][] Grads, string[] Names, float[][] After) generated)
    {
        Assert.Equal(runtime.Names.Length, generated.Names.Length);
        for (int p = 0; p < runtime.Names.Length; p++)
            Assert.True(runtime.Names[p].Split(' ')[1] == generated.Names[p].Split(' ')[1], $"parameter {p}: runtime {runtime.Names[p]} vs generated {generated.Names[p]}");
        for (int p = 0; p < runtime.Names.Length; p++)
            BitEqual($"{mode}: initial {runtime.Names[p]} (generated {generated.Names[p]})", runtime.Init[p], generated.Init[p]);
        BitEqual($"{mode}: logits", runtime.Logits, generated.Logits);
        Assert.True(BitConverter.SingleToInt32Bits(runtime.Loss) == BitConverter.SingleToInt32Bits(generated.Loss),
            $"{mode}: loss runtime {runtime.Loss:R} vs generated {generated.Loss:R}");
        for (int p = 0; p < runtime.Names.Length; p++)
            BitEqual($"{mode}: gradient of {runtime.Names[p]} (generated {generated.Names[p]})", runtime.Grads[p], generated.Grads[p]);
        // AdamW with the runtime's learning rate and decay flags (embedding tables undecayed) moves both alike.
        for (int p = 0; p < runtime.Names.Length; p++)
            BitEqual($"{mode}: {runtime.Names[p]} after the AdamW step (generated {generated.Names[p]})", runtime.After[p], generated.After[p]);
        // The comparison must not be vacuous: the step produced gradients.
        Assert.Contains(runtime.Grads, g => g.Any(v => v != 0f));
    }

    private static void BitEqual(string what, float[] expected, float[] actual)
        => BitComparison.AssertEqual(what, expected, actual, "runtime", "generated");
}
