using System;
using System.Linq;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// <see cref="TrainingOptions.FuseOperations"/> changes only how many passes the hand-assembled transformers make, never
/// a bit: fused and unfused models give the same losses, gradients and parameters after several steps, in every mode,
/// with and without dropout, with padding, odd widths (vector tails) and, in the encoder–decoder, causal and cross-attention.
/// </summary>
public class FusionEquivalenceTests
{
    private static readonly TransformerConfig Config = new(Vocab: 13, Dim: 24, Heads: 3, Layers: 2, Hidden: 72, MaxSeq: 9, Classes: 5,
        DecoderLayers: 1, Dropout: 0.1f, LabelSmoothing: 0.1f, PadToken: 0, Seed: 11);

    private const int Steps = 3, Batch = 4, Seq = 9;

    private static TrainingOptions Options(bool fuse) => new(LearningRate: 3e-3f, WarmupSteps: 1, TotalSteps: 10, MaxGradNorm: 0.5f, FuseOperations: fuse);

    private sealed record Run(float[] Losses, float[] Grads, float[] Parameters, float[] Moments, bool WroteLinearOutput);

    private static Run Classifier(TrainingMode mode, float dropout, bool fuse)
    {
        var model = TransformerClassifier.Create(mode, Config with { Dropout = dropout }, Options(fuse), Batch, Seq);
        var (x, y) = Tasks.FirstTokenClass(Batch, Seq, Config.Vocab, Config.Classes, 21);
        x[1, 8] = 0; x[2, 7] = 0; x[2, 8] = 0;
        var losses = Enumerable.Range(0, Steps).Select(_ => model.TrainStep(x, y)).ToList();
        bool wrote = WroteLinearOutput(model.Arena);
        losses.Add(model.Evaluate(x, y));
        return Snapshot(losses, model.Arena, wrote);
    }

    private static Run Seq2Seq(TrainingMode mode, float dropout, bool fuse)
    {
        var model = TransformerSeq2Seq.Create(mode, Config with { Dropout = dropout }, Options(fuse), Batch, Seq, Seq);
        var (src, tin, tout) = Tasks.Reverse(Batch, Seq, Config.Vocab, 22);
        src[3, 8] = 0; tout[0, 8] = TransformerSeq2Seq.IgnoreIndex;
        var losses = Enumerable.Range(0, Steps).Select(_ => model.TrainStep(src, tin, tout)).ToList();
        bool wrote = WroteLinearOutput(model.Arena);
        losses.Add(model.Evaluate(src, tin, tout));
        return Snapshot(losses, model.Arena, wrote);
    }

    private static Run Snapshot(System.Collections.Generic.List<float> losses, TensorArena arena, bool wroteDropoutOutput)
        => new(losses.ToArray(), arena.ParameterGrads.ToArray(), arena.ParameterData.ToArray(),
            arena.FirstMoments.ToArray().Concat(arena.SecondMoments.ToArray()).ToArray(), wroteDropoutOutput);

    /// <summary>
    /// Whether training wrote the first MLP's second linear output (only the unfused model does: fused, its bias, dropout
    /// and residual add happen in the GEMM epilogue).
    /// </summary>
    private static bool WroteLinearOutput(TensorArena arena) => arena.Activations.First(t => t.Name == "encoder.0.mlp.fc2").Span.IndexOfAnyExcept(0f) >= 0;

    private static void AssertSameBits(float[] a, float[] b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        int worst = -1;
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]) && (worst < 0 || Math.Abs(a[i] - b[i]) > Math.Abs(a[worst] - b[worst])))
                worst = i;
        if (worst >= 0) Assert.Fail($"{what}: element {worst} differs most: fused {a[worst]:G9} vs unfused {b[worst]:G9}");
    }

    private static void AssertSame(Run fused, Run unfused, string what)
    {
        AssertSameBits(fused.Losses, unfused.Losses, what + " losses (per step, then evaluation)");
        AssertSameBits(fused.Grads, unfused.Grads, what + " parameter gradients after the last step");
        AssertSameBits(fused.Parameters, unfused.Parameters, what + " parameters");
        AssertSameBits(fused.Moments, unfused.Moments, what + " AdamW moments");
        // The option took effect: only the unfused model writes the residual branches' dropout outputs while training.
        Assert.False(fused.WroteLinearOutput, "the fused model should not write the MLP's second linear output while training");
        Assert.True(unfused.WroteLinearOutput, "the unfused model should write the MLP's second linear output while training");
    }

    [Theory]
    [InlineData(TrainingMode.Ieee, 0.1f)]
    [InlineData(TrainingMode.PamMatmul, 0.1f)]
    [InlineData(TrainingMode.Pam, 0.1f)]
    [InlineData(TrainingMode.Ieee, 0f)]
    [InlineData(TrainingMode.Pam, 0f)]
    public void Classifier_fused_and_unfused_give_identical_bits(TrainingMode mode, float dropout)
        => AssertSame(Classifier(mode, dropout, fuse: true), Classifier(mode, dropout, fuse: false), $"classifier, {mode}, dropout {dropout}");

    [Theory]
    [InlineData(TrainingMode.Ieee, 0.1f)]
    [InlineData(TrainingMode.PamMatmul, 0.1f)]
    [InlineData(TrainingMode.Pam, 0.1f)]
    [InlineData(TrainingMode.PamMatmul, 0f)]
    public void Seq2Seq_fused_and_unfused_give_identical_bits(TrainingMode mode, float dropout)
        => AssertSame(Seq2Seq(mode, dropout, fuse: true), Seq2Seq(mode, dropout, fuse: false), $"encoder-decoder, {mode}, dropout {dropout}");
}
