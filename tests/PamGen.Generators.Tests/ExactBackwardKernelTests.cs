using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// Generated <c>[PamKernel]</c> backward kernels under <c>PamArithmetic&lt;ExactBackward&gt;</c> against the runtime's exact
/// derivative helpers (<see cref="Pam.MulGradAExact(float, float, float)"/>, <see cref="Pam.DivGradAExact(float, float, float)"/>,
/// <see cref="Pam.DivGradBExact(float, float, float)"/>, <see cref="Pam.Exp2Grad"/>, <see cref="Pam.Log2Grad"/>) chained
/// through each composite's definition in NUMERICS.md §1, bit for bit; and under <c>PamArithmetic&lt;PamDefaults&gt;</c>
/// against the approximate rules as before (the exact path is taken only when the mode asks for it).
/// </summary>
public sealed class ExactBackwardKernelTests
{
    private const string Source = """
        using PamGen;
        using static PamGen.PamMath;
        namespace Run;
        public static partial class K
        {
            [PamKernel] public static float Product(float x, float y) => x * y;
            [PamKernel] public static float Quotient(float x, float y) => x / y;
            [PamKernel] public static float E(float x) => Exp(x);
            [PamKernel] public static float L(float x) => Log(x);
            [PamKernel] public static float E2(float x) => Exp2(x);
            [PamKernel] public static float L2(float x) => Log2(x);
            [PamKernel] public static float Root(float x) => Sqrt(x);
        }
        public static class Harness
        {
            public static void Backward(bool exact, string name, float[][] d, float[] dy, float[][] x)
            {
                if (exact) Run<PamArithmetic<ExactBackward>>(name, d, dy, x); else Run<PamArithmetic<PamDefaults>>(name, d, dy, x);
            }
            static void Run<T>(string name, float[][] d, float[] dy, float[][] x) where T : struct, IArithmetic
            {
                switch (name)
                {
                    case "Product": K.ProductBackward<T>(d[0], d[1], dy, x[0], x[1]); break;
                    case "Quotient": K.QuotientBackward<T>(d[0], d[1], dy, x[0], x[1]); break;
                    case "E": K.EBackward<T>(d[0], dy, x[0]); break;
                    case "L": K.LBackward<T>(d[0], dy, x[0]); break;
                    case "E2": K.E2Backward<T>(d[0], dy, x[0]); break;
                    case "L2": K.L2Backward<T>(d[0], dy, x[0]); break;
                    default: K.RootBackward<T>(d[0], dy, x[0]); break;
                }
            }
        }
        """;

    private const int N = 301;

    private static readonly Lazy<Type> Harness = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(Source);
        Assert.Empty(diagnostics);
        return GeneratorHarness.Load(output).GetType("Run.Harness")!;
    });

    // v·2^−1 by decrementing the exponent field (normal values only, as the test's inputs are).
    private static float Halve(float v) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(v) - (1 << 23));

    /// <summary>The exact gradients per input, from the runtime's helpers.</summary>
    private static float[] Exact(string name, float g, float x, float y) => name switch
    {
        "Product" => new[] { Pam.MulGradAExact(g, x, y), Pam.MulGradAExact(g, y, x) },
        "Quotient" => new[] { Pam.DivGradAExact(g, x, y), Pam.DivGradBExact(g, x, y) },
        // Exp = Exp2(Mul(x, log2 e)); Log = Div(Log2 x, log2 e); Sqrt = Exp2(Log2(x)·2^−1).
        "E" => new[] { Pam.MulGradAExact(Pam.Exp2Grad(g, Pam.Mul(x, Pam.Log2E)), x, Pam.Log2E) },
        "L" => new[] { Pam.Log2Grad(Pam.DivGradAExact(g, Pam.Log2(x), Pam.Log2E), x) },
        "E2" => new[] { Pam.Exp2Grad(g, x) },
        "L2" => new[] { Pam.Log2Grad(g, x) },
        _ => new[] { Pam.Log2Grad(Halve(Pam.Exp2Grad(g, Halve(Pam.Log2(x)))), x) },
    };

    /// <summary>The approximate (default) gradients: NUMERICS.md §2's right column and the smooth rules of the table.</summary>
    private static float[] Approximate(string name, float g, float x, float y) => name switch
    {
        "Product" => new[] { Pam.Mul(g, y), Pam.Mul(g, x) },
        "Quotient" => new[] { Pam.Div(g, y), -Pam.Div(Pam.Mul(x, g), Pam.Mul(y, y)) },
        "E" => new[] { Pam.Mul(g, Pam.Exp(x)) },
        "L" => new[] { Pam.Div(g, x) },
        "E2" => new[] { Pam.Mul(Pam.Mul(g, Pam.Exp2(x)), 0.6931472f) },
        "L2" => new[] { Pam.Div(g, Pam.Mul(x, 0.6931472f)) },
        _ => new[] { Pam.Div(Pam.Mul(g, 0.5f), Pam.Sqrt(x)) },
    };

    [Theory]
    [InlineData("Product", 2)]
    [InlineData("Quotient", 2)]
    [InlineData("E", 1)]
    [InlineData("L", 1)]
    [InlineData("E2", 1)]
    [InlineData("L2", 1)]
    [InlineData("Root", 1)]
    public void ExactAndApproximateBackwardMatchTheRuntime(string name, int arity)
    {
        var rng = new Random(name.Length * 31 + arity);
        bool positive = name is "L" or "L2" or "Root";
        float[][] x = Enumerable.Range(0, arity).Select(_ => Enumerable.Range(0, N)
            .Select(_ => (float)((positive ? 0.05 : -3) + rng.NextDouble() * (positive ? 6 : 6))).ToArray()).ToArray();
        float[] dy = Enumerable.Range(0, N).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var exact = Run(true, name, arity, dy, x);
        var approximate = Run(false, name, arity, dy, x);
        int differ = 0;
        for (int a = 0; a < arity; a++)
        {
            var expectedExact = Enumerable.Range(0, N).Select(i => Exact(name, dy[i], x[0][i], arity > 1 ? x[1][i] : 0f)[a]).ToArray();
            var expectedApproximate = Enumerable.Range(0, N).Select(i => Approximate(name, dy[i], x[0][i], arity > 1 ? x[1][i] : 0f)[a]).ToArray();
            AssertBits($"{name} exact d{a}", expectedExact, exact[a], x);
            AssertBits($"{name} approximate d{a}", expectedApproximate, approximate[a], x);
            differ += Enumerable.Range(0, N).Count(i => exact[a][i] != approximate[a][i]);
        }
        Assert.True(differ > 0, $"{name}: the exact and approximate backward gave the same {N * arity} values; the exact path was not taken.");
    }

    private static float[][] Run(bool exact, string name, int arity, float[] dy, float[][] x)
    {
        var d = Enumerable.Range(0, arity).Select(_ => new float[N]).ToArray();
        try
        {
            Harness.Value.GetMethod("Backward")!.Invoke(null, new object[] { exact, name, d, dy, x });
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
        return d;
    }

    private static void AssertBits(string what, float[] expected, float[] actual, float[][] x)
        => BitComparison.AssertEqual(what, expected, actual, "runtime", "generated", worst => $"at x = {x[0][worst]}");
}
