using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>After an edit that changes no declaration, every named step must report Cached or Unchanged.</summary>
public sealed class CachingTests
{
    private const string Kernels = """
        using PamGen;
        using static PamGen.PamMath;
        namespace Cache;
        public static partial class K
        {
            [PamKernel] public static float Gelu(float x) => x / (1 + Exp(-1.702f * x));
            [PamKernel] public static float Twice(float x) => Gelu(x) + Gelu(x);
        }
        """;

    [Theory]
    [InlineData("unrelated file added")]
    [InlineData("unrelated file edited")]
    [InlineData("comment in kernel file")]
    public void UnrelatedEditKeepsEveryStepCached(string edit)
    {
        var compilation = GeneratorHarness.Compile(("Kernels.cs", Kernels), ("Other.cs", "namespace Cache; public class Other { public int A => 1; }"));
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.NotEmpty(driver.GetRunResult().Results.Single().GeneratedSources);

        Compilation next = edit switch
        {
            "unrelated file added" => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Cache; class Added { }", GeneratorHarness.ParseOptions, "Added.cs")),
            "unrelated file edited" => Replace(compilation, "Other.cs", "namespace Cache; public class Other { public int A => 2; public int B => 3; }"),
            _ => Replace(compilation, "Kernels.cs", "// a comment that changes no declaration\n" + Kernels),
        };
        var result = driver.RunGenerators(next).GetRunResult().Results.Single();

        var steps = result.TrackedSteps;
        Assert.True(steps.ContainsKey(TrackingNames.KernelSpecs), "the named step KernelSpecs was not tracked");
        var reasons = steps[TrackingNames.KernelSpecs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {TrackingNames.KernelSpecs} reported {r} after '{edit}'"));
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.All(outputs, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output step reported {r} after '{edit}'"));
    }

    [Fact]
    public void EditingAKernelReRunsItsStep()
    {
        var compilation = GeneratorHarness.Compile(("Kernels.cs", Kernels));
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var next = Replace(compilation, "Kernels.cs", Kernels.Replace("1.702f", "1.5f"));
        var reasons = driver.RunGenerators(next).GetRunResult().Results.Single().TrackedSteps[TrackingNames.KernelSpecs]
            .SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }

    private static Compilation Replace(Compilation compilation, string path, string text)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path));
    }
}
