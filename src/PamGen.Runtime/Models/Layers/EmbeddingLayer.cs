using System;

namespace PamGen;

/// <summary>Token + positional embedding tables and output [batch·seq, dim], followed by dropout.</summary>
[MultiplicationFree]
internal sealed class EmbeddingLayer<TElem> : ILayer where TElem : struct, IArithmetic
{
    private readonly Tensor _wte, _wpe, _sum;
    private readonly DropoutLayer<TElem> _drop;
    private readonly int _batch, _seq, _dim;

    public EmbeddingLayer(TensorArena arena, string name, TransformerConfig cfg, RunState run, int batch, int seq, int layerId)
    {
        _batch = batch;
        _seq = seq;
        _dim = cfg.Dim;
        if (seq > cfg.MaxSeq) throw new ArgumentException($"{name}: sequence length {seq} exceeds MaxSeq {cfg.MaxSeq}.", nameof(seq));
        _wte = arena.Parameter(name + ".tokens", false, ParameterInit.Normal, 0.1f, cfg.Vocab, cfg.Dim);
        _wpe = arena.Parameter(name + ".positions", false, ParameterInit.Normal, 0.1f, cfg.MaxSeq, cfg.Dim);
        _sum = arena.Activation(name, batch * seq, cfg.Dim);
        _drop = new DropoutLayer<TElem>(arena, name + ".dropout", _sum, cfg.Dropout, run, layerId);
    }

    public Tensor Output => _drop.Output;

    /// <summary>Token ids [batch·seq] of the current pass.</summary>
    public int[] Tokens { get; set; } = Array.Empty<int>();

    public void Forward()
    {
        Embedding.Forward<TElem>(_sum.Span, Tokens, _wte.Span, _wpe.Span, _batch, _seq, _dim);
        _drop.Forward();
    }

    public void Backward()
    {
        _drop.Backward();
        Embedding.Backward<TElem>(_wte.GradSpan, _wpe.GradSpan, _sum.GradSpan, Tokens, _batch, _seq, _dim);
    }
}
