using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Generated model declarations (random layer chains with consistent widths, residuals, activations, pooling;
/// encoder–decoders with two token inputs, padding (pad token or [Mask] input), decoder stacks, cross-attention, feed-forward and positional
/// layers; image models with convolutions, max pooling and patch embeddings) and mutations of them into invalid
/// ones: no exception, every invalid model gets a PAM diagnostic in its file and no Forward, every valid model
/// produces code (fully compiled for the first batch, parsed for the rest).
/// </summary>
public sealed class ModelFuzzTests
{
    private const int Batches = 4, PerBatch = 50, FullyCompiledBatches = 1;

    private static readonly string[] MutationNames =
    {
        "wrong Linear input width", "no [Forward]", "two [Forward]", "unsupported layer", "not partial",
        "unknown call", "MeanPool twice", "dropout probability 1.5", "layer without access modifier",
        "decoder called with one tensor", "memory width mismatch", "PadToken outside the vocabulary",
        "image into Linear", "Conv2d channel mismatch", "positional table shorter than the patches",
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
        if (mutation >= 9 || (mutation < 0 && rng.Next(2) == 0))
        {
            int kind = mutation switch { 9 or 10 or 11 => 0, 12 or 13 => 1, 14 => 2, _ => rng.Next(3) };
            return kind == 0 ? Translator(name, rng, mutation) : kind == 1 ? Cnn(name, rng, mutation) : Patches(name, rng, mutation);
        }

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
                case 6:
                    string blockDropout = mutation == 7 ? ", Dropout = 1.5f" : rng.Next(2) == 0 ? ", Dropout = 0.1f" : "";
                    body.Append($"h = {Layer($"TransformerEncoder(Layers = {1 + rng.Next(2)}, Dim = {width}, Heads = 1, Hidden = {width + 2}{blockDropout})")}(h);\n");
                    break;
                default:
                    // A residual linear branch, sometimes through a dropout (fused into the GEMM epilogue).
                    string linear = Layer($"Linear({width}, {width})");
                    body.Append(rng.Next(2) == 0 ? $"h = h + {linear}(h);\n" : $"h = h + {Layer("Dropout(0.2f)")}({linear}(h));\n");
                    break;
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

    private static string Declare(string name, string seed, List<string> layers, string parameters, StringBuilder body)
        => $"using PamGen;\nusing static PamGen.ModelBuiltins;\n\nnamespace Fuzz;\n\n[PamModel({seed})]\npublic partial class {name}\n{{\n    {string.Join("\n    ", layers)}\n"
            + $"    [Forward]\n    private static TensorExpr Model({parameters})\n    {{\n        {body.ToString().Replace("\n", "\n        ")}\n    }}\n}}\n";

    // Two token inputs: an encoded source memory and a target through a decoder stack, cross-attention, FF and positions.
    private static string Translator(string name, Random rng, int mutation)
    {
        var layers = new List<string>();
        int counter = 0;
        string Layer(string attribute, string parameters = "TensorExpr x")
        {
            string n = "L" + counter++;
            layers.Add($"[{attribute}] private static partial TensorExpr {n}({parameters});");
            return n;
        }
        int width = 2 * (1 + rng.Next(3)), heads = rng.Next(2) == 0 ? 2 : 1, vocab = 3 + rng.Next(8), hidden = width + 2;
        var body = new StringBuilder();
        body.Append($"var m = {Layer($"Embedding({vocab}, {width}, MaxSeq = 8)")}(source);\n");
        for (int s = rng.Next(3); s > 0; s--)
        {
            switch (rng.Next(3))
            {
                case 0: body.Append($"m = {Layer($"TransformerEncoder(Layers = 1, Dim = {width}, Heads = {heads}, Hidden = {hidden})")}(m);\n"); break;
                case 1: body.Append($"m = m + {Layer($"FeedForward({width}, {hidden})")}(m);\n"); break;
                default: body.Append($"m = {Layer($"LayerNorm({width})")}(m);\n"); break;
            }
        }
        if (mutation == 10) body.Append($"m = {Layer($"Linear({width}, {width + 1})")}(m);\n");
        body.Append($"var h = {Layer($"Embedding({vocab}, {width}, MaxSeq = 8)")}(target);\n");
        string decoder = Layer($"TransformerDecoder(Layers = {1 + rng.Next(2)}, Dim = {width}, Heads = {heads}, Hidden = {hidden})", "TensorExpr x, TensorExpr memory");
        body.Append(mutation == 9 ? $"h = {decoder}(h);\n" : $"h = {decoder}(h, m);\n");
        if (rng.Next(2) == 0) body.Append($"h = h + {Layer($"MultiHeadAttention({width}, {heads})", "TensorExpr x, TensorExpr memory")}(h, m);\n");
        if (rng.Next(2) == 0) body.Append($"h = {Layer($"PositionalEmbedding(8, {width})")}(h);\n");
        if (rng.Next(2) == 0) body.Append("h = MeanPool(h);\n");
        body.Append($"return {Layer($"Linear({width}, {2 + rng.Next(4)})")}(h);");
        string pad = mutation == 11 ? $", PadToken = {vocab + rng.Next(5)}" : rng.Next(2) == 0 ? ", PadToken = 0" : "";
        // Without a pad token, the source may carry its padding as a [Mask] input instead.
        string mask = pad.Length == 0 && rng.Next(2) == 0 ? ", [Mask(nameof(source))] TensorExpr sourceKeep" : "";
        return Declare(name, $"Seed = {rng.Next(100)}{pad}", layers, "TensorExpr source, TensorExpr target" + mask, body);
    }

    // An image through convolutions, activations and max pooling, globally pooled into a linear head.
    private static string Cnn(string name, Random rng, int mutation)
    {
        var layers = new List<string>();
        int counter = 0;
        string Layer(string attribute)
        {
            string n = "L" + counter++;
            layers.Add($"[{attribute}] private static partial TensorExpr {n}(TensorExpr x);");
            return n;
        }
        int channels = 1 + rng.Next(3), imageSide = 6 + rng.Next(5), side = imageSide;
        var body = new StringBuilder();
        int kernel = 1 + rng.Next(3), padding = rng.Next(2), outChannels = 2 + rng.Next(3);
        body.Append($"var h = {Layer($"Conv2d({(mutation == 13 ? channels + 1 : channels)}, {outChannels}, {kernel}, Padding = {padding})")}(input);\n");
        side = side + 2 * padding - kernel + 1;
        if (rng.Next(2) == 0) body.Append($"h = {new[] { "Relu", "Gelu" }[rng.Next(2)]}(h);\n");
        if (rng.Next(2) == 0 && side >= 2)
        {
            body.Append($"h = {Layer("MaxPool(2)")}(h);\n");
            side = (side - 2) / 2 + 1;
        }
        if (rng.Next(2) == 0)
        {
            int k2 = 1 + rng.Next(Math.Min(3, side)), next = 2 + rng.Next(3);
            body.Append($"h = {Layer($"Conv2d({outChannels}, {next}, {k2}, Stride = {1 + rng.Next(2)})")}(h);\n");
            outChannels = next;
        }
        if (rng.Next(3) == 0) body.Append("h = h + Relu(h);\n");
        if (mutation != 12) body.Append("h = MeanPool(h);\n");
        body.Append($"return {Layer($"Linear({outChannels}, {2 + rng.Next(4)})")}(h);");
        return Declare(name, $"Seed = {rng.Next(100)}", layers, $"[Image({channels}, {imageSide}, {imageSide})] TensorExpr input", body);
    }

    // An image cut into patches, positions added, optionally encoded, pooled into a linear head.
    private static string Patches(string name, Random rng, int mutation)
    {
        var layers = new List<string>();
        int counter = 0;
        string Layer(string attribute)
        {
            string n = "L" + counter++;
            layers.Add($"[{attribute}] private static partial TensorExpr {n}(TensorExpr x);");
            return n;
        }
        int patch = 1 + rng.Next(3), grid = 1 + rng.Next(3), channels = 1 + rng.Next(2), width = 2 * (1 + rng.Next(3));
        var body = new StringBuilder();
        body.Append($"var h = {Layer($"PatchEmbedding(ImageSize = {patch * grid}, Patch = {patch}, Channels = {channels}, Dim = {width})")}(input);\n");
        body.Append($"h = {Layer($"PositionalEmbedding({(mutation == 14 ? grid * grid - 1 : grid * grid + rng.Next(3))}, {width})")}(h);\n");
        if (rng.Next(2) == 0) body.Append($"h = {Layer($"TransformerEncoder(Layers = 1, Dim = {width}, Heads = {(width % 4 == 0 ? 2 : 1)}, Hidden = {width + 2})")}(h);\n");
        body.Append("h = MeanPool(h);\n");
        body.Append($"return {Layer($"Linear({width}, {2 + rng.Next(4)})")}(h);");
        return Declare(name, $"Seed = {rng.Next(100)}", layers, $"[Image({channels}, {patch * grid}, {patch * grid})] TensorExpr input", body);
    }
}
