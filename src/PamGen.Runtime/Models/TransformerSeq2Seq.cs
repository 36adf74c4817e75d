using System;

namespace PamGen;

/// <summary>
/// Encoder–decoder transformer: a source encoder (<c>Layers</c> pre-LN blocks, final LayerNorm = memory) and a
/// target decoder (<c>DecoderLayers</c> blocks of causal self-attention, cross-attention to the memory and a GELU MLP),
/// final LayerNorm and a vocabulary head, trained with teacher forcing and cross-entropy that ignores padding targets.
/// </summary>
[MultiplicationFree]
public abstract class TransformerSeq2Seq : TransformerModel
{
    /// <summary>The target value that marks a position without loss.</summary>
    public const int IgnoreIndex = -100;

    private protected TransformerSeq2Seq(TrainingMode mode, TransformerConfig config, TrainingOptions options, int batch, int sourceLength, int targetLength)
        : base(mode, config, options, batch)
    {
        if (config.DecoderLayers <= 0) throw new ArgumentException("TransformerConfig.DecoderLayers must be positive for an encoder–decoder.", nameof(config));
        SourceLength = sourceLength;
        TargetLength = targetLength;
    }

    /// <summary>Source tokens per sequence.</summary>
    public int SourceLength { get; }
    /// <summary>Target tokens per sequence.</summary>
    public int TargetLength { get; }

    /// <summary>Creates the model in the given training mode (PAM modes with <see cref="PamDefaults"/>).</summary>
    public static TransformerSeq2Seq Create(TrainingMode mode, TransformerConfig config, TrainingOptions options, int batch, int sourceLength, int targetLength) => mode switch
    {
        TrainingMode.Ieee => Create<IeeeArithmetic, IeeeArithmetic>(config, options, batch, sourceLength, targetLength),
        TrainingMode.PamMatmul => Create<PamArithmetic<PamDefaults>, IeeeArithmetic>(config, options, batch, sourceLength, targetLength),
        TrainingMode.Pam => Create<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(config, options, batch, sourceLength, targetLength),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown training mode."),
    };

    /// <summary>Creates the model with explicit arithmetics (e.g. PAM with the paper's offset or the exact backward).</summary>
    public static TransformerSeq2Seq Create<TMatmul, TElem>(TransformerConfig config, TrainingOptions options, int batch, int sourceLength, int targetLength)
        where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
        => new TransformerSeq2Seq<TMatmul, TElem>(ModeOf<TMatmul, TElem>(), config, options, batch, sourceLength, targetLength);

    /// <summary>
    /// One training step. <paramref name="targetIn"/> [batch, targetLength] is the decoder input (shifted right);
    /// <paramref name="targetOut"/> the tokens to predict, where the pad token or <see cref="IgnoreIndex"/> adds no loss.
    /// </summary>
    public abstract float TrainStep(int[,] source, int[,] targetIn, int[,] targetOut);
    /// <summary>The mean loss without dropout and without an update.</summary>
    public abstract float Evaluate(int[,] source, int[,] targetIn, int[,] targetOut);
    /// <summary>The most likely token at every target position (teacher forcing), [batch, targetLength].</summary>
    public abstract int[,] Predict(int[,] source, int[,] targetIn);
}

