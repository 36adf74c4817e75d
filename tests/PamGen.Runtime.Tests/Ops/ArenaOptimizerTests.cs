using System;
using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// The whole-arena passes of a training step (AdamW over every parameter at once) give the bits of their per-tensor
/// definitions, with odd tensor sizes, runs of decayed and non-decayed tensors, and one or two threads.
/// </summary>
public class ArenaOptimizerTests
{
    // Odd sizes put tensor boundaries inside vectors and inside thread chunks; the total is large enough to be split.
    private static readonly (int Length, bool Decay)[] Shapes =
        { (7, true), (33, false), (20_000, true), (257, true), (1, false), (16_389, false), (3_001, true), (16, false) };

    private static TensorArena Arena(ulong seed)
    {
        var arena = new TensorArena();
        for (int i = 0; i < Shapes.Length; i++) arena.Parameter($"p{i}", Shapes[i].Decay, Shapes[i].Length);
        arena.Allocate();
        GradCheck.Random(arena.ParameterCount, seed).CopyTo(arena.ParameterData);
        GradCheck.Random(arena.ParameterCount, seed + 1).CopyTo(arena.ParameterGrads);
        GradCheck.Random(arena.ParameterCount, seed + 2, 0.01f).CopyTo(arena.FirstMoments);
        var v = GradCheck.Random(arena.ParameterCount, seed + 3, 0.01f);
        for (int i = 0; i < v.Length; i++) v[i] = Math.Abs(v[i]);
        v.CopyTo(arena.SecondMoments);
        return arena;
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void AdamW_over_the_arena_equals_AdamW_per_tensor(bool pam, int threads)
    {
        if (pam) AdamWCase<P>(threads); else AdamWCase<IeeeArithmetic>(threads);
    }

    private static void AdamWCase<T>(int threads) where T : struct, IArithmetic
    {
        var o = new AdamWOptions(WeightDecay: 0.1f);
        var expected = Arena(5);
        var actual = Arena(5);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = threads;
            for (int t = 1; t <= 2; t++)
            {
                var (step, decay) = AdamW.Scalars<T>(3e-3f, t, o);
                var m = expected.FirstMoments;
                var v = expected.SecondMoments;
                foreach (var p in expected.Parameters)
                    AdamW.Update<T>(p.Span, m.Slice(p.Offset, p.Length), v.Slice(p.Offset, p.Length), p.GradSpan, step, p.Decay ? decay : 0f, o);
                AdamW.Update<T>(actual, 3e-3f, t, o);
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
        OracleAssert.BitExact(expected.ParameterData.ToArray(), actual.ParameterData.ToArray(), $"AdamW {typeof(T).Name} parameters ({threads} threads)");
        OracleAssert.BitExact(expected.FirstMoments.ToArray(), actual.FirstMoments.ToArray(), $"AdamW {typeof(T).Name} first moments");
        OracleAssert.BitExact(expected.SecondMoments.ToArray(), actual.SecondMoments.ToArray(), $"AdamW {typeof(T).Name} second moments");
    }
}
