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
}
