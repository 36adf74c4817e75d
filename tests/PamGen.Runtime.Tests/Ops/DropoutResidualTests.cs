using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// Dropout fused with the following residual add equals the two separate ops bit for bit: forward against
/// Dropout.Forward + Residual.Forward, backward against Residual.Backward into a zeroed dropout-output gradient
/// followed by Dropout.Backward (signed zeros included), on one and on two threads, in Ieee and Pam modes.
/// </summary>
public class DropoutResidualTests
{
    [Fact]
    public void Fused_equals_separate_ops()
    {
        Same<IeeeArithmetic>();
        Same<P>();
    }

    private static void Same<TElem>() where TElem : struct, IArithmetic
    {
        const int n = 40_007;
        const float p = 0.1f;
        const ulong seed = 77;
        var x = GradCheck.Random(n, 50); var res = GradCheck.Random(n, 51);
        var dOut = GradCheck.Random(n, 52); var dx0 = GradCheck.Random(n, 53); var dr0 = GradCheck.Random(n, 54);
        for (int i = 0; i < n; i += 7) dOut[i] = i % 2 == 0 ? -0f : 0f;   // signed zeros reach the dropout gradient
        for (int i = 3; i < n; i += 11) dx0[i] = i % 2 == 0 ? -0f : 0f;

        var dropped = new float[n]; var expectedOut = new float[n];
        Dropout.Forward<TElem>(dropped, x, p, seed);
        Residual.Forward(expectedOut, res, dropped);
        var dB = new float[n]; var expectedDx = (float[])dx0.Clone(); var expectedDr = (float[])dr0.Clone();
        Residual.Backward(expectedDr, dB, dOut);
        Dropout.Backward<TElem>(expectedDx, dB, p, seed);

        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                var o = new float[n];
                Dropout.ForwardResidual<TElem>(o, res, x, p, seed);
                OracleAssert.BitExact(expectedOut, o, $"{typeof(TElem).Name} forward, {threads} thread(s)");
                var dx = (float[])dx0.Clone(); var dr = (float[])dr0.Clone();
                Dropout.BackwardResidual<TElem>(dr, dx, dOut, p, seed);
                OracleAssert.BitExact(expectedDr, dr, $"{typeof(TElem).Name} residual gradient, {threads} thread(s)");
                OracleAssert.BitExact(expectedDx, dx, $"{typeof(TElem).Name} dropout-input gradient, {threads} thread(s)");
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