[MultiplicationFree]
internal sealed class TransformerSeq2Seq<TMatmul, TElem> : TransformerSeq2Seq
    where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
{
    private readonly EmbeddingLayer<TElem> _srcEmbed, _tgtEmbed;
    private readonly ILayer[] _encoder, _decoder;
    private readonly LayerNormLayer<TElem> _encNorm, _decNorm;
    private readonly LinearLayer<TMatmul, TElem> _head;
    private readonly Tensor _probs, _losses;
    private int[] _targets = Array.Empty<int>();

    public TransformerSeq2Seq(TrainingMode mode, TransformerConfig c, TrainingOptions options, int batch, int ts, int tt)
        : base(mode, c, options, batch, ts, tt)
    {
        int id = 0;
        _srcEmbed = new EmbeddingLayer<TElem>(Arena, "source.embed", c, Run, batch, ts, id++);
        _encoder = new ILayer[2 * c.Layers];
        Tensor x = _srcEmbed.Output;
        for (int l = 0; l < c.Layers; l++)
        {
            var attn = new AttentionSublayer<TMatmul, TElem>(Arena, $"encoder.{l}.attn", x, null, false, true, c, Run, batch, ts, ts, id++);
            var mlp = new MlpSublayer<TMatmul, TElem>(Arena, $"encoder.{l}.mlp", attn.Output, c, Run, batch * ts, id++);
            _encoder[2 * l] = attn;
            _encoder[2 * l + 1] = mlp;
            x = mlp.Output;
        }
        _encNorm = new LayerNormLayer<TElem>(Arena, "encoder.norm", x, batch * ts, c.Dim);
        var memory = _encNorm.Output;

        _tgtEmbed = new EmbeddingLayer<TElem>(Arena, "target.embed", c, Run, batch, tt, id++);
        _decoder = new ILayer[3 * c.DecoderLayers];
        x = _tgtEmbed.Output;
        for (int l = 0; l < c.DecoderLayers; l++)
        {
            var self = new AttentionSublayer<TMatmul, TElem>(Arena, $"decoder.{l}.self", x, null, true, false, c, Run, batch, tt, tt, id++);
            var cross = new AttentionSublayer<TMatmul, TElem>(Arena, $"decoder.{l}.cross", self.Output, memory, false, true, c, Run, batch, tt, ts, id++);
            var mlp = new MlpSublayer<TMatmul, TElem>(Arena, $"decoder.{l}.mlp", cross.Output, c, Run, batch * tt, id++);
            _decoder[3 * l] = self;
            _decoder[3 * l + 1] = cross;
            _decoder[3 * l + 2] = mlp;
            x = mlp.Output;
        }
        _decNorm = new LayerNormLayer<TElem>(Arena, "decoder.norm", x, batch * tt, c.Dim);
        _head = new LinearLayer<TMatmul, TElem>(Arena, "head", _decNorm.Output, batch * tt, c.Dim, c.Vocab);
        _probs = Arena.Buffer("loss.probs", batch * tt, c.Vocab);
        _losses = Arena.Buffer("loss.rows", batch * tt);
        Allocate<TElem>(batch * Math.Max(Attention.ScratchSize(c.Heads, ts, ts), Math.Max(Attention.ScratchSize(c.Heads, tt, tt), Attention.ScratchSize(c.Heads, tt, ts))));
    }

    private void SetInputs(int[,] source, int[,] targetIn)
    {
        _srcEmbed.Tokens = Flatten(source, nameof(source), BatchSize, SourceLength);
        _tgtEmbed.Tokens = Flatten(targetIn, nameof(targetIn), BatchSize, TargetLength);
        Run.SourceKeep = KeepMask(_srcEmbed.Tokens);
        Run.TargetKeep = KeepMask(_tgtEmbed.Tokens);
    }

    private void SetTargets(int[,] targetOut)
    {
        if (targetOut.GetLength(0) != BatchSize || targetOut.GetLength(1) != TargetLength)
            throw new ArgumentException($"TransformerSeq2Seq: 'targetOut' has shape [{targetOut.GetLength(0)}, {targetOut.GetLength(1)}] but the model was built for [{BatchSize}, {TargetLength}].", nameof(targetOut));
        var t = new int[BatchSize * TargetLength];
        for (int b = 0; b < BatchSize; b++)
        for (int j = 0; j < TargetLength; j++)
        {
            int y = targetOut[b, j];
            t[b * TargetLength + j] = y == Config.PadToken && Config.PadToken >= 0 ? IgnoreIndex : y;
        }
        _targets = t;
    }

    private void ForwardLogits()
    {
        _srcEmbed.Forward();
        foreach (var l in _encoder) l.Forward();
        _encNorm.Forward();
        _tgtEmbed.Forward();
        foreach (var l in _decoder) l.Forward();
        _decNorm.Forward();
        _head.Forward();
    }

    private float ForwardLoss()
    {
        ForwardLogits();
        return CrossEntropy.Forward<TElem>(_losses.Span, _probs.Span, _head.Output.Span, _targets, BatchSize * TargetLength, Config.Vocab,
            Config.LabelSmoothing, IgnoreIndex);
    }

    private void BackwardAll()
    {
        CrossEntropy.Backward<TElem>(_head.Output.GradSpan, _probs.Span, _targets, BatchSize * TargetLength, Config.Vocab, Config.LabelSmoothing, IgnoreIndex);
        _head.Backward();
        _decNorm.Backward();
        for (int i = _decoder.Length - 1; i >= 0; i--) _decoder[i].Backward();
        _tgtEmbed.Backward();
        _encNorm.Backward();
        for (int i = _encoder.Length - 1; i >= 0; i--) _encoder[i].Backward();
        _srcEmbed.Backward();
    }

    public override float TrainStep(int[,] source, int[,] targetIn, int[,] targetOut)
    {
        SetInputs(source, targetIn);
        SetTargets(targetOut);
        return TrainCore<TElem>(ForwardLoss, BackwardAll);
    }

    public override float Evaluate(int[,] source, int[,] targetIn, int[,] targetOut)
    {
        SetInputs(source, targetIn);
        SetTargets(targetOut);
        return EvalCore(ForwardLoss);
    }

    public override int[,] Predict(int[,] source, int[,] targetIn)
    {
        SetInputs(source, targetIn);
        Run.Training = false;
        ForwardLogits();
        var flat = ArgMaxRows(_head.Output.Span, BatchSize * TargetLength, Config.Vocab);
        var result = new int[BatchSize, TargetLength];
        for (int b = 0; b < BatchSize; b++)
        for (int j = 0; j < TargetLength; j++) result[b, j] = flat[b * TargetLength + j];
        return result;
    }
}
