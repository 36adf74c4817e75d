namespace PamGen.Benchmarks;

/// <summary>
/// The runtime issue's benchmark transformer and its data, shared by <see cref="TrainingStepBenchmark"/>,
/// <see cref="GeneratedTrainingStepBenchmark"/> and <see cref="InterleavedSteps"/>: d = 256, 4 layers, 4 heads, MLP 1024,
/// sequence 128, batch 16, vocab 1000, 10 classes, label smoothing 0.1; tokens and labels drawn with seed 2.
/// </summary>
internal static class BenchModels
{
    internal const int Batch = 16, Seq = 128, Tokens = Batch * Seq, Vocab = 1000, Classes = 10;

    /// <summary>The hand-assembled encoder classifier (seed 1) in <paramref name="mode"/>.</summary>
    internal static TransformerClassifier Runtime(TrainingMode mode, float dropout, bool fuse = true)
        => TransformerClassifier.Create(mode,
            new TransformerConfig(Vocab: Vocab, Dim: 256, Heads: 4, Layers: 4, Hidden: 1024, MaxSeq: Seq, Classes: Classes,
                Dropout: dropout, LabelSmoothing: 0.1f, Seed: 1),
            new TrainingOptions(LearningRate: 1e-3f, WarmupSteps: 10, TotalSteps: 1000, FuseOperations: fuse), Batch, Seq);

    /// <summary>One batch: tokens as [batch, seq] (runtime models) and flattened (generated models), and labels.</summary>
    internal static (int[,] Tokens, int[] Flat, int[] Labels) Data()
    {
        var rng = new SeededRandom(2);
        var tokens = new int[Batch, Seq];
        var flat = new int[Tokens];
        var labels = new int[Batch];
        for (int b = 0; b < Batch; b++)
        {
            for (int t = 0; t < Seq; t++) flat[b * Seq + t] = tokens[b, t] = rng.NextInt(Vocab);
            labels[b] = rng.NextInt(Classes);
        }
        return (tokens, flat, labels);
    }
}
