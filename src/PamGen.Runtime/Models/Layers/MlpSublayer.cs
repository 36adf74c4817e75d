namespace PamGen;

/// <summary>
/// Pre-LN MLP sub-layer: <c>out = x + Dropout(W2·GELU(W1·LN(x)))</c>. Fused (<see cref="RunState.Fuse"/>), the GELU
/// runs right after fc1's GEMM (LinearFused.ForwardActivation) and its backward before fc1's bias-gradient sums, and fc2's epilogue applies
/// dropout and the residual add; unfused, each is its own pass. The bits are the same either way.
/// </summary>
[MultiplicationFree]
internal sealed class MlpSublayer<TMatmul, TElem> : ILayer
    where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
{
    private readonly Tensor _input, _gelu;
    private readonly LayerNormLayer<TElem> _ln;
    private readonly LinearLayer<TMatmul, TElem> _fc1, _fc2;
    private readonly DropoutLayer<TElem> _drop;
    private readonly RunState _run;

    public MlpSublayer(TensorArena arena, string name, Tensor input, TransformerConfig cfg, RunState run, int rows, int layerId)
    {
        _input = input;
        _run = run;
        _ln = new LayerNormLayer<TElem>(arena, name + ".ln", input, rows, cfg.Dim);
        _fc1 = new LinearLayer<TMatmul, TElem>(arena, name + ".fc1", _ln.Output, rows, cfg.Dim, cfg.Hidden);
        _gelu = arena.Activation(name + ".gelu", rows, cfg.Hidden);
        _fc2 = new LinearLayer<TMatmul, TElem>(arena, name + ".fc2", _gelu, rows, cfg.Hidden, cfg.Dim);
        _drop = new DropoutLayer<TElem>(arena, name + ".dropout", _fc2.Output, cfg.Dropout, run, layerId);
        Output = arena.Activation(name + ".residual", rows, cfg.Dim);
    }

    public Tensor Output { get; }

    public void Forward()
    {
        _ln.Forward();
        if (_run.Fuse)
        {
            _fc1.ForwardActivation<GeluKernel<TElem>>(_gelu);
        }
        else
        {
            _fc1.Forward();
            Gelu.Forward<TElem>(_gelu.Span, _fc1.Output.Span);
        }
        _drop.ForwardLinearResidual(_fc2, Output, _input);
    }

    public void Backward()
    {
        _drop.BackwardLinearResidual(_fc2, Output, _input);
        if (_run.Fuse)
        {
            _fc1.BackwardActivation<GeluKernel<TElem>>(_gelu);
        }
        else
        {
            Gelu.Backward<TElem>(_fc1.Output.GradSpan, _gelu.GradSpan, _fc1.Output.Span);
            _fc1.Backward();
        }
        _ln.Backward();
    }
}
