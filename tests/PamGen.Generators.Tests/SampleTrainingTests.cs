using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// The sample transformers (samples/PamGen.Sample.Tiny: the encoder classifier TinyEncoder and the encoder–decoder
/// TinyTranslator), generated and compiled in memory, learn a fixed toy batch in every training mode: the loss
/// after 30 AdamW steps is below a third of the first step's.
/// </summary>
public sealed class SampleTrainingTests
{
    private const string Harness = """
        using System;
        using PamGen;
        namespace PamGen.Samples.Tiny;

        public static class Harness
        {
            static readonly AdamWOptions Options = new(WeightDecay: 0f);

            // Class = first token mod 3.
            public static float[] Encoder(string mode)
            {
                var rng = new Random(3);
                var tokens = new int[4 * 6];
                var targets = new int[4];
                for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.Next(16);
                for (int b = 0; b < 4; b++) targets[b] = tokens[b * 6] % 3;
                var model = new TinyEncoder(4, 6);
                var losses = new float[30];
                for (int step = 1; step <= 30; step++)
                    losses[step - 1] = mode switch
                    {
                        "Ieee" => model.TrainStep<IeeeArithmetic, IeeeArithmetic>(tokens, targets, 0.01f, step, Options),
                        "PamMatmul" => model.TrainStep<PamArithmetic<PamDefaults>, IeeeArithmetic>(tokens, targets, 0.01f, step, Options),
                        _ => model.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(tokens, targets, 0.01f, step, Options),
                    };
                return losses;
            }

            // Reverse the source: the decoder reads [1, reversed…] and predicts the reversed tokens; 0 pads.
            public static float[] Translator(string mode)
            {
                var rng = new Random(4);
                var source = new int[4 * 5];
                var targetIn = new int[4 * 6];
                var targetOut = new int[4 * 6];
                for (int b = 0; b < 4; b++)
                {
                    int length = 3 + rng.Next(3);
                    for (int t = 0; t < length; t++) source[b * 5 + t] = 2 + rng.Next(10);
                    targetIn[b * 6] = 1;
                    for (int t = 0; t < length; t++) targetIn[b * 6 + 1 + t] = targetOut[b * 6 + t] = source[b * 5 + length - 1 - t];
                }
                var model = new TinyTranslator(4, 5, 6);
                var losses = new float[30];
                for (int step = 1; step <= 30; step++)
                    losses[step - 1] = mode switch
                    {
                        "Ieee" => model.TrainStep<IeeeArithmetic, IeeeArithmetic>(source, targetIn, targetOut, 0.01f, step, Options),
                        "PamMatmul" => model.TrainStep<PamArithmetic<PamDefaults>, IeeeArithmetic>(source, targetIn, targetOut, 0.01f, step, Options),
                        _ => model.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(source, targetIn, targetOut, 0.01f, step, Options),
                    };
                return losses;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(
            ("TinyEncoder.cs", Sample("TinyEncoder.cs")), ("TinyTranslator.cs", Sample("TinyTranslator.cs")), ("Harness.cs", Harness)));
        Assert.Empty(diagnostics);
        return GeneratorHarness.Load(output).GetType("PamGen.Samples.Tiny.Harness")!;
    });

    private static string Sample(string file, [CallerFilePath] string here = "")
        => File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "samples", "PamGen.Sample.Tiny", file));

    [Theory]
    [InlineData("Encoder", "Ieee")]
    [InlineData("Encoder", "PamMatmul")]
    [InlineData("Encoder", "Pam")]
    [InlineData("Translator", "Ieee")]
    [InlineData("Translator", "PamMatmul")]
    [InlineData("Translator", "Pam")]
    public void SampleLossFalls(string sample, string mode)
    {
        float[] losses;
        try
        {
            losses = (float[])Compiled.Value.GetMethod(sample)!.Invoke(null, new object[] { mode })!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
        Assert.All(losses, l => Assert.True(float.IsFinite(l), $"{sample} {mode}: non-finite loss in [{string.Join(", ", losses)}]"));
        Assert.True(losses[^1] < losses[0] / 3, $"{sample} {mode}: loss {losses[0]} → {losses[^1]} (expected below a third); all: [{string.Join(", ", losses)}]");
    }
}
