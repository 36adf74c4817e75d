using System;

namespace PamGen;

/// <summary>Shape and regularisation of a hand-assembled transformer (pre-LayerNorm blocks, GELU MLP).</summary>
/// <param name="Vocab">Token vocabulary (source and target share it).</param>
/// <param name="Dim">Model width.</param>
/// <param name="Heads">Attention heads (must divide <paramref name="Dim"/>).</param>
/// <param name="Layers">Encoder blocks.</param>
/// <param name="Hidden">MLP hidden width.</param>
/// <param name="MaxSeq">Longest sequence (positional table rows).</param>
/// <param name="Classes">Classifier outputs (encoder classifier only).</param>
/// <param name="DecoderLayers">Decoder blocks (encoder–decoder only).</param>
/// <param name="Dropout">Dropout probability on embeddings and residual branches.</param>
/// <param name="LabelSmoothing">Label smoothing ε of the cross-entropy.</param>
/// <param name="PadToken">Token id treated as padding (masked as a key, excluded from pooling and from the loss); −1 for none.</param>
/// <param name="Seed">Seed of initialisation and dropout.</param>
public sealed record TransformerConfig(int Vocab, int Dim, int Heads, int Layers, int Hidden, int MaxSeq,
    int Classes = 0, int DecoderLayers = 0, float Dropout = 0f, float LabelSmoothing = 0f, int PadToken = -1, ulong Seed = 1)
{
    internal void Validate()
    {
        Shapes.RequirePositive(Vocab, "TransformerConfig", nameof(Vocab));
        Shapes.RequirePositive(Dim, "TransformerConfig", nameof(Dim));
        Shapes.RequirePositive(Heads, "TransformerConfig", nameof(Heads));
        Shapes.RequirePositive(Hidden, "TransformerConfig", nameof(Hidden));
        Shapes.RequirePositive(MaxSeq, "TransformerConfig", nameof(MaxSeq));
        if (Layers < 0 || DecoderLayers < 0) throw new ArgumentOutOfRangeException(nameof(Layers), "Layer counts must not be negative.");
        if (Dim % Heads != 0) throw new ArgumentException($"TransformerConfig: Dim {Dim} is not a multiple of Heads {Heads}.", nameof(Heads));
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (!(LabelSmoothing >= 0f && LabelSmoothing < 1f)) throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Label smoothing must be in [0, 1).");
    }
}

/// <summary>Optimisation settings of a training step.</summary>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="MinLearningRate">Learning rate at the end of the cosine decay.</param>
/// <param name="WarmupSteps">Linear warm-up steps.</param>
/// <param name="TotalSteps">Steps of the whole schedule.</param>
/// <param name="MaxGradNorm">Global gradient-norm limit (0 = no clipping).</param>
/// <param name="Adam">AdamW hyper-parameters (null = the defaults of <see cref="AdamWOptions"/>).</param>
/// <param name="FuseOperations">
/// True (the default) runs the hand-assembled transformers' fused passes: GELU right after the first MLP linear layer's
/// GEMM (LinearFused) and its backward before the bias-gradient sums; bias, dropout and residual add in the GEMM epilogue of each
/// residual branch's last linear layer (and dropout's backward with the residual's); the attention score scale in the
/// score GEMM's epilogue. False runs every operation as its own pass — the reference composition that shows what fusion
/// buys (linear with its bias, GELU, dropout, residual add, the attention scale). Both give the same bits (losses,
/// gradients, parameters); only the speed differs.
/// </param>
public sealed record TrainingOptions(float LearningRate = 1e-3f, float MinLearningRate = 1e-4f, int WarmupSteps = 10, int TotalSteps = 1000,
    float MaxGradNorm = 1f, AdamWOptions? Adam = null, bool FuseOperations = true)
{
    internal AdamWOptions AdamOrDefault { get; } = Adam ?? new AdamWOptions();
    internal WarmupCosineSchedule Schedule => new(LearningRate, MinLearningRate, WarmupSteps, TotalSteps);
}
