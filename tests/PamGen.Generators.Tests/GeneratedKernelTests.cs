using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Compiles generated kernels in memory and runs them: the backward kernel against central finite differences of
/// the forward kernel (Ieee, float64 differences of float32 results widened), and the Vector512/Vector256 loops
/// against the scalar tail bit for bit in Ieee and Pam modes.
/// </summary>
public sealed class GeneratedKernelTests
{
    private const string Source = """
        using PamGen;
        using static PamGen.PamMath;
        namespace Run;
        public static partial class K
        {
            [PamKernel] public static float Gelu(float x) => x / (1 + Exp(-1.702f * x));
            [PamKernel] public static float Mix(float x) { float s = Sqrt(x * x + 1f); return x > 0.25f ? Log(s) * x : Max(x, -0.5f) + Exp2(x) / s; }
            [PamKernel] public static float Chain(float x) => Gelu(Mix(x));
        }
        public static class Harness
        {
            public static void Forward(string mode, string name, float[] y, float[] x)
            {
                if (mode == "Ieee") Call<IeeeArithmetic>(name, y, x); else Call<PamArithmetic<PamDefaults>>(name, y, x);
            }
            static void Call<T>(string name, float[] y, float[] x) where T : struct, IArithmetic
            {
                if (name == "Gelu") K.GeluForward<T>(y, x); else if (name == "Mix") K.MixForward<T>(y, x); else K.ChainForward<T>(y, x);
            }
            public static void Backward(string mode, string name, float[] dx, float[] dy, float[] x)
            {
                if (mode == "Ieee") CallB<IeeeArithmetic>(name, dx, dy, x); else CallB<PamArithmetic<PamDefaults>>(name, dx, dy, x);
            }
            static void CallB<T>(string name, float[] dx, float[] dy, float[] x) where T : struct, IArithmetic
            {
                if (name == "Gelu") K.GeluBackward<T>(dx, dy, x); else if (name == "Mix") K.MixBackward<T>(dx, dy, x); else K.ChainBackward<T>(dx, dy, x);
            }
        }
        """;

    private static readonly Lazy<Type> Harness = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(Source);
        Assert.Empty(diagnostics);
        return GeneratorHarness.Load(output).GetType("Run.Harness")!;
    });

    private static void Forward(string mode, string name, float[] y, float[] x) => Invoke("Forward", mode, name, y, x);
    private static void Backward(string mode, string name, float[] dx, float[] dy, float[] x) => Invoke("Backward", mode, name, dx, dy, x);

    private static void Invoke(string method, params object[] args)
    {
        try
        {
            Harness.Value.GetMethod(method)!.Invoke(null, args);
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    [Theory]
    [InlineData("Gelu")]
    [InlineData("Mix")]
    [InlineData("Chain")]
    public void BackwardMatchesFiniteDifferencesInIeee(string name)
    {
        var rng = new Random(name.Length * 31 + 5);
        // Away from the kinks of Mix (x = 0.25 and x = -0.5).
        var x = Enumerable.Range(0, 67).Select(_ => (float)(rng.NextDouble() * 4 - 2)).Where(v => Math.Abs(v - 0.25f) > 0.05f && Math.Abs(v + 0.5f) > 0.05f).ToArray();
        var dy = x.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var dx = new float[x.Length];
        Backward("Ieee", name, dx, dy, x);
        const float h = 1e-2f;
        var plus = x.Select(v => v + h).ToArray();
        var minus = x.Select(v => v - h).ToArray();
        var yp = new float[x.Length];
        var ym = new float[x.Length];
        Forward("Ieee", name, yp, plus);
        Forward("Ieee", name, ym, minus);
        double worst = 0;
        int at = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double numeric = dy[i] * ((double)yp[i] - ym[i]) / ((double)plus[i] - minus[i]);
            double error = Math.Abs(dx[i] - numeric) / Math.Max(1, Math.Abs(numeric));
            if (error > worst) (worst, at) = (error, i);
        }
        Assert.True(worst < 2e-3, $"{name}: worst relative error {worst:E2} at x = {x[at]} (dx {dx[at]})");
    }

    [Theory]
    [InlineData("Ieee", "Gelu")]
    [InlineData("Ieee", "Chain")]
    [InlineData("Pam", "Gelu")]
    [InlineData("Pam", "Mix")]
    [InlineData("Pam", "Chain")]
    public void VectorLoopsEqualScalarTailBitForBit(string mode, string name)
    {
        var rng = new Random(mode.Length * 7 + name.Length);
        var x = Enumerable.Range(0, 53).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
        var dy = x.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Forward(mode, name, y, x);
        Backward(mode, name, dx, dy, x);
        for (int i = 0; i < x.Length; i++)
        {
            // A one-element call runs only the scalar loop.
            var y1 = new float[1];
            var dx1 = new float[1];
            Forward(mode, name, y1, new[] { x[i] });
            Backward(mode, name, dx1, new[] { dy[i] }, new[] { x[i] });
            Assert.True(BitConverter.SingleToInt32Bits(y1[0]) == BitConverter.SingleToInt32Bits(y[i]), $"{mode} {name} forward element {i}: vector {y[i]} vs scalar {y1[0]} at x = {x[i]}");
            Assert.True(BitConverter.SingleToInt32Bits(dx1[0]) == BitConverter.SingleToInt32Bits(dx[i]), $"{mode} {name} backward element {i}: vector {dx[i]} vs scalar {dx1[0]} at x = {x[i]}");
        }
    }

    [Fact]
    public void MismatchedLengthsThrowNamingTheSpan()
    {
        var ex = Assert.Throws<ArgumentException>(() => Forward("Ieee", "Gelu", new float[3], new float[4]));
        Assert.Equal("x", ex.ParamName);
    }
}
