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

    public void Backward() => Backward(Output);

    /// <summary>Backward with the output gradient read from <paramref name="gradientOf"/> (a tensor this layer's output was fused into).</summary>
    public void Backward(Tensor gradientOf) => Linear.Backward<TMatmul>(InputNeedsGrad ? _input.GradSpan : default, Weight.GradSpan,
        Bias is null ? default : Bias.GradSpan, gradientOf.GradSpan, _input.Span, Weight.Span, _rows, _in, _out);

    /// <summary>
    /// <c>output = residual + Dropout(Forward())</c> in the GEMM epilogue, without writing <see cref="Output"/>
    /// (<see cref="LinearFused.ForwardResidual"/> when <paramref name="p"/> is 0, else <see cref="LinearFused.ForwardDropoutResidual"/>).
    /// </summary>
    public void ForwardResidual(Tensor output, Tensor residual, float p, ulong seed)
    {
        var bias = Bias is null ? default : Bias.Span;
        if (p == 0f)
            LinearFused.ForwardResidual<TMatmul>(output.Span, residual.Span, _input.Span, Weight.Span, bias, _rows, _in, _out);
        else
            LinearFused.ForwardDropoutResidual<TMatmul, TElem>(output.Span, residual.Span, _input.Span, Weight.Span, bias, _rows, _in, _out, p, seed);
    }

    /// <summary>
    /// <see cref="Forward"/> followed by <c>activation = f(Output)</c> in one pass right after the GEMM (<see cref="LinearFused.ForwardActivation"/>):
    /// the same bits as the two passes.
    /// </summary>
    public void ForwardActivation<TKernel>(Tensor activation) where TKernel : struct, IElementwiseKernel
        => LinearFused.ForwardActivation<TMatmul, TKernel>(activation.Span, Output.Span, _input.Span, Weight.Span, Bias is null ? default : Bias.Span, _rows, _in, _out);

    /// <summary>
    /// Backward of <see cref="ForwardActivation{TKernel}"/>: the activation's derivative and the bias gradient's row sums
    /// in one pass (<see cref="LinearFused.BackwardActivation"/>), then the input and weight GEMMs; the same bits as the
    /// activation's backward followed by <see cref="Backward()"/>.
    /// </summary>
    public void BackwardActivation<TKernel>(Tensor activation) where TKernel : struct, IElementwiseKernel
    {
        LinearFused.BackwardActivation<TKernel>(Output.GradSpan, Bias is null ? default : Bias.GradSpan, activation.GradSpan, Output.Span, _rows, _out);
        Linear.Backward<TMatmul>(InputNeedsGrad ? _input.GradSpan : default, Weight.GradSpan, default,
            Output.GradSpan, _input.Span, Weight.Span, _rows, _in, _out);
    }
}
