using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using PamGen.CodeFixes;

namespace PamGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs the analyzer and <see cref="PamReplacementCodeFix"/>: each diagnostic's fix, then Fix All in document,
/// project and solution scope (the testing library runs all three when the provider supports them), comparing
/// with the expected source. Sources compile against <see cref="PamStubs"/>.
/// </summary>
internal sealed class CodeFixTest : CSharpCodeFixTest<StrayMultiplicationAnalyzer, PamReplacementCodeFix, DefaultVerifier>
{
    public CodeFixTest()
    {
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.Small);
        FixedState.AdditionalReferences.AddRange(TestReferences.Small);
        TestState.Sources.Add(("/0/PamStubs.cs", PamStubs.Source));
        FixedState.Sources.Add(("/0/PamStubs.cs", PamStubs.Source));
        // Diagnostics left after the fix (no PAM form for them) are written as markup in the fixed source too.
        FixedState.MarkupHandling = MarkupMode.Allow;
    }

    /// <summary>Verifies that <paramref name="source"/> (with markup) becomes <paramref name="fixedSource"/>.</summary>
    public static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new CodeFixTest();
        test.TestState.Sources.Insert(0, ("/0/Test0.cs", SourceText.From(source)));
        test.FixedState.Sources.Insert(0, ("/0/Test0.cs", SourceText.From(fixedSource)));
        return test.RunAsync();
    }

    /// <summary>Unsafe code allowed, as in PamGen.Runtime (function pointers, pointers to floats).</summary>
    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithAllowUnsafe(true);
}
