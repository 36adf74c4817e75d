using System;
using System.IO;
using System.Linq;
using System.Reflection;
using PamGen.Diagnostics;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// NUMERICS.md §4 for the training runtime: the probe's <c>ops</c> mode runs every operation, the optimizer, the
/// schedule, clipping and both transformers' training steps (fused and unfused) in <c>Pam</c> mode under <c>DOTNET_JitDisasm</c>
/// (tiering off); not one floating-point multiply, divide, square root, FMA or reciprocal may appear in them.
/// </summary>
public class OpsJitDisassemblyTests
{
    private const string PamArith = "PamGen.PamArithmetic`1[PamGen.PamDefaults]";

    private static readonly string[] Patterns =
    {
        "PamGen.Linear:*", "PamGen.MatMul:*", "PamGen.Embedding:*", "PamGen.LayerNorm:*", "PamGen.Softmax:*", "PamGen.Attention:*",
        "PamGen.Relu:*", "PamGen.Gelu:*", "*GeluKernel*:*", "PamGen.LinearFused:*", "*BiasResidualEpilogue*:*", "*BiasDropoutResidualEpilogue*:*", "PamGen.Dropout:*", "PamGen.Residual:*", "PamGen.MeanPool:*", "PamGen.Conv2d:*",
        "PamGen.MaxPool2d:*", "PamGen.CrossEntropy:*", "PamGen.AdamW:*", "PamGen.WarmupCosineSchedule:*", "PamGen.GradientClipping:*",
        "PamGen.Initializers:*", "PamGen.SeededRandom:*", "PamGen.TensorArena:*", "PamGen.NonFiniteException:*",
        "*TransformerModel:*", "*TransformerClassifier*:*", "*TransformerSeq2Seq*:*", "*Sublayer*:*", "*LinearLayer*:*",
        "*LayerNormLayer*:*", "*DropoutLayer*:*", "*EmbeddingLayer*:*", "*ScaleEpilogue*:*",
        // The RowParallel bodies (nested structs of the ops) hold the split kernels.
        "*Body*:*", "PamGen.RowParallel*:*",
    };

    /// <summary>Headers that must be listed, so that an empty or partial listing cannot pass.</summary>
    private static readonly string[] Expected =
    {
        $"PamGen.Linear:Forward[{PamArith}]", $"PamGen.Linear:Backward[{PamArith}]",
        $"PamGen.Attention:Forward[{PamArith},{PamArith}]", $"PamGen.Attention:Backward[{PamArith},{PamArith}]",
        $"PamGen.Softmax:NormalizeLog2RowInPlace[{PamArith}]", $"PamGen.Softmax:BackwardRow[{PamArith}]",
        $"PamGen.LayerNorm:Forward[{PamArith}]", $"PamGen.LayerNorm:Backward[{PamArith}]",
        $"PamGen.Gelu:Forward[{PamArith}]", $"PamGen.Gelu:Backward[{PamArith}]",
        $"PamGen.Attention:ForwardUnfused[{PamArith},{PamArith}]", "PamGen.LinearFused:ForwardActivation", "PamGen.LinearFused:BackwardActivation",
        "PamGen.LinearFused:ForwardDropoutResidual", "PamGen.LinearFused:ForwardResidual",
        $"PamGen.Dropout:Forward[{PamArith}]", $"PamGen.Dropout:Backward[{PamArith}]",
        $"PamGen.Embedding:Forward[{PamArith}]", $"PamGen.MeanPool:Backward[{PamArith}]",
        $"PamGen.CrossEntropy:Forward[{PamArith}]", $"PamGen.CrossEntropy:Backward[{PamArith}]",
        $"PamGen.Conv2d:Forward[{PamArith}]", $"PamGen.Conv2d:Backward[{PamArith}]", "PamGen.MaxPool2d:Forward",
        $"PamGen.AdamW:Update[{PamArith}]", $"PamGen.AdamW:Scalars[{PamArith}]",
        $"PamGen.WarmupCosineSchedule:At[{PamArith}]", $"PamGen.WarmupCosineSchedule:HalfCosine[{PamArith}]",
        $"PamGen.GradientClipping:ClipGlobalNorm[{PamArith}]", $"PamGen.TensorArena:InitializeParameters[{PamArith}]",
        "TrainStep", "Dropout+ForwardBody", "Dropout+BackwardBody", "GradientClipping:SumOfSquares",
    };

    [Fact]
    public void Pam_training_step_executes_no_floating_point_multiply()
    {
        JitDisassembly listing = JitDisassembly.Capture(ProbePath(), Patterns, new[] { "ops" });
        Assert.True(listing.ExitCode == 0, $"probe failed ({listing.ExitCode}):\n{listing.ProcessOutput}");
        foreach (string header in Expected)
            Assert.True(listing.MethodsNamed(header).Any(), $"the listing has no method {header}; it lists {listing.Methods.Count} methods:\n" +
                string.Join("\n", listing.Methods.Select(m => m.Name).Take(80)));
        var offenders = listing.MethodsWithForbiddenInstructions.ToList();
        Assert.True(offenders.Count == 0,
            $"{offenders.Count} of {listing.Methods.Count} methods of a Pam training step execute floating-point multiplies:\n" + string.Join("\n", offenders));
    }

    private static string ProbePath()
    {
        string configuration = typeof(OpsJitDisassemblyTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "PamGen.sln"))) dir = Path.GetDirectoryName(dir)!;
        Assert.NotNull(dir);
        string path = Path.Combine(dir!, "tests", "PamGen.JitProbe", "bin", configuration, "net10.0", "PamGen.JitProbe.dll");
        Assert.True(File.Exists(path), $"probe not built: {path}");
        return path;
    }
}
