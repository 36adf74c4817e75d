using System;
using Xunit;
using Xunit.Abstractions;

namespace PamGen.Tests;

/// <summary>The hand-assembled transformers learn small fixed tasks in every training mode.</summary>
public class ModelsTrainingTests
{
    private readonly ITestOutputHelper _out;
    public ModelsTrainingTests(ITestOutputHelper output) => _out = output;

    internal static readonly TransformerConfig ClassifierConfig = new(Vocab: 12, Dim: 32, Heads: 4, Layers: 2, Hidden: 64, MaxSeq: 8, Classes: 4, Seed: 7);
    internal static readonly TransformerConfig Seq2SeqConfig = new(Vocab: 10, Dim: 32, Heads: 4, Layers: 1, Hidden: 64, MaxSeq: 6, DecoderLayers: 1, PadToken: Tasks.Pad, Seed: 11);
    internal static readonly TrainingOptions Options = new(LearningRate: 3e-3f, MinLearningRate: 3e-4f, WarmupSteps: 5, TotalSteps: 60, MaxGradNorm: 1f);

    [Theory]
    [InlineData(TrainingMode.Ieee)]
    [InlineData(TrainingMode.PamMatmul)]
    [InlineData(TrainingMode.Pam)]
    public void Classifier_loss_falls_on_first_token_task(TrainingMode mode)
    {
        const int batch = 16, seq = 8, steps = 60;
        var model = TransformerClassifier.Create(mode, ClassifierConfig, Options, batch, seq);
        var data = new (int[,], int[])[4];
        for (int i = 0; i < data.Length; i++) data[i] = Tasks.FirstTokenClass(batch, seq, 12, 4, 100 + (ulong)i);
        float before = 0;
        foreach (var (x, y) in data) before += model.Evaluate(x, y) / data.Length;
        for (int s = 0; s < steps; s++)
        {
            var (x, y) = data[s % data.Length];
            model.TrainStep(x, y);
        }
        float after = 0;
        foreach (var (x, y) in data) after += model.Evaluate(x, y) / data.Length;
        _out.WriteLine($"{mode}: loss {before:F4} -> {after:F4} after {steps} steps");
        Assert.True(before > 1.2f, $"initial loss {before} should be near ln 4 = 1.386");
        Assert.True(after < 0.25f * before, $"{mode}: loss fell only from {before} to {after} in {steps} steps");
    }

    [Theory]
    [InlineData(TrainingMode.Ieee)]
    [InlineData(TrainingMode.PamMatmul)]
    [InlineData(TrainingMode.Pam)]
    public void Seq2Seq_loss_falls_on_reverse_task(TrainingMode mode)
    {
        const int batch = 16, len = 6, steps = 100;
        var model = TransformerSeq2Seq.Create(mode, Seq2SeqConfig, Options with { TotalSteps = steps }, batch, len, len);
        var data = new (int[,], int[,], int[,])[4];
        for (int i = 0; i < data.Length; i++) data[i] = Tasks.Reverse(batch, len, 10, 200 + (ulong)i);
        float before = 0;
        foreach (var (s, ti, to) in data) before += model.Evaluate(s, ti, to) / data.Length;
        for (int st = 0; st < steps; st++)
        {
            var (s, ti, to) = data[st % data.Length];
            model.TrainStep(s, ti, to);
        }
        float after = 0;
        foreach (var (s, ti, to) in data) after += model.Evaluate(s, ti, to) / data.Length;
        _out.WriteLine($"{mode}: loss {before:F4} -> {after:F4} after {steps} steps");
        Assert.True(before > 1.8f, $"initial loss {before} should be near ln 8 = 2.08");
        Assert.True(after < 0.25f * before, $"{mode}: loss fell only from {before} to {after} in {steps} steps");
    }
}
