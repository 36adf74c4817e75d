using System;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PamGen.Generators;

namespace PamGen.Benchmarks;

/// <summary>
/// Generator cost on a project of 50 models (each with a [PamKernel] it maps): a cold run (fresh process, fresh
/// driver: JIT included) and an incremental run after an edit that changes no model (every step cached).
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- --filter *GeneratorCost*</c>.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 3, warmupCount: 0, iterationCount: 1, id: "Cold")]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5, id: "Warm")]
[MemoryDiagnoser]
public class GeneratorCostBenchmarks
{
    private const int Models = 50;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Enumerable.Range(0, Models).Select(i => CSharpSyntaxTree.ParseText(Model(i), parse, $"Model{i}.cs", Encoding.UTF8)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("namespace Bench; public class Other { public int A => 1; }", parse, "Other.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "System.Runtime.Intrinsics.dll" or "netstandard.dll")
            .Append(typeof(PamKernelAttribute).Assembly.Location).Append(typeof(IArithmetic).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        _compilation = CSharpCompilation.Create("Bench", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var other = _compilation.SyntaxTrees.Single(t => t.FilePath == "Other.cs");
        _edited = _compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Bench; public class Other { public int A => 2; }", parse, "Other.cs"));
        _warmDriver = NewDriver().RunGenerators(_compilation);
    }

    private static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new PamModelGenerator());

    /// <summary>All 50 models and kernels parsed and emitted by a fresh driver.</summary>
    [Benchmark]
    public int Cold50Models() => NewDriver().RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    /// <summary>An edit in a file with no model (alternating between two versions of it), on a driver that has run before.</summary>
    [Benchmark]
    public int UnrelatedEdit()
    {
        _flip = !_flip;
        _warmDriver = _warmDriver.RunGenerators(_flip ? _edited : _compilation);
        return _warmDriver.GetRunResult().GeneratedTrees.Length;
    }

    private bool _flip;

    private static string Model(int i) => $$"""
        using PamGen;
        using static PamGen.ModelBuiltins;
        using static PamGen.PamMath;
        namespace Bench;
        public static partial class Fn{{i}}
        {
            [PamKernel] public static float Act(float x) => x / (1 + Exp(-1.702f * x)) + 0.{{i}}f * x;
        }
        [PamModel(Seed = {{i}})]
        public partial class Model{{i}}
        {
            [Embedding(32, 16)] private static partial TensorExpr Embed(TensorExpr t);
            [Linear(16, 32)] private static partial TensorExpr Up(TensorExpr x);
            [Linear(32, 16)] private static partial TensorExpr Down(TensorExpr x);
            [LayerNorm(16)] private static partial TensorExpr Norm(TensorExpr x);
            [Linear(16, {{2 + i % 5}})] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr t)
            {
                var h = Embed(t);
                h = h + Down(Gelu(Map(Up(Norm(h)), Fn{{i}}.Act)));
                return Head(MeanPool(Norm(h)));
            }
        }
        """;
}
