using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// Linear's bias, added in the GEMM epilogue, equals the plain product plus the bias element by element; its
/// gradient, summed over column chunks on several threads, equals the row-order sum of dOutput; both on one and two threads.
/// </summary>
public class LinearBiasTests
{
    [Fact]
    public void Bias_and_its_gradient_match_their_definitions_on_one_and_two_threads()
    {
        Check<IeeeArithmetic>();
        Check<P>();
    }

    private static void Check<TMatmul>() where TMatmul : struct, IArithmetic
    {
        const int n = 2100, inDim = 37, outDim = 70;   // enough rows for the bias gradient to split its 70 columns over threads
        var x = GradCheck.Random(n * inDim, 60); var w = GradCheck.Random(outDim * inDim, 61);
        var bias = GradCheck.Random(outDim, 62); var dOut = GradCheck.Random(n * outDim, 63);
        var db0 = GradCheck.Random(outDim, 64);
        var plain = new float[n * outDim];
        Gemm.Compute<TMatmul>(GemmOp.None, GemmOp.Transpose, n, outDim, inDim, x, w, plain);
        var expectedDb = (float[])db0.Clone();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < outDim; j++) expectedDb[j] += dOut[i * outDim + j];
        var expectedOut = new float[n * outDim];
        for (int i = 0; i < expectedOut.Length; i++) expectedOut[i] = plain[i] + bias[i % outDim];
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                var o = new float[n * outDim];
                Linear.Forward<TMatmul>(o, x, w, bias, n, inDim, outDim);
                OracleAssert.BitExact(expectedOut, o, $"{typeof(TMatmul).Name} output, {threads} thread(s)");
                var db = (float[])db0.Clone();
                Linear.Backward<TMatmul>(default, new float[w.Length], db, dOut, x, w, n, inDim, outDim);
                OracleAssert.BitExact(expectedDb, db, $"{typeof(TMatmul).Name} bias gradient, {threads} thread(s)");
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
