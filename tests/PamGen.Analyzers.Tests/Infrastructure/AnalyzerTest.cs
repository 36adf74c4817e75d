using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace PamGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="StrayMultiplicationAnalyzer"/> over test sources (plus <see cref="PamStubs"/>) with the
/// offline references. Diagnostics are written as markup in the sources (<c>{|PAM0100:a * b|}</c>); a test
/// fails on any missing or extra diagnostic, Info ones included.
/// </summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<StrayMultiplicationAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(params string[] sources)
    {
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.Small);
        for (var i = 0; i < sources.Length; i++) TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
        TestState.Sources.Add(("/0/PamStubs.cs", PamStubs.Source));
    }

    /// <summary>Verifies the markup in <paramref name="sources"/> (several sources make one compilation).</summary>
    public static Task VerifyAsync(params string[] sources) => new AnalyzerTest(sources).RunAsync();

    /// <summary>A diagnostic for explicit expectations (severity changes): locate it with <c>{|#0:...|}</c> markup and <c>.WithLocation(0)</c>.</summary>
    public static DiagnosticResult Diagnostic(string id, DiagnosticSeverity severity) => new(id, severity);

    /// <summary>Unsafe code allowed, as in PamGen.Runtime (function pointers, pointers to floats).</summary>
    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithAllowUnsafe(true);
}
