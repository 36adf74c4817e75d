using System;
using Xunit;
using I = PamGen.IeeeArithmetic;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// <see cref="LinearFused.ForwardDropoutResidual"/> equals <see cref="Linear.Forward"/>, <see cref="Dropout.Forward{TElem}"/>
/// and <see cref="Residual.Forward"/> run as three passes, bit for bit, at odd sizes (vector tails inside GEMM tiles),
/// with and without a bias, on one and two threads.
/// </summary>
public class LinearDropoutResidualTests
{
    [Theory]
    [InlineData(false, 1, true)]
    [InlineData(false, 2, false)]
    [InlineData(true, 1, false)]
    [InlineData(true, 2, true)]
    public void Fused_equals_linear_then_dropout_then_residual(bool pam, int threads, bool bias)
    {
        if (pam) Run<P>(threads, bias); else Run<I>(threads, bias);
    }

    private static void Run<T>(int threads, bool withBias) where T : struct, IArithmetic
    {
        const int n = 131, inDim = 40, outDim = 75;
        const float p = 0.3f;
        const ulong seed = 0x5EED;
        var x = GradCheck.Random(n * inDim, 71); var w = GradCheck.Random(outDim * inDim, 72, 0.3f);
        var b = withBias ? GradCheck.Random(outDim, 73) : Array.Empty<float>(); var r = GradCheck.Random(n * outDim, 74);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = threads;
            var linear = new float[n * outDim]; var dropped = new float[n * outDim]; var expected = new float[n * outDim];
            Linear.Forward<T>(linear, x, w, b, n, inDim, outDim);
            Dropout.Forward<T>(dropped, linear, p, seed);
            Residual.Forward(expected, r, dropped);
            var actual = new float[n * outDim];
            LinearFused.ForwardDropoutResidual<T, T>(actual, r, x, w, b, n, inDim, outDim, p, seed);
            OracleAssert.BitExact(expected, actual, $"{typeof(T).Name}, {threads} thread(s), bias {withBias}");
            // Dropout happened: some elements are the residual alone, others are not.
            int dropped0 = 0;
            for (int i = 0; i < actual.Length; i++) if (actual[i] == r[i]) dropped0++;
            Assert.InRange(dropped0, actual.Length / 10, actual.Length / 2);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
