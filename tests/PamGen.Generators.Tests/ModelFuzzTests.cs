using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Generated model declarations (random layer chains with consistent widths, residuals, activations, pooling)
/// and mutations of them into invalid ones: no exception, every invalid model gets a PAM diagnostic in its file
/// and no Forward, every valid model produces code (fully compiled for the first batch, parsed for the rest).
/// </summary>
public sealed class ModelFuzzTests
{
    private const int Batches = 4, PerBatch = 50, FullyCompiledBatches = 1;

    private static readonly string[] MutationNames =
    {
        "wrong Linear input width", "no [Forward]", "two [Forward]", "unsupported layer", "not partial",
        "unknown call", "MeanPool twice", "dropout probability 1.5", "layer without access modifier",
    };

    [Fact]
    public void GeneratedAndMutatedModels()
    {
        var rng = new Random(1122);
        int valid = 0, invalid = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            var files = new List<(string Path, string Text)> { ("Fn.cs", "using PamGen;\nusing static PamGen.PamMath;\nnamespace Fuzz;\npublic static partial class Fn\n{\n    [PamKernel] public static float Swish(float x) => x / (1 + Exp(-x));\n}\n") };
            var expectInvalid = new Dictionary<string, string>();
            for (int i = 0; i < PerBatch; i++)
            {
                string path = $"M{batch}_{i}.cs";
                int mutation = rng.Next(3) == 0 ? rng.Next(MutationNames.Length) : -1;
                files.Add((path, Model($"M{batch}_{i}", rng, mutation)));
                if (mutation >= 0) expectInvalid[path] = MutationNames[mutation];
            }
            var (result, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(files.ToArray()));
            Assert.Null(result.Exception);
            Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "PAM0900");
            bool full = batch < FullyCompiledBatches;
            var errors = full
                ? GeneratorHarness.Errors(output)
                : output.SyntaxTrees.SelectMany(t => t.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            foreach (var (path, text) in files.Skip(1))
            {
                string stem = path.Substring(0, path.Length - 3);
                var pam = diagnostics.Where(d => d.Id.StartsWith("PAM", StringComparison.Ordinal) && d.Location.GetLineSpan().Path == path).ToList();
                bool generated = result.GeneratedSources.Any(s => s.HintName == $"Fuzz.{stem}.Forward.Cpu.g.cs");
                if (expectInvalid.TryGetValue(path, out var mutation))
                {
                    invalid++;
                    Assert.True(pam.Count > 0, $"invalid model ({mutation}) got no PAM diagnostic:\n{text}");
                    Assert.False(generated, $"invalid model ({mutation}) was generated:\n{text}");
                }
                else
                {
                    valid++;
                    Assert.True(pam.Count == 0, $"valid model got {string.Join("; ", pam)}:\n{text}");
                    Assert.True(generated, $"valid model was not generated:\n{text}");
                    var own = errors.Where(e => e.Location.GetLineSpan().Path is var p && (p == path || p.Contains("." + stem + ".", StringComparison.Ordinal))).ToList();
                    Assert.True(own.Count == 0, $"valid model does not compile: {string.Join("; ", own)}:\n{text}");
                }
            }
        }
        Assert.True(valid > 100 && invalid > 40, $"valid {valid}, invalid {invalid}");
    }

    private static string Model(string name, Random rng, int mutation)
    {
        var layers = new List<string>();
        var body = new StringBuilder();
        int width, counter = 0;
        string Layer(string attribute)
        {
            string n = "L" + counter++;
            layers.Add($"[{attribute}] {(mutation == 8 && counter == 1 ? "" : "private ")}static partial TensorExpr {n}(TensorExpr x);");
            return n;
        }
        bool tokens = rng.Next(2) == 0;
        width = 2 + rng.Next(6);
        if (tokens) body.Append($"var h = {Layer($"Embedding({3 + rng.Next(10)}, {width}, MaxSeq = 8)")}(input);\n");
        else body.Append($"var h = {Layer($"LayerNorm({width})")}(input);\n");
        int steps = 1 + rng.Next(4);
        for (int s = 0; s < steps; s++)
        {
            switch (rng.Next(8))
            {
                case 0:
                    int next = 2 + rng.Next(6);
                    int declaredIn = mutation == 0 && s == 0 ? width + 1 : width;
                    body.Append($"h = {Layer($"Linear({declaredIn}, {next}{(rng.Next(3) == 0 ? ", Bias = false" : "")})")}(h);\n");
                    width = next;
                    break;
                case 1: body.Append($"h = {Layer($"LayerNorm({width})")}(h);\n"); break;
                case 2: body.Append($"h = {new[] { "Relu", "Gelu" }[rng.Next(2)]}(h);\n"); break;
                case 3: body.Append("h = Map(h, Fn.Swish);\n"); break;
                case 4: body.Append($"h = h + {Layer($"Dropout({(mutation == 7 ? "1.5f" : "0.1f")})")}(Gelu(h));\n"); break;
                case 5: body.Append($"h = h + {Layer($"MultiHeadAttention({width}, {(width % 2 == 0 ? 2 : 1)}{(rng.Next(2) == 0 ? ", Causal = true" : "")})")}(h);\n"); break;
                case 6: body.Append($"h = {Layer($"TransformerEncoder(Layers = {1 + rng.Next(2)}, Dim = {width}, Heads = 1, Hidden = {width + 2})")}(h);\n"); break;
                default: body.Append($"h = h + {Layer($"Linear({width}, {width})")}(h);\n"); break;
            }
        }
        if (mutation == 0 && !body.ToString().Contains("Linear(")) body.Append($"h = {Layer($"Linear({width + 1}, {width})")}(h);\n");
        if (mutation == 7 && !body.ToString().Contains("Dropout(")) body.Append($"h = {Layer("Dropout(1.5f)")}(h);\n");
        if (rng.Next(2) == 0 || mutation == 6) body.Append("h = MeanPool(h);\n");
        if (mutation == 6) body.Append("h = MeanPool(h);\n");
        if (mutation == 5) body.Append("h = Normalize(h);\n");
        if (mutation == 3) body.Append($"h = {Layer("Conv2d(1, 2, 3)")}(h);\n");
        body.Append($"return {Layer($"Linear({width}, {2 + rng.Next(4)})")}(h);");
        string forward = mutation == 1 ? "" : $"[Forward]\n    private static TensorExpr Model(TensorExpr input)\n    {{\n        {body.ToString().Replace("\n", "\n        ")}\n    }}";
        if (mutation == 2) forward += "\n    [Forward] private static TensorExpr Again(TensorExpr input) => input;";
        string members = string.Join("\n    ", layers);
        return $"using PamGen;\nusing static PamGen.ModelBuiltins;\n\nnamespace Fuzz;\n\n[PamModel(Seed = {rng.Next(100)})]\npublic {(mutation == 4 ? "" : "partial ")}class {name}\n{{\n    {members}\n    {forward}\n    private static TensorExpr Normalize(TensorExpr x) => x;\n}}\n";
    }
}
