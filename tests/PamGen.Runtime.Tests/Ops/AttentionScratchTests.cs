using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// Attention backward works on as many batch elements per pass as its scratch holds; the bits must not depend on
/// that (one element per pass, a pass with a remainder, all at once), in Ieee and Pam modes.
/// </summary>
public class AttentionScratchTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradients_do_not_depend_on_the_scratch_size(bool causal)
    {
        Same<IeeeArithmetic>(causal);
        Same<P>(causal);
    }

    private static void Same<TElem>(bool causal) where TElem : struct, IArithmetic
    {
        const int batch = 3, seq = 37, heads = 2, dim = 16;
        var q = GradCheck.Random(batch * seq * dim, 40); var k = GradCheck.Random(batch * seq * dim, 41);
        var v = GradCheck.Random(batch * seq * dim, 42); var dOut = GradCheck.Random(batch * seq * dim, 43);
        var keep = new byte[batch * seq];
        for (int i = 0; i < keep.Length; i++) keep[i] = (byte)(i % 5 == 2 ? 0 : 1);
        var o = new float[q.Length]; var probs = new float[batch * heads * seq * seq];
        Attention.Forward<TElem, TElem>(o, probs, q, k, v, keep, batch, seq, seq, dim, heads, causal);
        float[][]? first = null;
        foreach (int elements in new[] { 1, 2, 3 })
        {
            var dq = GradCheck.Random(q.Length, 44); var dk = GradCheck.Random(q.Length, 45); var dv = GradCheck.Random(q.Length, 46);
            var scratch = new float[elements * Attention.ScratchSize(heads, seq, seq)];
            Attention.Backward<TElem, TElem>(dq, dk, dv, scratch, dOut, (float[])probs.Clone(), q, k, v, batch, seq, seq, dim, heads);
            var got = new[] { dq, dk, dv };
            if (first is null) { first = got; continue; }
            for (int t = 0; t < 3; t++)
                OracleAssert.BitExact(first[t], got[t], $"{typeof(TElem).Name} gradient {"qkv"[t]} with scratch for {elements} batch elements vs 1");
        }
    }
}
