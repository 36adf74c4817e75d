using System;
using System.Linq;
using Xunit;
using I = PamGen.IeeeArithmetic;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// The fused ops models call equal the unfused ops they replace, bit for bit: <see cref="Attention.Forward"/> (the
/// score scale in the score GEMM's epilogue) vs <see cref="Attention.ForwardUnfused"/> (the scale as its own pass;
/// causal and key-padding masks, Ieee and Pam), and <see cref="LinearFused"/>
/// vs <see cref="Linear"/> followed by the activation or <see cref="Residual"/> (forward, the activation's backward and
/// the bias gradient), on one and two threads.
/// </summary>
public class FusedOpsTests
{
    private static float[] Rand(int n, ulong seed, float scale = 1f) => GradCheck.Random(n, seed, scale);

    private static void SameBits(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = -1;
        long worstDistance = 0, mismatches = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            long d = Math.Abs((long)BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]));
            if (d == 0) continue;
            mismatches++;
            if (d > worstDistance) (worst, worstDistance) = (i, d);
        }
        Assert.True(mismatches == 0, $"{what}: {mismatches} of {expected.Length} differ; worst [{worst}] fused {(worst < 0 ? 0 : actual[worst])} vs unfused {(worst < 0 ? 0 : expected[worst])}");
        Assert.Contains(expected, x => x != 0f);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    public void FusedAttentionEqualsAttention(bool pam, bool causal, bool padding)
    {
        const int batch = 3, t = 37, dim = 24, heads = 3;
        var q = Rand(batch * t * dim, 31, 2f); var k = Rand(batch * t * dim, 32, 2f); var v = Rand(batch * t * dim, 33);
        var keep = padding ? Enumerable.Range(0, batch * t).Select(i => (byte)(i % 5 == 2 ? 0 : 1)).ToArray() : Array.Empty<byte>();
        var (o1, p1, o2, p2) = (new float[q.Length], new float[batch * heads * t * t], new float[q.Length], new float[batch * heads * t * t]);
        if (pam)
        {
            Attention.ForwardUnfused<P, P>(o1, p1, q, k, v, keep, batch, t, t, dim, heads, causal);
            Attention.Forward<P, P>(o2, p2, q, k, v, keep, batch, t, t, dim, heads, causal);
        }
        else
        {
            Attention.ForwardUnfused<I, I>(o1, p1, q, k, v, keep, batch, t, t, dim, heads, causal);
            Attention.Forward<I, I>(o2, p2, q, k, v, keep, batch, t, t, dim, heads, causal);
        }
        SameBits("probabilities", p1, p2);
        SameBits("output", o1, o2);
    }

    private struct GeluKernel<T> : IElementwiseKernel where T : struct, IArithmetic
    {
        public void Forward(Span<float> output, ReadOnlySpan<float> input) => Gelu.Forward<T>(output, input);
        public void Backward(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input) => Gelu.Backward<T>(dInput, dOutput, input);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void FusedLinearEqualsLinearThenActivationOrResidual(bool pam, int threads)
    {
        if (pam) Run<P>(threads); else Run<I>(threads);
    }

    private static void Run<T>(int threads) where T : struct, IArithmetic
    {
        const int n = 67, inDim = 40, outDim = 72;
        var x = Rand(n * inDim, 41); var w = Rand(outDim * inDim, 42, 0.3f); var b = Rand(outDim, 43); var r = Rand(n * outDim, 44); var dy = Rand(n * outDim, 45);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = threads;
            // Activation: Linear then Gelu vs one fused call.
            var pre1 = new float[n * outDim]; var act1 = new float[n * outDim];
            Linear.Forward<T>(pre1, x, w, b, n, inDim, outDim);
            Gelu.Forward<T>(act1, pre1);
            var pre2 = new float[n * outDim]; var act2 = new float[n * outDim];
            LinearFused.ForwardActivation<T, GeluKernel<T>>(act2, pre2, x, w, b, n, inDim, outDim);
            SameBits("pre-activation", pre1, pre2);
            SameBits("activation", act1, act2);
            // Its backward: Gelu.Backward then Linear's row sums vs the fused pass.
            var dPre1 = new float[n * outDim]; var db1 = new float[outDim];
            Gelu.Backward<T>(dPre1, dy, pre1);
            Linear.Backward<T>(default, new float[outDim * inDim], db1, dPre1, x, w, n, inDim, outDim);
            var dPre2 = new float[n * outDim]; var db2 = new float[outDim];
            LinearFused.BackwardActivation<GeluKernel<T>>(dPre2, db2, dy, pre2, n, outDim);
            SameBits("pre-activation gradient", dPre1, dPre2);
            SameBits("bias gradient", db1, db2);
            // Residual: Linear then Residual vs one fused call.
            var lin = new float[n * outDim]; var sum1 = new float[n * outDim]; var sum2 = new float[n * outDim];
            Linear.Forward<T>(lin, x, w, b, n, inDim, outDim);
            Residual.Forward(sum1, r, lin);
            LinearFused.ForwardResidual<T>(sum2, r, x, w, b, n, inDim, outDim);
            SameBits("residual sum", sum1, sum2);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
