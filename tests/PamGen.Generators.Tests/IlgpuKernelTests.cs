using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// The ILGPU form of <c>[PamKernel]</c>s: emitted only when the compilation references ILGPU, snapshot of the sample
/// kernels, and the generated kernels run on ILGPU's CPU accelerator equal the CPU span kernels bit for bit
/// (forward and accumulating backward, Ieee and Pam, seeded random inputs with zeros, negatives and large values).
/// </summary>
public sealed class IlgpuKernelTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using ILGPU;
        using ILGPU.Runtime;
        using ILGPU.Runtime.CPU;
        using PamGen;
        using static PamGen.PamMath;
        namespace Run;
        public static partial class K
        {
            [PamKernel] public static float Gelu(float x) => x / (1 + Exp(-1.702f * x));
            [PamKernel] public static float Mix(float x) { float s = Sqrt(x * x + 1f); return x > 0.25f ? Log(s) * x : Max(x, -0.5f) + Exp2(x) / s; }
            [PamKernel] public static float Blend(float a, float b) => Max(a, b) - Min(a, b) + Abs(a) + Pow(b, 2f) + Log2(Abs(a) + 1f);
        }
        public static class Harness
        {
            // Returns (GPU bits, CPU bits) of the forward output and of each accumulated gradient, concatenated.
            public static (float[] Gpu, float[] Cpu) Run(string mode, string name, float[] a, float[] b, float[] dy, float[] seed)
                => mode switch
                {
                    "Ieee" => Run<IeeeArithmetic>(name, a, b, dy, seed),
                    "PamExact" => Run<PamArithmetic<ExactBackward>>(name, a, b, dy, seed),
                    _ => Run<PamArithmetic<PamDefaults>>(name, a, b, dy, seed),
                };

            public static void Mismatch()
            {
                using var context = Context.Create(builder => builder.CPU());
                using var accelerator = context.CreateCPUAccelerator(0);
                using var y = accelerator.Allocate1D<float>(4);
                using var x = accelerator.Allocate1D<float>(5);
                K.GeluGpu.Forward<IeeeArithmetic>(accelerator, y.View, x.View);
            }

            static (float[], float[]) Run<T>(string name, float[] a, float[] b, float[] dy, float[] seed) where T : struct, IArithmetic
            {
                int n = a.Length;
                using var context = Context.Create(builder => builder.CPU());
                using var accelerator = context.CreateCPUAccelerator(0);
                using var va = accelerator.Allocate1D(a);
                using var vb = accelerator.Allocate1D(b);
                using var vdy = accelerator.Allocate1D(dy);
                using var vy = accelerator.Allocate1D<float>(n);
                using var vda = accelerator.Allocate1D(seed);
                using var vdb = accelerator.Allocate1D(seed);
                float[] y = new float[n], da = (float[])seed.Clone(), db = (float[])seed.Clone();
                if (name == "Gelu")
                {
                    K.GeluGpu.Forward<T>(accelerator, vy.View, va.View);
                    K.GeluGpu.Backward<T>(accelerator, vda.View, vdy.View, va.View);
                    K.GeluGpu.Backward<T>(accelerator, vda.View, vdy.View, va.View);   // cached kernel, accumulates twice
                    K.GeluForward<T>(y, a); K.GeluBackward<T>(da, dy, a); K.GeluBackward<T>(da, dy, a);
                }
                else if (name == "Mix")
                {
                    K.MixGpu.Forward<T>(accelerator, vy.View, va.View);
                    K.MixGpu.Backward<T>(accelerator, vda.View, vdy.View, va.View);
                    K.MixForward<T>(y, a); K.MixBackward<T>(da, dy, a);
                }
                else
                {
                    K.BlendGpu.Forward<T>(accelerator, vy.View, va.View, vb.View);
                    K.BlendGpu.Backward<T>(accelerator, vda.View, vdb.View, vdy.View, va.View, vb.View);
                    K.BlendForward<T>(y, a, b); K.BlendBackward<T>(da, db, dy, a, b);
                }
                accelerator.Synchronize();
                var gpu = vy.GetAsArray1D().Concat(vda.GetAsArray1D()).Concat(vdb.GetAsArray1D()).ToArray();
                return (gpu, y.Concat(da).Concat(db).ToArray());
            }
        }
        """;

    private static readonly Lazy<Type> Harness = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.RunWithIlgpu(Source);
        Assert.Empty(diagnostics);
        return GeneratorHarness.Load(output).GetType("Run.Harness")!;
    });

    private static string SampleFile([CallerFilePath] string here = "")
        => File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "samples", "PamGen.Sample.Tiny", "Activations.cs"));

    [Fact]
    public void TinySampleActivations()
    {
        var (result, output, diagnostics) = GeneratorHarness.RunWithIlgpu(SampleFile());
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        var ilgpu = result.GeneratedSources.Where(s => s.HintName.EndsWith(".Ilgpu.g.cs", StringComparison.Ordinal))
            .OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => $"//----- {s.HintName}\n{s.SourceText}");
        Snapshot.Verify(string.Join("\n", ilgpu), nameof(IlgpuKernelTests), "cs", nameof(TinySampleActivations));
    }

    [Fact]
    public void NotEmittedWithoutIlgpuReference()
    {
        var (result, _, _) = GeneratorHarness.Run(SampleFile());
        Assert.NotEmpty(result.GeneratedSources);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.Contains("Ilgpu", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Ieee", "Gelu"), InlineData("Pam", "Gelu")]
    [InlineData("Ieee", "Mix"), InlineData("Pam", "Mix")]
    [InlineData("Ieee", "Blend"), InlineData("Pam", "Blend")]
    [InlineData("PamExact", "Gelu"), InlineData("PamExact", "Mix"), InlineData("PamExact", "Blend")]
    public void CpuAcceleratorMatchesSpanKernelsBitForBit(string mode, string name)
    {
        const int n = 3001;   // odd: not a multiple of any vector width or group size
        var random = new Random(20261122 + name.Length);
        float[] Next(float scale) => Enumerable.Range(0, n).Select(i => i % 97 == 0 ? 0f : (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        float[] a = Next(6f), b = Next(3f), dy = Next(2f), seed = Next(1f);
        a[1] = 1e30f; a[2] = -1e-30f; a[3] = float.MaxValue;

        var (gpu, cpu) = ((float[], float[]))Invoke(mode, name, a, b, dy, seed);
        Assert.Equal(cpu.Length, gpu.Length);
        // The worst element: the largest distance between the bit patterns (NaN equals NaN whatever its payload).
        int worst = -1, mismatches = 0;
        long worstDistance = 0;
        for (int i = 0; i < cpu.Length; i++)
        {
            if (float.IsNaN(cpu[i]) && float.IsNaN(gpu[i])) continue;
            long distance = Math.Abs((long)BitConverter.SingleToInt32Bits(cpu[i]) - BitConverter.SingleToInt32Bits(gpu[i]));
            if (distance == 0) continue;
            mismatches++;
            if (distance > worstDistance) (worst, worstDistance) = (i, distance);
        }
        Assert.True(worst < 0, worst < 0 ? "" :
            $"{mode} {name}: {mismatches} elements differ; worst {worst} (pass {worst / n}, index {worst % n}, a={a[worst % n]:R}, b={b[worst % n]:R}): GPU {gpu[worst]:R} != CPU {cpu[worst]:R}, {worstDistance} bit patterns apart");
    }

    [Fact]
    public void LauncherNamesMismatchedView()
    {
        var e = Assert.Throws<ArgumentException>(() => Call("Mismatch"));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("GeluGpu.Forward: 'x' has shape [5] but 'output' has [4]", e.Message);
    }

    private static object Invoke(params object[] args) => Call("Run", args);

    private static object Call(string method, params object[] args)
    {
        try
        {
            return Harness.Value.GetMethod(method)!.Invoke(null, args)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
