using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>Snapshots of generated models (the sample and attribute variants) and of model diagnostics.</summary>
public sealed class ModelSnapshotTests
{
    private const string Usings = "using PamGen;\nusing static PamGen.ModelBuiltins;\nusing static PamGen.PamMath;\n\n";

    private static void VerifyGenerated(string source, [CallerMemberName] string method = "", params (string, string)[] extra)
    {
        var files = new System.Collections.Generic.List<(string, string)> { ("Input.cs", source) };
        files.AddRange(extra);
        var (result, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(files.ToArray()));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        Snapshot.Verify(GeneratorHarness.GeneratedText(result), nameof(ModelSnapshotTests), "cs", method);
    }

    private static void VerifyDiagnostics(string source, [CallerMemberName] string method = "")
    {
        var (result, _, diagnostics) = GeneratorHarness.Run(source);
        Assert.NotEmpty(diagnostics);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.Contains(".Forward.", System.StringComparison.Ordinal));
        Snapshot.Verify(GeneratorHarness.DiagnosticsOf(source), nameof(ModelSnapshotTests), "txt", method);
    }

    private static string Sample(string file, [CallerFilePath] string here = "")
        => File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "samples", "PamGen.Sample.Tiny", file));

    [Fact]
    public void TinySampleClassifier() => VerifyGenerated(Sample("TinyClassifier.cs"), extra: ("Activations.cs", Sample("Activations.cs")));

    [Fact]
    public void TinySampleEncoder() => VerifyGenerated(Sample("TinyEncoder.cs"));

    [Fact]
    public void FloatInputRegressorWithoutBias() => VerifyGenerated(Usings + """
        namespace Variants;
        [PamModel(Seed = 3)]
        internal partial class Regressor
        {
            [LayerNorm(5)] internal static partial TensorExpr In(TensorExpr x);
            [Linear(5, 4, Bias = false)] private static partial TensorExpr Up(TensorExpr x);
            [Linear(4, 2)] private static partial TensorExpr Out(TensorExpr x);

            [Forward] static TensorExpr Model(TensorExpr features) => Out(Relu(Up(In(features))) + Gelu(Up(In(features))));
        }
        """);

    [Fact]
    public void ShapeMismatches() => VerifyDiagnostics(Usings + """
        [PamModel]
        public partial class Wrong
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [Linear(16, 4)] private static partial TensorExpr Head(TensorExpr x);
            [LayerNorm(4)] private static partial TensorExpr Norm(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) => Norm(Head(Embed(t))) + MeanPool(Head(Embed(t)));
        }

        [PamModel]
        public partial class WrongResidual
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [Linear(8, 4)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) { var e = Embed(t); return MeanPool(Head(e) + e) + MeanPool(MeanPool(e)); }
        }

        [PamModel]
        public partial class NoWidth
        {
            [Linear(8, 4)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr x) => Head(Relu(x));
        }
        """);

    [Fact]
    public void DeclarationErrors() => VerifyDiagnostics(Usings + """
        [PamModel]
        public partial class NoForward
        {
            [Linear(4, 4)] private static partial TensorExpr A(TensorExpr x);
        }

        [PamModel]
        public partial class TwoForwards
        {
            [Linear(4, 4)] private static partial TensorExpr A(TensorExpr x);
            [Linear(4, 0)] private static partial TensorExpr Zero(TensorExpr x);
            [Linear(4, 4)] static TensorExpr NotPartial(TensorExpr x) => x;
            [Special] private static partial TensorExpr Custom(TensorExpr x);
            [TransformerEncoder(Layers = 2, Dim = 6, Heads = 4, Hidden = 8)] private static partial TensorExpr Encoder(TensorExpr x);
            [Forward] static TensorExpr One(TensorExpr x) => A(x);
            [Forward] static TensorExpr Two(TensorExpr x) => A(x);
        }

        [PamModel]
        public class NotPartialModel
        {
            [Forward] static TensorExpr One(TensorExpr x) => x;
        }

        [PamModel]
        public partial class BadExpression
        {
            [Linear(4, 4)] private static partial TensorExpr A(TensorExpr x);
            [Forward] static TensorExpr One(TensorExpr x) => A(x) + Unknown(x) + y;
            static TensorExpr Unknown(TensorExpr x) => x;
        }

        public partial class NoModelAttribute
        {
            [Forward] static TensorExpr Stray(TensorExpr x) => x;
        }

        public sealed class SpecialAttribute : LayerAttribute { }
        """);

    [Fact]
    public void TinySampleTranslator() => VerifyGenerated(Sample("TinyTranslator.cs"));

    [Fact]
    public void FeedForwardPositionsAndCrossAttentionOnFloatInputs() => VerifyGenerated(Usings + """
        namespace Variants;
        [PamModel(Seed = 4)]
        internal partial class Forecaster
        {
            [Linear(3, 8)] private static partial TensorExpr In(TensorExpr x);
            [PositionalEmbedding(6, 8)] private static partial TensorExpr Positions(TensorExpr x);
            [Linear(5, 8)] private static partial TensorExpr Context(TensorExpr x);
            [MultiHeadAttention(8, 2)] private static partial TensorExpr Cross(TensorExpr x, TensorExpr memory);
            [FeedForward(8, 16)] private static partial TensorExpr Ff(TensorExpr x);
            [Linear(8, 2)] private static partial TensorExpr Out(TensorExpr x);

            [Forward] static TensorExpr Model(TensorExpr series, TensorExpr context)
            {
                var h = Positions(In(series));
                h = h + Cross(h, Context(context));
                return Out(MeanPool(h + Ff(h)));
            }
        }
        """);

    [Fact]
    public void EncoderAndDecoderBlocksWithDropout() => VerifyGenerated(Usings + """
        [PamModel(Seed = 9, PadToken = 0)]
        public partial class DropoutTranslator
        {
            [Embedding(20, 8, MaxSeq = 6)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 16, Dropout = 0.1f)] private static partial TensorExpr Encoder(TensorExpr x);
            [TransformerDecoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 16, Dropout = 0.1f)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [Linear(8, 20)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr source, TensorExpr target) => Out(Decoder(Embed(target), Encoder(Embed(source))));
        }
        """);

    [Fact]
    public void BlockAndInputMisuse() => VerifyDiagnostics(Usings + """
        [PamModel(PadToken = -3)]
        public partial class DecoderOneInput
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerDecoder(Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Decoder(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) => Decoder(Embed(t));
        }

        [PamModel]
        public partial class BlockDropoutOutOfRange
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Dim = 8, Heads = 2, Hidden = 16, Dropout = 1f)] private static partial TensorExpr Encoder(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) => Encoder(Embed(t));
        }

        [PamModel]
        public partial class DecoderCalledWithOne
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerDecoder(Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [Forward] static TensorExpr Model(TensorExpr t) => Decoder(Embed(t));
        }

        [PamModel(PadToken = 20)]
        public partial class NoHiddenWidth
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [FeedForward(8, 0)] private static partial TensorExpr Ff(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr x) => Ff(x);
        }

        [PamModel]
        public partial class MemoryTooNarrow
        {
            [Embedding(10, 8)] private static partial TensorExpr Target(TensorExpr t);
            [Embedding(10, 4)] private static partial TensorExpr Source(TensorExpr t);
            [TransformerDecoder(Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [Forward] static TensorExpr Model(TensorExpr source, TensorExpr target) => Decoder(Target(target), Source(source));
        }

        [PamModel]
        public partial class CausalAcrossSequences
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [MultiHeadAttention(8, 2, Causal = true)] private static partial TensorExpr Cross(TensorExpr x, TensorExpr memory);
            [Forward] static TensorExpr Model(TensorExpr a, TensorExpr b) => Cross(Embed(a), Embed(b));
        }

        [PamModel]
        public partial class SequencesMixed
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [PositionalEmbedding(6, 4)] private static partial TensorExpr Positions(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr a, TensorExpr b, TensorExpr unused) => Embed(a) + Positions(Embed(b));
        }

        [PamModel]
        public partial class ReservedInput
        {
            [Linear(4, 2)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr training, TensorExpr loss, TensorExpr source, TensorExpr Source) => Head(training);
        }
        """);

    [Fact]
    public void ConvolutionalClassifier() => VerifyGenerated(Usings + """
        namespace Variants;
        [PamModel(Seed = 6)]
        public partial class Cnn
        {
            [Conv2d(1, 4, 3, Padding = 1)] private static partial TensorExpr Conv1(TensorExpr x);
            [MaxPool(2)] private static partial TensorExpr Pool(TensorExpr x);
            [Conv2d(4, 8, 3, Stride = 2)] private static partial TensorExpr Conv2(TensorExpr x);
            [Linear(8, 10)] private static partial TensorExpr Head(TensorExpr x);

            [Forward] static TensorExpr Model([Image(1, 8, 8)] TensorExpr pixels) => Head(MeanPool(Relu(Conv2(Pool(Relu(Conv1(pixels)))))));
        }
        """);

    [Fact]
    public void PatchTransformer() => VerifyGenerated(Usings + """
        namespace Variants;
        [PamModel(Seed = 8)]
        public partial class Vit
        {
            [PatchEmbedding(ImageSize = 8, Patch = 4, Channels = 3, Dim = 16)] private static partial TensorExpr Patches(TensorExpr x);
            [PositionalEmbedding(4, 16)] private static partial TensorExpr Positions(TensorExpr x);
            [TransformerEncoder(Layers = 1, Dim = 16, Heads = 4, Hidden = 32)] private static partial TensorExpr Encoder(TensorExpr x);
            [LayerNorm(16)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(16, 10)] private static partial TensorExpr Head(TensorExpr x);

            [Forward] static TensorExpr Model([Image(3, 8, 8)] TensorExpr pixels) => Head(MeanPool(Norm(Encoder(Positions(Patches(pixels))))));
        }
        """);

    [Fact]
    public void ImageMisuse() => VerifyDiagnostics(Usings + """
        [PamModel]
        public partial class ConvOnSequence
        {
            [Embedding(10, 4)] private static partial TensorExpr Embed(TensorExpr t);
            [Conv2d(4, 4, 3)] private static partial TensorExpr Conv(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) => MeanPool(Conv(Embed(t)));
        }

        [PamModel]
        public partial class LinearOnImage
        {
            [Linear(3, 2)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model([Image(3, 4, 4)] TensorExpr x) => Head(x);
        }

        [PamModel]
        public partial class WrongChannelsAndTooSmall
        {
            [Conv2d(2, 4, 3)] private static partial TensorExpr Conv(TensorExpr x);
            [Conv2d(1, 4, 5)] private static partial TensorExpr Big(TensorExpr x);
            [Linear(4, 2)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model([Image(1, 4, 4)] TensorExpr x, [Image(1, 4, 4)] TensorExpr y) => Head(MeanPool(Conv(x) + Big(y)));
        }

        [PamModel]
        public partial class BadDeclarations
        {
            [PatchEmbedding(ImageSize = 6, Patch = 4, Dim = 8)] private static partial TensorExpr Patches(TensorExpr x);
            [Conv2d(1, 4, 3, Padding = -1)] private static partial TensorExpr Conv(TensorExpr x);
            [MaxPool(0)] private static partial TensorExpr Pool(TensorExpr x);
            [Forward] static TensorExpr Model([Image(0, 4, 4)] TensorExpr x) => x;
        }

        [PamModel]
        public partial class PatchesMismatch
        {
            [PatchEmbedding(ImageSize = 8, Patch = 2, Dim = 8)] private static partial TensorExpr Patches(TensorExpr x);
            [PositionalEmbedding(8, 8)] private static partial TensorExpr Positions(TensorExpr x);
            [Linear(8, 2)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr Model([Image(1, 8, 8)] TensorExpr x, [Image(3, 8, 8)] TensorExpr y) => Head(MeanPool(Positions(Patches(x)))) + Head(MeanPool(Patches(y)));
        }

        [PamModel]
        public partial class ImageOutput
        {
            [Conv2d(1, 2, 3)] private static partial TensorExpr Conv(TensorExpr x);
            [Forward] static TensorExpr Model([Image(1, 4, 4)] TensorExpr x) => Conv(x);
        }
        """);

    [Fact]
    public void MaskInputOnFloatSequence() => VerifyGenerated(Usings + """
        namespace Variants;
        [PamModel(Seed = 12)]
        public partial class Series
        {
            [Linear(3, 8)] private static partial TensorExpr In(TensorExpr x);
            [MultiHeadAttention(8, 2)] private static partial TensorExpr Attn(TensorExpr x);
            [Linear(8, 2)] private static partial TensorExpr Out(TensorExpr x);

            [Forward] static TensorExpr Model(TensorExpr series, [Mask(nameof(series))] TensorExpr keep)
            {
                var h = In(series);
                return Out(MeanPool(h + Attn(h)));
            }
        }
        """);

    [Fact]
    public void MaskMisuse() => VerifyDiagnostics(Usings + """
        [PamModel]
        public partial class MaskOfNothing
        {
            [Linear(3, 2)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr x, [Mask("y")] TensorExpr keep, [Mask(nameof(x))] TensorExpr again, [Mask(nameof(x))] TensorExpr third) => Out(x);
        }

        [PamModel(PadToken = 0)]
        public partial class MaskedTwice
        {
            [Embedding(10, 4)] private static partial TensorExpr Embed(TensorExpr t);
            [Linear(4, 2)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t, [Mask(nameof(t))] TensorExpr keep) => Out(MeanPool(Embed(t)));
        }

        [PamModel]
        public partial class MaskUsedAsTensor
        {
            [Linear(3, 2)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr x, [Mask(nameof(x))] TensorExpr keep) => Out(x) + Out(keep);
        }

        [PamModel]
        public partial class MaskOfImage
        {
            [Conv2d(1, 2, 3)] private static partial TensorExpr Conv(TensorExpr x);
            [Forward] static TensorExpr Model([Image(1, 4, 4)] TensorExpr x, [Mask(nameof(x))] TensorExpr keep) => MeanPool(Conv(x));
        }
        """);
}
