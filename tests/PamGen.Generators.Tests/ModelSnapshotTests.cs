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
            [Conv2d(1, 2, 3)] private static partial TensorExpr Conv(TensorExpr x);
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
    public void BlockAndInputMisuse() => VerifyDiagnostics(Usings + """
        [PamModel(PadToken = -3)]
        public partial class DecoderOneInput
        {
            [Embedding(10, 8)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerDecoder(Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Decoder(TensorExpr x);
            [Forward] static TensorExpr Model(TensorExpr t) => Decoder(Embed(t));
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
            [Forward] static TensorExpr Model(TensorExpr training) => Head(training);
        }
        """);
}
