using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// A generated model whose linear layers run their activations and residuals in the GEMM epilogue (a bias-free
/// linear into a select kernel, a linear into a transcendental kernel, a linear into a residual sum; the other sum adds no linear output and stays unfused) against the unfused
/// composition of the runtime's ops (Linear, the kernels' own generated span functions, Residual) with the same
/// parameters: outputs and every parameter gradient bit for bit in Ieee, PamMatmul and Pam, since every element
/// sees the same operations in the same order.
/// </summary>
public sealed class EpilogueFusionEquivalenceTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using PamGen;
        using static PamGen.ModelBuiltins;
        using static PamGen.PamMath;
        namespace Run;

        public static partial class Fn
        {
            [PamKernel] public static float Swish(float x) => x / (1 + Exp(-x));
            [PamKernel] public static float Leaky(float x) => x > 0 ? x : 0.01f * x;
        }

        [PamModel(Seed = 31)]
        public partial class Net
        {
            [LayerNorm(6)] private static partial TensorExpr In(TensorExpr x);
            [Linear(6, 40)] private static partial TensorExpr Up(TensorExpr x);
            [Linear(40, 6)] private static partial TensorExpr Down(TensorExpr x);
            [Linear(6, 6, Bias = false)] private static partial TensorExpr Gate(TensorExpr x);
            [Linear(6, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr x)
            {
                var h = In(x);
                h = h + Down(Map(Up(h), Fn.Swish));
                h = h + Map(Gate(h), Fn.Leaky);
                return Head(MeanPool(h));
            }
        }

        public static class Harness
        {
            const int B = 2, T = 5, C = 6, U = 40, K = 3;
            static readonly string[] Names = { "In.gamma", "In.beta", "Up.weight", "Up.bias", "Down.weight", "Down.bias", "Gate.weight", "Head.weight", "Head.bias" };

            public static (float[] Out, float[][] Grads) Run(string mode, bool fused, float[] x, float[] dOut) => mode switch
            {
                "Ieee" => Run<IeeeArithmetic, IeeeArithmetic>(fused, x, dOut),
                "PamMatmul" => Run<PamArithmetic<PamDefaults>, IeeeArithmetic>(fused, x, dOut),
                _ => Run<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(fused, x, dOut),
            };

            static (float[], float[][]) Run<TM, TE>(bool fused, float[] x, float[] dOut) where TM : struct, IArithmetic where TE : struct, IArithmetic
            {
                var net = new Net(B, T);
                net.InitializeParameters<TE>();
                if (fused)
                {
                    var o = net.Forward<TM, TE>(x).ToArray();
                    net.ZeroGrad();
                    net.Backward<TM, TE>(dOut);
                    return (o, Names.Select(n => net.Parameters.Single(p => p.Name == n).GradSpan.ToArray()).ToArray());
                }
                var p = Names.Select(n => net.Parameters.Single(t => t.Name == n).Span.ToArray()).ToArray();
                float[] gIn = p[0], bIn = p[1], wUp = p[2], bUp = p[3], wDown = p[4], bDown = p[5], wGate = p[6], wHead = p[7], bHead = p[8];
                int n = B * T;
                var ln = new float[n * C]; var mean = new float[n]; var std = new float[n]; var u = new float[n * U]; var s = new float[n * U];
                var d = new float[n * C]; var h1 = new float[n * C]; var gt = new float[n * C]; var lk = new float[n * C]; var h2 = new float[n * C];
                var pool = new float[B * C]; var outp = new float[B * K];
                LayerNorm.Forward<TE>(ln, mean, std, x, gIn, bIn, n, C);
                Linear.Forward<TM>(u, ln, wUp, bUp, n, C, U);
                Fn.SwishForward<TE>(s, u);
                Linear.Forward<TM>(d, s, wDown, bDown, n, U, C);
                Residual.Forward(h1, ln, d);
                Linear.Forward<TM>(gt, h1, wGate, default, n, C, C);
                Fn.LeakyForward<TE>(lk, gt);
                Residual.Forward(h2, h1, lk);
                global::PamGen.MeanPool.Forward<TE>(pool, h2, default, B, T, C);
                Linear.Forward<TM>(outp, pool, wHead, bHead, B, C, K);

                var g = p.Select(t => new float[t.Length]).ToArray();
                var dPool = new float[B * C]; var dh2 = new float[n * C]; var dh1 = new float[n * C]; var dlk = new float[n * C]; var dgt = new float[n * C];
                var dd = new float[n * C]; var ds = new float[n * U]; var du = new float[n * U]; var dln = new float[n * C]; var dx = new float[n * C];
                Linear.Backward<TM>(dPool, g[7], g[8], dOut, pool, wHead, B, C, K);
                global::PamGen.MeanPool.Backward<TE>(dh2, dPool, default, B, T, C);
                Residual.Backward(dh1, dlk, dh2);
                Fn.LeakyBackward<TE>(dgt, dlk, gt);
                Linear.Backward<TM>(dh1, g[6], default, dgt, h1, wGate, n, C, C);
                Residual.Backward(dln, dd, dh1);
                Linear.Backward<TM>(ds, g[4], g[5], dd, s, wDown, n, U, C);
                Fn.SwishBackward<TE>(du, ds, u);
                Linear.Backward<TM>(dln, g[2], g[3], du, ln, wUp, n, C, U);
                LayerNorm.Backward<TE>(dx, g[0], g[1], dln, x, gIn, mean, std, n, C);
                return (outp, g);
            }
        }
        """;

    private static readonly Lazy<(Type Harness, string Forward)> Compiled = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(Source);
        Assert.Empty(diagnostics);
        string forward = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("Net.Forward.Cpu.g.cs", StringComparison.Ordinal)).ToString();
        return (GeneratorHarness.Load(output).GetType("Run.Harness")!, forward);
    });

    [Fact]
    public void EveryLinearWithASingleUseRunsItsConsumerInTheEpilogue()
    {
        string forward = Compiled.Value.Forward;
        Assert.Equal(2, Count(forward, "LinearFused.ForwardActivation<"));
        Assert.Equal(1, Count(forward, "LinearFused.ForwardResidual<"));
        Assert.Equal(1, Count(forward, "Linear.Forward<"));
    }

    [Theory]
    [InlineData("Ieee")]
    [InlineData("PamMatmul")]
    [InlineData("Pam")]
    public void FusedModelEqualsTheUnfusedComposition(string mode)
    {
        var rng = new Random(mode.Length + 70);
        float[] x = Enumerable.Range(0, 2 * 5 * 6).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float[] dOut = Enumerable.Range(0, 2 * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var fused = Call(mode, true, x, dOut);
        var unfused = Call(mode, false, x, dOut);
        AssertBits(mode + " output", unfused.Out, fused.Out);
        string[] names = { "In.gamma", "In.beta", "Up.weight", "Up.bias", "Down.weight", "Down.bias", "Gate.weight", "Head.weight", "Head.bias" };
        for (int p = 0; p < names.Length; p++) AssertBits($"{mode} d{names[p]}", unfused.Grads[p], fused.Grads[p]);
    }

    private static void AssertBits(string what, float[] expected, float[] actual)
    {
        BitComparison.AssertEqual(what, expected, actual, "unfused", "fused");
        Assert.Contains(expected, v => v != 0f);
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static (float[] Out, float[][] Grads) Call(string mode, bool fused, float[] x, float[] dOut)
    {
        try
        {
            return ((float[], float[][]))Compiled.Value.Harness.GetMethod("Run")!.Invoke(null, new object[] { mode, fused, x, dOut })!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }
}
