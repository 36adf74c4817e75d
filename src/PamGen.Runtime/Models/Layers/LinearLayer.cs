namespace PamGen;

/// <summary>A <see cref="Linear"/> with its parameters and output: [rows, inDim] → [rows, outDim].</summary>
[MultiplicationFree]
internal sealed class LinearLayer<TMatmul, TElem> : ILayer
    where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
{
    private readonly Tensor _input;
    private readonly int _rows, _in, _out;

    public LinearLayer(TensorArena arena, string name, Tensor input, int rows, int inDim, int outDim, bool bias = true, bool inputNeedsGrad = true)
    {
        input.RequireShape(name, rows, inDim);
        _input = input;
        _rows = rows;
        _in = inDim;
        _out = outDim;
        InputNeedsGrad = inputNeedsGrad;
        Weight = arena.Parameter(name + ".weight", true, ParameterInit.Normal, Initializers.FanInStd<TElem>(inDim), outDim, inDim);
        Bias = bias ? arena.Parameter(name + ".bias", false, ParameterInit.Zeros, 0f, outDim) : null;
        Output = arena.Activation(name, rows, outDim);
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public Tensor Output { get; }
    public bool InputNeedsGrad { get; }

    public void Forward() => Linear.Forward<TMatmul>(Output.Span, _input.Span, Weight.Span, Bias is null ? default : Bias.Span, _rows, _in, _out);

    public void Backward() => Linear.Backward<TMatmul>(InputNeedsGrad ? _input.GradSpan : default, Weight.GradSpan, Bias is null ? default : Bias.GradSpan,
        Output.GradSpan, _input.Span, Weight.Span, _rows, _in, _out);
}
