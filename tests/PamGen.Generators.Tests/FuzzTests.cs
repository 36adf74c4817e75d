using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// 1,000 generated declarations per run, valid and mutated into invalid ones, in batches of 100 files per
/// compilation: the generator never throws (no CS8785), every invalid declaration gets a PAM diagnostic in its own
/// file, every valid one produces kernels (compiled in full for two batches, parsed for the rest).
/// </summary>
public sealed class FuzzTests
{
    private const int Batches = 10, PerBatch = 100, FullyCompiledBatches = 2;

    [Fact]
    public void GeneratedAndMutatedDeclarations()
    {
        var rng = new Random(20261122);
        int valid = 0, invalid = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            var files = new List<(string Path, string Text)>();
            var expectInvalid = new Dictionary<string, string>();
            for (int i = 0; i < PerBatch; i++)
            {
                string path = $"F{batch}_{i}.cs";
                int mutation = rng.Next(3) == 0 ? rng.Next(Mutations) : -1;
                files.Add((path, Declaration($"F{batch}_{i}", rng, mutation)));
                if (mutation >= 0) expectInvalid[path] = MutationNames[mutation];
            }
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (result, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(files.ToArray()));
            long gen = watch.ElapsedMilliseconds;
            Assert.Null(result.Exception);
            Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "PAM0900");
            // Binding every generated kernel costs seconds per batch on a loaded machine, so the full compile check
            // runs on two batches (about 140 valid declarations); the others check the generated syntax only.
            bool fullCompile = batch < FullyCompiledBatches;
            var errors = fullCompile
                ? GeneratorHarness.Errors(output)
                : output.SyntaxTrees.SelectMany(t => t.GetDiagnostics()).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
            Console.WriteLine($"batch {batch}: generate {gen} ms, {(fullCompile ? "compile" : "parse")} {watch.ElapsedMilliseconds - gen} ms");
            foreach (var (path, text) in files)
            {
                string stem = path.Substring(0, path.Length - 3);
                var pam = diagnostics.Where(d => d.Id.StartsWith("PAM", StringComparison.Ordinal) && d.Location.GetLineSpan().Path == path).ToList();
                if (expectInvalid.TryGetValue(path, out var mutation))
                {
                    invalid++;
                    Assert.True(pam.Count > 0, $"invalid declaration ({mutation}) got no PAM diagnostic:\n{text}");
                    Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.Contains("." + stem + ".K", StringComparison.Ordinal));
                }
                else
                {
                    valid++;
                    Assert.True(pam.Count == 0, $"valid declaration got {string.Join("; ", pam)}:\n{text}");
                    var own = errors.Where(e => e.Location.GetLineSpan().Path is var p && (p == path || p.Contains("." + stem + ".", StringComparison.Ordinal))).ToList();
                    Assert.True(own.Count == 0, $"valid declaration does not compile: {string.Join("; ", own)}:\n{text}");
                    Assert.Contains(result.GeneratedSources, s => s.HintName.Contains("." + stem + ".K", StringComparison.Ordinal));
                }
            }
        }
        Assert.Equal(Batches * PerBatch, valid + invalid);
        Assert.True(valid > 500 && invalid > 200, $"valid {valid}, invalid {invalid}");
    }

    private static readonly string[] MutationNames =
    {
        "not partial", "nested in non-partial", "double return", "int parameter", "cast", "unknown name",
        "self recursion", "instance method", "if statement", "reserved parameter name", "logical condition", "modulo",
    };

    private static int Mutations => MutationNames.Length;

    private static string Declaration(string name, Random rng, int mutation)
    {
        bool two = rng.Next(2) == 0;
        var parameters = two ? new[] { "x", "y" } : new[] { "x" };
        string body = Expr(rng, parameters, 2);
        string ret = "float", parameterList = string.Join(", ", parameters.Select(p => "float " + p)), mods = "public static";
        string classMods = "public static partial class", helper = $"[PamKernel] public static float Helper(float a) => a * {Literal(rng)} + Abs(a);";
        bool block = rng.Next(3) == 0;
        switch (mutation)
        {
            case 0: classMods = "public static class"; break;
            case 2: ret = "double"; break;
            case 3: parameterList = parameterList.Replace("float x", "int x"); break;
            case 4: body = $"(float)({body})"; break;
            case 5: body = $"{body} + z"; break;
            case 6: body = $"K({string.Join(", ", parameters)}) + {body}"; break;
            case 7: mods = "public"; classMods = "public partial class"; break;
            case 8: block = true; break;
            case 9: parameterList = parameterList.Replace("float x", "float output"); body = System.Text.RegularExpressions.Regex.Replace(body, @"\bx\b", "output"); break;
            case 10: body = $"x > 0 && x < 1 ? {body} : 0"; break;
            case 11: body = $"{body} % 2f"; break;
        }
        string method = block
            ? $"{mods} {ret} K({parameterList})\n    {{\n        float u = {body};\n        {(mutation == 8 ? "if (u > 0) return u;\n        " : "")}u += Helper(u);\n        return u;\n    }}"
            : $"{mods} {ret} K({parameterList}) => {body};";
        // The helper kernel is called from block bodies only (fewer kernels keep the compile check fast).
        string type = $"{classMods} {name}\n{{\n    {(block ? helper : "")}\n    [PamKernel]\n    {method}\n}}";
        if (mutation == 1) type = $"public class Outer{name}\n{{\n{type.Replace("public static partial class", "public static partial class")}\n}}";
        return $"using PamGen;\nusing static PamGen.PamMath;\n\nnamespace Fuzz;\n\n{type}\n";
    }

    private static string Expr(Random rng, string[] parameters, int depth)
    {
        if (depth == 0 || rng.Next(4) == 0)
            return rng.Next(3) == 0 ? Literal(rng) : parameters[rng.Next(parameters.Length)];
        string a = Expr(rng, parameters, depth - 1), b = Expr(rng, parameters, depth - 1);
        return rng.Next(12) switch
        {
            0 => $"({a} + {b})",
            1 => $"({a} - {b})",
            2 => $"({a} * {b})",
            3 => $"({a} / {b})",
            4 => $"-({a})",
            5 => $"Exp({a})",
            6 => $"Log(Abs({a}) + 1f)",
            7 => $"Sqrt(Abs({a}))",
            8 => $"Max({a}, {b})",
            9 => $"Min({a}, Exp2({b}))",
            10 => $"({a} {new[] { "<", "<=", ">", ">=", "==", "!=" }[rng.Next(6)]} {b} ? {a} : {Expr(rng, parameters, depth - 1)})",
            _ => rng.Next(2) == 0 ? $"Pow(Abs({a}) + 1f, {Literal(rng)})" : $"Log2(Abs({a}) + 2f)",
        };
    }

    private static string Literal(Random rng)
        => ((float)Math.Round(rng.NextDouble() * 4 - 2, 3)).ToString("R", CultureInfo.InvariantCulture) + "f";
}
