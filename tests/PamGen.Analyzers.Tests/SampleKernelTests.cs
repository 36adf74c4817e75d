using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PamGen.Analyzers.Tests.Infrastructure;
using PamGen.Generators;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>
/// Every sample model (samples/*) is run through PamGen's source generator and the whole sample, generated kernels
/// included, is analyzed as if it were marked <c>[assembly: MultiplicationFree]</c>: the generator's output must
/// pass PamGen's own rules. A probe that really multiplies is added as a control, so a silent analyzer cannot pass.
/// </summary>
public class SampleKernelTests
{
    public static IEnumerable<object[]> Samples() =>
        Directory.GetDirectories(Path.Combine(RuntimeSourcesTests.RepositoryRoot(), "samples"))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
            .Select(d => new object[] { Path.GetFileName(d) });

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Generated_kernels_pass_the_rules(string sample)
    {
        const string probe = """
            static class AnalyzerProbe
            {
                static float Control(float x) => PamGen.PamMath.Exp(x) * x;
            }
            """;
        var (diagnostics, generated) = await AnalyzeSampleAsync(sample, probe);

        Assert.True(generated.Count > 0, $"the generator produced nothing for {sample}");
        Assert.Contains(generated, tree => tree.ToString().Contains("TArith.", StringComparison.Ordinal));

        var inProbe = diagnostics.Where(d => d.Location.SourceTree?.FilePath == "AnalyzerProbe.cs").Select(d => d.Id).ToArray();
        Assert.Contains("PAM0100", inProbe);
        Assert.Contains("PAM0102", inProbe);

        var warnings = diagnostics
            .Where(d => d.Location.SourceTree?.FilePath != "AnalyzerProbe.cs" && d.Severity >= DiagnosticSeverity.Warning)
            .ToArray();
        Assert.True(warnings.Length == 0, $"PAM warnings in {sample} or its generated kernels:\n" + string.Join("\n", warnings));
    }

    private static async Task<(ImmutableArray<Diagnostic> Pam, List<SyntaxTree> Generated)> AnalyzeSampleAsync(string sample, string probe)
    {
        var directory = Path.Combine(RuntimeSourcesTests.RepositoryRoot(), "samples", sample);
        var separator = Path.DirectorySeparatorChar;
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f))
            .Append(CSharpSyntaxTree.ParseText("[assembly: PamGen.MultiplicationFree]", options, "Scope.cs"))
            .Append(CSharpSyntaxTree.ParseText(probe, options, "AnalyzerProbe.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create(
            sample,
            trees,
            TestReferences.All.Append(MetadataReference.CreateFromFile(typeof(IArithmetic).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        var driver = CSharpGeneratorDriver.Create(new[] { new PamModelGenerator().AsSourceGenerator() }, parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.True(generatorDiagnostics.IsEmpty, "generator diagnostics:\n" + string.Join("\n", generatorDiagnostics));
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, $"{sample} does not compile here:\n" + string.Join("\n", errors.Take(10)));

        var analyzed = await output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new StrayMultiplicationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var generated = driver.GetRunResult().GeneratedTrees.ToList();
        return (analyzed.Where(d => d.Id.StartsWith("PAM", StringComparison.Ordinal)).ToImmutableArray(), generated);
    }
}
