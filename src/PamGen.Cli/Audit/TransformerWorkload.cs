using System;
using System.Collections.Generic;

namespace PamGen.Cli.Audit;

/// <summary>
/// A few training steps of the runtime's own <see cref="TransformerClassifier"/> (embedding, one pre-LN encoder
/// block with attention and GELU MLP, dropout, label-smoothed cross-entropy, gradient clipping, AdamW with the
/// warm-up/cosine schedule) at a tiny size on seeded random tokens: the audit of a complete model's step, every
/// part of which lives in PamGen's own namespaces.
/// </summary>
[MultiplicationFree]
internal sealed class TransformerWorkload : IAuditWorkload
{
    private const int Batch = 4, Sequence = 8, Vocabulary = 16, Classes = 3;

    public string Name => "transformer";

    public IReadOnlyList<string> DisassemblyFilters { get; } = Array.Empty<string>();

    public float Train<TArith>(int steps, int seed) where TArith : struct, IArithmetic
    {
        var config = new TransformerConfig(
            Vocab: Vocabulary, Dim: 16, Heads: 2, Layers: 1, Hidden: 32, MaxSeq: Sequence, Classes: Classes,
            Dropout: BitConverter.Int32BitsToSingle(0x3DCCCCCD), LabelSmoothing: BitConverter.Int32BitsToSingle(0x3DCCCCCD),
            PadToken: 0, Seed: (ulong)seed);
        var model = TransformerClassifier.Create<TArith, TArith>(config, new TrainingOptions(WarmupSteps: 1, TotalSteps: 100), Batch, Sequence);

        var random = new Random(seed);
        var tokens = new int[Batch, Sequence];
        var labels = new int[Batch];
        for (var b = 0; b < Batch; b++)
        {
            labels[b] = random.Next(Classes);
            var length = 2 + random.Next(Sequence - 1);   // the rest is padding, so masking is exercised
            for (var t = 0; t < length; t++) tokens[b, t] = 1 + random.Next(Vocabulary - 1);
        }

        var loss = 0f;
        for (var step = 0; step < steps; step++) loss = model.TrainStep(tokens, labels);
        return loss;
    }
}
