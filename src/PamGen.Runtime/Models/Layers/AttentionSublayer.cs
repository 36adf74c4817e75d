namespace PamGen;

/// <summary>
/// Pre-LN attention sub-layer: <c>out = x + Dropout(Wo·Attention(Wq·LN(x), Wk·s, Wv·s))</c> where the key/value
/// source <c>s</c> is <c>LN(x)</c> (self-attention) or the encoder memory (cross-attention).
/// </summary>
[MultiplicationFree]
internal sealed class AttentionSublayer<TMatmul, TElem> : ILayer
    where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
{
    private readonly Tensor _input, _att, _probs;
    private readonly LayerNormLayer<TElem> _ln;
    private readonly LinearLayer<TMatmul, TElem> _q, _k, _v, _o;
    private readonly DropoutLayer<TElem> _drop;
    private readonly RunState _run;
    private readonly int _batch, _tq, _tk, _dim, _heads;
    private readonly bool _causal, _sourceKeys;

    /// <param name="arena">Where the tensors live.</param>
    /// <param name="name">Prefix of every tensor name.</param>
    /// <param name="input">x [batch·tq, dim]</param>
    /// <param name="memory">Cross-attention source [batch·tk, dim], or null for self-attention.</param>
    /// <param name="causal">Mask future keys.</param>
    /// <param name="sourceKeys">Keys are source tokens (use the source padding mask) rather than target tokens.</param>
    /// <param name="cfg">Width, heads and dropout.</param>
    /// <param name="run">Shared pass state.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="tq">Query length.</param>
    /// <param name="tk">Key length.</param>
    /// <param name="layerId">Dropout stream id.</param>
    public AttentionSublayer(TensorArena arena, string name, Tensor input, Tensor? memory, bool causal, bool sourceKeys,
        TransformerConfig cfg, RunState run, int batch, int tq, int tk, int layerId)
    {
        _input = input;
        _run = run;
        _batch = batch;
        _tq = tq;
        _tk = tk;
        _dim = cfg.Dim;
        _heads = cfg.Heads;
        _causal = causal;
        _sourceKeys = sourceKeys;
        _ln = new LayerNormLayer<TElem>(arena, name + ".ln", input, batch * tq, _dim);
        var source = memory ?? _ln.Output;
        _q = new LinearLayer<TMatmul, TElem>(arena, name + ".q", _ln.Output, batch * tq, _dim, _dim);
        _k = new LinearLayer<TMatmul, TElem>(arena, name + ".k", source, batch * tk, _dim, _dim);
        _v = new LinearLayer<TMatmul, TElem>(arena, name + ".v", source, batch * tk, _dim, _dim);
        _probs = arena.Buffer(name + ".probs", batch, _heads, tq, tk);
        _att = arena.Activation(name + ".attention", batch * tq, _dim);
        _o = new LinearLayer<TMatmul, TElem>(arena, name + ".out", _att, batch * tq, _dim, _dim);
        _drop = new DropoutLayer<TElem>(arena, name + ".dropout", _o.Output, cfg.Dropout, run, layerId);
        Output = arena.Activation(name + ".residual", batch * tq, _dim);
    }

    public Tensor Output { get; }

    private byte[] Keep => _sourceKeys ? _run.SourceKeep : _run.TargetKeep;

    public void Forward()
    {
        _ln.Forward();
        _q.Forward();
        _k.Forward();
        _v.Forward();
        // Fused: the score scale in the score GEMM's epilogue; unfused: its own pass over the scores (same bits).
        if (_run.Fuse)
            Attention.Forward<TMatmul, TElem>(_att.Span, _probs.Span, _q.Output.Span, _k.Output.Span, _v.Output.Span, Keep,
                _batch, _tq, _tk, _dim, _heads, _causal);
        else
            Attention.ForwardUnfused<TMatmul, TElem>(_att.Span, _probs.Span, _q.Output.Span, _k.Output.Span, _v.Output.Span, Keep,
                _batch, _tq, _tk, _dim, _heads, _causal);
        _drop.ForwardLinearResidual(_o, Output, _input);
    }

    public void Backward()
    {
        _drop.BackwardLinearResidual(_o, Output, _input);
        Attention.Backward<TMatmul, TElem>(_q.Output.GradSpan, _k.Output.GradSpan, _v.Output.GradSpan, _run.Scratch.Span,
            _att.GradSpan, _probs.Span, _q.Output.Span, _k.Output.Span, _v.Output.Span, _batch, _tq, _tk, _dim, _heads);
        _v.Backward();
        _k.Backward();
        _q.Backward();
        _ln.Backward();
    }
}
