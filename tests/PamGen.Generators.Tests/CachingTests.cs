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

    private const string Model = """
        using PamGen;
        using static PamGen.ModelBuiltins;
        namespace Cache;
        [PamModel]
        public partial class M
        {
            [Embedding(5, 4)] private static partial TensorExpr Embed(TensorExpr t);
            [Linear(4, 2)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr t) => Head(MeanPool(Map(Embed(t), K.Twice)));
        }
        """;

    [Theory]
    [InlineData("unrelated file added")]
    [InlineData("unrelated file edited")]
    [InlineData("comment in kernel file")]
    public void UnrelatedEditKeepsEveryStepCached(string edit)
    {
        var compilation = GeneratorHarness.Compile(("Kernels.cs", Kernels), ("Model.cs", Model), ("Other.cs", "namespace Cache; public class Other { public int A => 1; }"));
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        Assert.Contains(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName == "Cache.M.Forward.Cpu.g.cs");

        Compilation next = edit switch
        {
            "unrelated file added" => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Cache; class Added { }", GeneratorHarness.ParseOptions, "Added.cs")),
            "unrelated file edited" => Replace(compilation, "Other.cs", "namespace Cache; public class Other { public int A => 2; public int B => 3; }"),
            _ => Replace(compilation, "Kernels.cs", "// a comment that changes no declaration\n" + Kernels),
        };
        var result = driver.RunGenerators(next).GetRunResult().Results.Single();

        var steps = result.TrackedSteps;
        foreach (var step in new[] { TrackingNames.KernelSpecs, TrackingNames.ModelSpecs, TrackingNames.ForwardPlacement })
        {
            Assert.True(steps.ContainsKey(step), $"the named step {step} was not tracked");
            var reasons = steps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} reported {r} after '{edit}'"));
        }
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
