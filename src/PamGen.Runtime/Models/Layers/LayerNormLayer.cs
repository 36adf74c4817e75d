namespace PamGen;

/// <summary>A <see cref="LayerNorm"/> with γ, β, its saved statistics and output: [rows, dim] → [rows, dim].</summary>
[MultiplicationFree]
internal sealed class LayerNormLayer<TElem> : ILayer where TElem : struct, IArithmetic
{
    private readonly Tensor _input, _mean, _std, _gamma, _beta;
    private readonly int _rows, _dim;

    public LayerNormLayer(TensorArena arena, string name, Tensor input, int rows, int dim)
    {
        input.RequireShape(name, rows, dim);
        _input = input;
        _rows = rows;
        _dim = dim;
        _gamma = arena.Parameter(name + ".gamma", false, ParameterInit.Ones, 0f, dim);
        _beta = arena.Parameter(name + ".beta", false, ParameterInit.Zeros, 0f, dim);
        _mean = arena.Buffer(name + ".mean", rows);
        _std = arena.Buffer(name + ".std", rows);
        Output = arena.Activation(name, rows, dim);
    }

    public Tensor Output { get; }

    public void Forward() => LayerNorm.Forward<TElem>(Output.Span, _mean.Span, _std.Span, _input.Span, _gamma.Span, _beta.Span, _rows, _dim);

    public void Backward() => LayerNorm.Backward<TElem>(_input.GradSpan, _gamma.GradSpan, _beta.GradSpan, Output.GradSpan,
        _input.Span, _gamma.Span, _mean.Span, _std.Span, _rows, _dim);
}
