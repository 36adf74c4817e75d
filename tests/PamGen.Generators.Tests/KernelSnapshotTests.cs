using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>Snapshots of the generated kernels (sample declarations and each syntax variant) and of the diagnostics.</summary>
public sealed class KernelSnapshotTests
{
    private const string Usings = "using PamGen;\nusing static PamGen.PamMath;\n\n";

    private static void VerifyGenerated(string source, [CallerMemberName] string method = "")
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(source);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        Snapshot.Verify(GeneratorHarness.GeneratedText(result), nameof(KernelSnapshotTests), "cs", method);
    }

    private static void VerifyDiagnostics(string source, [CallerMemberName] string method = "")
    {
        var (result, _, diagnostics) = GeneratorHarness.Run(source);
        Assert.NotEmpty(diagnostics);
        Assert.Empty(result.GeneratedSources);
        Snapshot.Verify(GeneratorHarness.DiagnosticsOf(source), nameof(KernelSnapshotTests), "txt", method);
    }

    private static string SampleFile([CallerFilePath] string here = "")
        => File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "samples", "PamGen.Sample.Tiny", "Activations.cs"));

    [Fact]
    public void TinySampleActivations() => VerifyGenerated(SampleFile());

    [Fact]
    public void TwoInputsWithSelectsAndPow() => VerifyGenerated(Usings + """
        namespace Variants;
        internal static partial class Mixed
        {
            [PamKernel] public static float Blend(float a, float b) => Max(a, b) - Min(a, b) + Abs(a) + Pow(b, 2f);
        }
        """);

    [Fact]
    public void BlockBodyNestedTypesAndGlobalNamespace() => VerifyGenerated(Usings + """
        public partial class Outer
        {
            public partial struct Inner
            {
                [PamKernel]
                public static float Softsign(float x)
                {
                    float d = 1f + Abs(x);
                    d *= 1f;
                    var y = x / d;
                    return y >= 0 ? y : -y * 0.5f + Log(Exp2(Log2(Sqrt(2f))));
                }
            }
        }
        """);

    [Fact]
    public void NotPartial() => VerifyDiagnostics(Usings + """
        public static class Plain
        {
            [PamKernel] public static float F(float x) => x * x;
        }
        """);

    [Fact]
    public void NestedInNotPartial() => VerifyDiagnostics(Usings + """
        public class Outer
        {
            public static partial class Inner
            {
                [PamKernel] public static float F(float x) => x * x;
            }
        }
        """);

    [Fact]
    public void Recursion() => VerifyDiagnostics(Usings + """
        public static partial class Loop
        {
            [PamKernel] public static float A(float x) => B(x) + 1;
            [PamKernel] public static float B(float x) => A(x) * 2;
        }
        """);

    [Fact]
    public void UnsupportedExpressionsAndTypes() => VerifyDiagnostics(Usings + """
        public static partial class Bad
        {
            [PamKernel] public static float Cast(float x) => (float)System.Math.Round(x);
            [PamKernel] public static double Wide(double x) => x;
            [PamKernel] public static float Branchy(float x) { if (x > 0) return x; return -x; }
            [PamKernel] public float Instance(float x) => x;
            [PamKernel] public static float Unknown(float x) => x + y;
            [PamKernel] public static float Reserved(float output) => output;
            [PamKernel] public static float Logical(float x) => x > 0 && x < 1 ? x : 0;
        }
        """);
}
