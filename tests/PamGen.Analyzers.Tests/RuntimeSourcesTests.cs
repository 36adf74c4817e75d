using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>
/// PamGen's own kernels pass its own rules: the runtime's sources (src/PamGen.Runtime) are compiled here with the
/// analyzer and must produce no PAM0100–PAM0102 warning (PAM0103 notes, Info by default, are allowed and written to
/// the test output: calls through interfaces such as IGemmEpilogue.Apply and delegates). As a control, the same sources
/// with <c>[assembly: MultiplicationFree]</c> added must be reported (IeeeArithmetic really multiplies), so the
/// analyzer is shown to run on this code.
/// </summary>
public class RuntimeSourcesTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public RuntimeSourcesTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Runtime_multiplication_free_code_has_no_pam_warnings()
    {
        var (diagnostics, compilation) = await AnalyzeRuntimeAsync(extraSource: null);

        var marked = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes())
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>()
            .Count(a => a.Name.ToString() is "MultiplicationFree" or "PamGen.MultiplicationFree");
        Assert.True(marked >= 3, $"only {marked} [MultiplicationFree] attributes found in the runtime sources");
        foreach (var note in diagnostics.Where(d => d.Severity < DiagnosticSeverity.Warning)) _output.WriteLine(note.ToString());
        var warnings = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(warnings.Length == 0, "PAM warnings in the runtime:\n" + string.Join("\n", warnings));
    }

    [Fact]
    public async Task Control_marking_the_whole_runtime_reports_the_ieee_mode()
    {
        var (diagnostics, _) = await AnalyzeRuntimeAsync("[assembly: PamGen.MultiplicationFree]", "IArithmetic.cs", "IeeeArithmetic.cs");

        var inIeee = diagnostics.Where(d => Path.GetFileName(d.Location.SourceTree?.FilePath) == "IeeeArithmetic.cs").ToArray();
        Assert.Contains(inIeee, d => d.Id == "PAM0100");
        Assert.Contains(inIeee, d => d.Id == "PAM0101");
        Assert.Contains(inIeee, d => d.Id == "PAM0102");
    }

    /// <summary>Compiles the runtime's sources (only <paramref name="onlyFiles"/> when given) with the analyzer.</summary>
    private static async Task<(ImmutableArray<Diagnostic> Pam, Compilation Compilation)> AnalyzeRuntimeAsync(
        string? extraSource, params string[] onlyFiles)
    {
        var sourceDirectory = Path.Combine(RepositoryRoot(), "src", "PamGen.Runtime");
        var files = Directory.GetFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => onlyFiles.Length == 0 || onlyFiles.Contains(Path.GetFileName(f)));
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f)).ToList();
        if (extraSource is not null) trees.Add(CSharpSyntaxTree.ParseText(extraSource, options, "Extra.cs"));

        // The runtime's dependencies sit next to the tests (project reference); the runtime itself is compiled from source.
        var dependencies = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("ILGPU", StringComparison.Ordinal)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "PamGen.Runtime",
            trees,
            TestReferences.All.Concat(dependencies),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "the runtime sources do not compile here:\n" + string.Join("\n", errors.Take(10)));

        var analyzed = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new StrayMultiplicationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        return (analyzed.Where(d => d.Id.StartsWith("PAM", StringComparison.Ordinal)).ToImmutableArray(), compilation);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PamGen.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"PamGen.sln not found above {AppContext.BaseDirectory}.");
    }
}
