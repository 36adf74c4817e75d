using System;

namespace PamGen;

/// <summary>
/// Encoder classifier: token + position embedding, <c>Layers</c> pre-LN encoder blocks (self-attention with key
/// padding, GELU MLP), final LayerNorm, mean pooling over non-padding positions, linear head, cross-entropy.
/// </summary>
[MultiplicationFree]
public abstract class TransformerClassifier : TransformerModel
{
    private protected TransformerClassifier(TrainingMode mode, TransformerConfig config, TrainingOptions options, int batch, int seq)
        : base(mode, config, options, batch)
    {
        if (config.Classes <= 0) throw new ArgumentException("TransformerConfig.Classes must be positive for a classifier.", nameof(config));
        SequenceLength = seq;
    }

    /// <summary>Tokens per sequence (fixed at construction).</summary>
    public int SequenceLength { get; }

    /// <summary>Creates the model in the given training mode (PAM modes with <see cref="PamDefaults"/>).</summary>
    public static TransformerClassifier Create(TrainingMode mode, TransformerConfig config, TrainingOptions options, int batch, int seq) => mode switch
    {
        TrainingMode.Ieee => Create<IeeeArithmetic, IeeeArithmetic>(config, options, batch, seq),
        TrainingMode.PamMatmul => Create<PamArithmetic<PamDefaults>, IeeeArithmetic>(config, options, batch, seq),
        TrainingMode.Pam => Create<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(config, options, batch, seq),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown training mode."),
    };

    /// <summary>Creates the model with explicit arithmetics (e.g. PAM with the paper's offset or the exact backward).</summary>
    public static TransformerClassifier Create<TMatmul, TElem>(TransformerConfig config, TrainingOptions options, int batch, int seq)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
        => new TransformerClassifier<TMatmul, TElem>(ModeOf<TMatmul, TElem>(), config, options, batch, seq);

    /// <summary>One training step on <paramref name="tokens"/> [batch, seq] and <paramref name="labels"/> [batch]; returns the loss before the update.</summary>
    public abstract float TrainStep(int[,] tokens, int[] labels);
    /// <summary>The mean loss without dropout and without an update.</summary>
    public abstract float Evaluate(int[,] tokens, int[] labels);
    /// <summary>The most likely class per sequence.</summary>
    public abstract int[] Predict(int[,] tokens);
}

[MultiplicationFree]
internal sealed class TransformerClassifier<TMatmul, TElem> : TransformerClassifier
    where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
{
    private readonly EmbeddingLayer<TElem> _embed;
    private readonly ILayer[] _blocks;
    private readonly LayerNormLayer<TElem> _norm;
    private readonly Tensor _pooled, _probs, _losses;
    private readonly LinearLayer<TMatmul, TElem> _head;
    private int[] _labels = Array.Empty<int>();

    public TransformerClassifier(TrainingMode mode, TransformerConfig c, TrainingOptions options, int batch, int seq)
        : base(mode, c, options, batch, seq)
    {
        int rows = batch * seq;
        _embed = new EmbeddingLayer<TElem>(Arena, "embed", c, Run, batch, seq, 0);
        _blocks = new ILayer[2 * c.Layers];
        Tensor x = _embed.Output;
        for (int l = 0; l < c.Layers; l++)
        {
            var attn = new AttentionSublayer<TMatmul, TElem>(Arena, $"encoder.{l}.attn", x, null, false, true, c, Run, batch, seq, seq, 2 * l + 1);
            var mlp = new MlpSublayer<TMatmul, TElem>(Arena, $"encoder.{l}.mlp", attn.Output, c, Run, rows, 2 * l + 2);
            _blocks[2 * l] = attn;
            _blocks[2 * l + 1] = mlp;
            x = mlp.Output;
        }
        _norm = new LayerNormLayer<TElem>(Arena, "encoder.norm", x, rows, c.Dim);
        _pooled = Arena.Activation("pool", batch, c.Dim);
        _head = new LinearLayer<TMatmul, TElem>(Arena, "head", _pooled, batch, c.Dim, c.Classes);
        _probs = Arena.Buffer("loss.probs", batch, c.Classes);
        _losses = Arena.Buffer("loss.rows", batch);
        // Scratch for every batch element's score gradients: attention backward then runs each product as one batched GEMM.
        Allocate<TElem>(batch * Attention.ScratchSize(c.Heads, seq, seq));
    }

    private void SetInputs(int[,] tokens)
    {
        _embed.Tokens = Flatten(tokens, nameof(tokens), BatchSize, SequenceLength);
        Run.SourceKeep = KeepMask(_embed.Tokens);
    }

    private void SetLabels(int[] labels)
    {
        if (labels.Length != BatchSize)
            throw new ArgumentException($"TransformerClassifier: 'labels' has shape [{labels.Length}] but the model was built for [{BatchSize}].", nameof(labels));
        _labels = labels;
    }

    private void ForwardFeatures()
    {
        _embed.Forward();
        foreach (var b in _blocks) b.Forward();
        _norm.Forward();
        MeanPool.Forward<TElem>(_pooled.Span, _norm.Output.Span, Run.SourceKeep, BatchSize, SequenceLength, Config.Dim);
        _head.Forward();
    }

    private float ForwardLoss()
    {
        ForwardFeatures();
        return CrossEntropy.Forward<TElem>(_losses.Span, _probs.Span, _head.Output.Span, _labels, BatchSize, Config.Classes, Config.LabelSmoothing);
    }

    private void BackwardAll()
    {
        CrossEntropy.Backward<TElem>(_head.Output.GradSpan, _probs.Span, _labels, BatchSize, Config.Classes, Config.LabelSmoothing);
        _head.Backward();
        MeanPool.Backward<TElem>(_norm.Output.GradSpan, _pooled.GradSpan, Run.SourceKeep, BatchSize, SequenceLength, Config.Dim);
        _norm.Backward();
        for (int i = _blocks.Length - 1; i >= 0; i--) _blocks[i].Backward();
        _embed.Backward();
    }

    public override float TrainStep(int[,] tokens, int[] labels)
    {
        SetInputs(tokens);
        SetLabels(labels);
        return TrainCore<TElem>(ForwardLoss, BackwardAll);
    }

    public override float Evaluate(int[,] tokens, int[] labels)
    {
        SetInputs(tokens);
        SetLabels(labels);
        return EvalCore(ForwardLoss);
    }

    public override int[] Predict(int[,] tokens)
    {
        SetInputs(tokens);
        Run.Training = false;
        ForwardFeatures();
        return ArgMaxRows(_head.Output.Span, BatchSize, Config.Classes);
    }
}
