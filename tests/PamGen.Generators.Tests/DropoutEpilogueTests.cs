using System;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>
/// A linear layer whose output goes through a dropout into a residual sum runs as one GEMM with a
/// dropout-and-residual epilogue (<c>LinearFused.ForwardDropoutResidual</c>), and its backward as one
/// <c>Dropout.BackwardResidual</c> pass. Checked bit for bit, in training and inference passes and in Ieee, PamMatmul
/// and Pam, against the unfused composition of the runtime's ops (Linear, Dropout, Residual) with the same
/// parameters and the same dropout stream; and encoder/decoder blocks declared with <c>Dropout</c> get one such fused
/// dropout per sub-layer.
/// </summary>
public sealed class DropoutEpilogueTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using PamGen;
        using static PamGen.ModelBuiltins;
        namespace Run;

        [PamModel(Seed = 31)]
        public partial class Net
        {
            [LayerNorm(6)] private static partial TensorExpr In(TensorExpr x);
            [Linear(6, 40)] private static partial TensorExpr Up(TensorExpr x);
            [Linear(40, 6)] private static partial TensorExpr Down(TensorExpr x);
            [Dropout(0.25f)] private static partial TensorExpr Drop(TensorExpr x);
            [Linear(6, 3)] private static partial TensorExpr Head(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr x)
            {
                var h = In(x);
                h = h + Drop(Down(Up(h)));
                return Head(MeanPool(h));
            }
        }

        public static class Harness
        {
            const int B = 2, T = 5, C = 6, U = 40, K = 3;
            static readonly string[] Names = { "In.gamma", "In.beta", "Up.weight", "Up.bias", "Down.weight", "Down.bias", "Head.weight", "Head.bias" };

            public static (float[] Out, float[][] Grads) Run(string mode, bool fused, bool training, ulong dropNode, float[] x, float[] dOut) => mode switch
            {
                "Ieee" => Run<IeeeArithmetic, IeeeArithmetic>(fused, training, dropNode, x, dOut),
                "PamMatmul" => Run<PamArithmetic<PamDefaults>, IeeeArithmetic>(fused, training, dropNode, x, dOut),
                _ => Run<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(fused, training, dropNode, x, dOut),
            };

            static (float[], float[][]) Run<TM, TE>(bool fused, bool training, ulong dropNode, float[] x, float[] dOut) where TM : struct, IArithmetic where TE : struct, IArithmetic
            {
                var net = new Net(B, T);
                net.InitializeParameters<TE>();
                if (fused)
                {
                    var o = net.Forward<TM, TE>(x, training).ToArray();
                    net.ZeroGrad();
                    net.Backward<TM, TE>(dOut);
                    return (o, Names.Select(n => net.Parameters.Single(p => p.Name == n).GradSpan.ToArray()).ToArray());
                }
                // The generated model's first forward pass draws its dropout stream from Mix(Seed + 1), offset by the node.
                ulong seed = SeededRandom.Mix(31UL + 1UL) + dropNode;
                var p = Names.Select(n => net.Parameters.Single(t => t.Name == n).Span.ToArray()).ToArray();
                float[] gIn = p[0], bIn = p[1], wUp = p[2], bUp = p[3], wDown = p[4], bDown = p[5], wHead = p[6], bHead = p[7];
                int n = B * T;
                var ln = new float[n * C]; var mean = new float[n]; var std = new float[n]; var u = new float[n * U];
                var d = new float[n * C]; var dr = new float[n * C]; var h1 = new float[n * C]; var pool = new float[B * C]; var outp = new float[B * K];
                LayerNorm.Forward<TE>(ln, mean, std, x, gIn, bIn, n, C);
                Linear.Forward<TM>(u, ln, wUp, bUp, n, C, U);
                Linear.Forward<TM>(d, u, wDown, bDown, n, U, C);
                if (training) Dropout.Forward<TE>(dr, d, 0.25f, seed); else d.CopyTo(dr, 0);
                Residual.Forward(h1, ln, dr);
                global::PamGen.MeanPool.Forward<TE>(pool, h1, default, B, T, C);
                Linear.Forward<TM>(outp, pool, wHead, bHead, B, C, K);

                var g = p.Select(t => new float[t.Length]).ToArray();
                var dPool = new float[B * C]; var dh1 = new float[n * C]; var ddr = new float[n * C]; var dd = new float[n * C];
                var du = new float[n * U]; var dln = new float[n * C]; var dx = new float[n * C];
                Linear.Backward<TM>(dPool, g[6], g[7], dOut, pool, wHead, B, C, K);
                global::PamGen.MeanPool.Backward<TE>(dh1, dPool, default, B, T, C);
                Residual.Backward(dln, ddr, dh1);
                if (training) Dropout.Backward<TE>(dd, ddr, 0.25f, seed); else Residual.Forward(dd, dd, ddr);
                Linear.Backward<TM>(du, g[4], g[5], dd, u, wDown, n, U, C);
                Linear.Backward<TM>(dln, g[2], g[3], du, ln, wUp, n, C, U);
                LayerNorm.Backward<TE>(dx, g[0], g[1], dln, x, gIn, mean, std, n, C);
                return (outp, g);
            }
        }

        [PamModel(Seed = 5)]
        public partial class Blocks
        {
            [Embedding(12, 8, MaxSeq = 6)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Layers = 2, Dim = 8, Heads = 2, Hidden = 16, Dropout = 0.2f)] private static partial TensorExpr Encoder(TensorExpr x);
            [TransformerDecoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 16, Dropout = 0.2f)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [Linear(8, 12)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr source, TensorExpr target) => Out(Decoder(Embed(target), Encoder(Embed(source))));
        }

        [PamModel(Seed = 5)]
        public partial class BlocksWithoutDropout
        {
            [Embedding(12, 8, MaxSeq = 6)] private static partial TensorExpr Embed(TensorExpr t);
            [TransformerEncoder(Layers = 2, Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Encoder(TensorExpr x);
            [TransformerDecoder(Layers = 1, Dim = 8, Heads = 2, Hidden = 16)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
            [Linear(8, 12)] private static partial TensorExpr Out(TensorExpr x);
            [Forward] static TensorExpr F(TensorExpr source, TensorExpr target) => Out(Decoder(Embed(target), Encoder(Embed(source))));
        }

        public static class BlockHarness
        {
            public static float[] Run(bool dropout, bool training)
            {
                var source = Enumerable.Range(0, 2 * 6).Select(i => (i * 7 + 3) % 12).ToArray();
                var target = Enumerable.Range(0, 2 * 5).Select(i => (i * 5 + 1) % 12).ToArray();
                return dropout
                    ? new Blocks(2, 6, 5).Forward<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(source, target, training).ToArray()
                    : new BlocksWithoutDropout(2, 6, 5).Forward<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(source, target, training).ToArray();
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, string NetForward, string BlocksForward, string BlocksBackward)> Compiled = new(() =>
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(Source);
        Assert.Empty(diagnostics);
        string File(string name) => output.SyntaxTrees.Single(t => t.FilePath.EndsWith(name, StringComparison.Ordinal)).ToString();
        return (GeneratorHarness.Load(output), File("Net.Forward.Cpu.g.cs"), File(".Blocks.Forward.Cpu.g.cs"), File(".Blocks.Backward.Cpu.g.cs"));
    });

    [Fact]
    public void LinearDropoutResidualRunsInOneEpilogue()
    {
        string forward = Compiled.Value.NetForward;
        Assert.Equal(1, Count(forward, "LinearFused.ForwardDropoutResidual<"));
        Assert.Equal(0, Count(forward, "Dropout.Forward<"));
    }

    [Theory]
    [InlineData("Ieee", true)]
    [InlineData("PamMatmul", true)]
    [InlineData("Pam", true)]
    [InlineData("Pam", false)]
    public void FusedModelEqualsTheUnfusedComposition(string mode, bool training)
    {
        ulong dropNode = ulong.Parse(Regex.Match(Compiled.Value.NetForward, @"_dropoutSeed \+ (\d+)UL").Groups[1].Value);
        var rng = new Random(mode.Length + 90);
        float[] x = Enumerable.Range(0, 2 * 5 * 6).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float[] dOut = Enumerable.Range(0, 2 * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var fused = Call(mode, true, training, dropNode, x, dOut);
        var unfused = Call(mode, false, training, dropNode, x, dOut);
        AssertBits(mode + " output", unfused.Out, fused.Out);
        string[] names = { "In.gamma", "In.beta", "Up.weight", "Up.bias", "Down.weight", "Down.bias", "Head.weight", "Head.bias" };
        for (int p = 0; p < names.Length; p++) AssertBits($"{mode} d{names[p]}", unfused.Grads[p], fused.Grads[p]);
        if (training)
        {
            // The dropout really drops: without it (an inference pass of the same composition) the output differs.
            var plain = Call(mode, false, false, dropNode, x, dOut);
            Assert.NotEqual(plain.Out, unfused.Out);
        }
    }

    [Fact]
    public void BlocksWithDropoutFuseOneDropoutPerSubLayer()
    {
        // Two encoder blocks (attention, feed-forward) and one decoder block (self-attention, cross-attention, feed-forward).
        Assert.Equal(2 * 2 + 3, Count(Compiled.Value.BlocksForward, "LinearFused.ForwardDropoutResidual<"));
        Assert.Equal(2 * 2 + 3, Count(Compiled.Value.BlocksBackward, "Dropout.BackwardResidual<"));
    }

    [Fact]
    public void BlockDropoutActsOnlyInTraining()
    {
        var harness = Compiled.Value.Assembly.GetType("Run.BlockHarness")!.GetMethod("Run")!;
        float[] Run(bool dropout, bool training) => (float[])Invoke(harness, dropout, training);
        // Dropout layers hold no parameters: both models initialise the same weights from the same seed.
        Assert.Equal(Run(false, false), Run(true, false));
        Assert.NotEqual(Run(false, true), Run(true, true));
    }

    private static (float[] Out, float[][] Grads) Call(string mode, bool fused, bool training, ulong dropNode, float[] x, float[] dOut)
    {
        var run = Compiled.Value.Assembly.GetType("Run.Harness")!.GetMethod("Run")!;
        return ((float[], float[][]))Invoke(run, mode, fused, training, dropNode, x, dOut);
    }

    private static object Invoke(MethodInfo method, params object[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    private static void AssertBits(string what, float[] expected, float[] actual)
    {
        BitComparison.AssertEqual(what, expected, actual, "unfused", "fused");
        Assert.Contains(expected, v => v != 0f);
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;
}
