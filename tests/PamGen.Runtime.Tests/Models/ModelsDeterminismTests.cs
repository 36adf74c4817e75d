using System;
using System.Reflection;
using Xunit;

namespace PamGen.Tests;

/// <summary>The same seed gives the same bits: across runs, across modes' instantiations and across GEMM thread counts.</summary>
public class ModelsDeterminismTests
{
    private static readonly TransformerConfig Config = new(Vocab: 12, Dim: 16, Heads: 2, Layers: 1, Hidden: 32, MaxSeq: 8, Classes: 4,
        Dropout: 0.1f, LabelSmoothing: 0.1f, PadToken: 0, Seed: 3);

    internal static float[] TrainAndSnapshot(TrainingMode mode, TransformerConfig config, int steps)
    {
        var model = TransformerClassifier.Create(mode, config, new TrainingOptions(LearningRate: 3e-3f, WarmupSteps: 2, TotalSteps: steps), 8, 8);
        var (x, y) = Tasks.FirstTokenClass(8, 8, 12, 4, 5);
        x[0, 7] = 0; x[3, 6] = 0; x[3, 7] = 0; // some padding
        for (int s = 0; s < steps; s++) model.TrainStep(x, y);
        return model.Arena.ParameterData.ToArray();
    }

    private static void AssertSameBits(float[] a, float[] b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                Assert.Fail($"{what}: parameter element {i} differs: {a[i]:G9} vs {b[i]:G9}");
    }

    [Theory]
    [InlineData(TrainingMode.Ieee)]
    [InlineData(TrainingMode.PamMatmul)]
    [InlineData(TrainingMode.Pam)]
    public void Same_seed_gives_identical_bits_across_runs(TrainingMode mode)
    {
        var a = TrainAndSnapshot(mode, Config, 4);
        var b = TrainAndSnapshot(mode, Config, 4);
        AssertSameBits(a, b, mode.ToString());
        var c = TrainAndSnapshot(mode, Config with { Seed = 4 }, 4);
        Assert.NotEqual(a, c); // the seed matters (initialisation and dropout)
    }

    [Fact]
    public void Dropout_masks_differ_between_steps_and_layers_but_repeat_for_the_same_step()
    {
        var run = new RunState(9) { Step = 1 };
        ulong s1 = run.DropoutSeed(1), s2 = run.DropoutSeed(2);
        run.Step = 2;
        ulong s1b = run.DropoutSeed(1);
        run.Step = 1;
        Assert.Equal(s1, run.DropoutSeed(1));
        Assert.NotEqual(s1, s2);
        Assert.NotEqual(s1, s1b);
    }

    /// <summary>
    /// The GEMM's worker count must not change a single bit (each C element is summed in k order).
    /// Uses <c>Gemm.MaxThreads</c> when the tuned GEMM provides it.
    /// </summary>
    [Theory]
    [InlineData(TrainingMode.Ieee)]
    [InlineData(TrainingMode.Pam)]
    public void Same_bits_with_one_and_two_gemm_threads(TrainingMode mode)
    {
        var threads = typeof(Gemm).GetProperty("MaxThreads", BindingFlags.Public | BindingFlags.Static);
        var big = Config with { Dim = 128, Hidden = 256, Heads = 4 }; // large enough for the GEMM to split work
        object? saved = threads?.GetValue(null);
        try
        {
            threads?.SetValue(null, 1);
            var one = TrainAndSnapshot(mode, big, 2);
            threads?.SetValue(null, 2);
            var two = TrainAndSnapshot(mode, big, 2);
            AssertSameBits(one, two, $"{mode}, 1 vs 2 GEMM threads" + (threads is null ? " (no Gemm.MaxThreads on this build: default threads twice)" : ""));
        }
        finally
        {
            if (saved is not null) threads!.SetValue(null, saved);
        }
    }
}
