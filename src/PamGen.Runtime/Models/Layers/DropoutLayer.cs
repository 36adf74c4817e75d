namespace PamGen;

/// <summary>
/// A <see cref="Dropout"/> stage. With p = 0 it is the identity and its output is its input (no buffer, no work);
/// outside training it copies.
/// </summary>
[MultiplicationFree]
internal sealed class DropoutLayer<TElem> : ILayer where TElem : struct, IArithmetic
{
    private readonly Tensor _input;
    private readonly float _p;
    private readonly RunState _run;
    private readonly int _id;

    public DropoutLayer(TensorArena arena, string name, Tensor input, float p, RunState run, int id)
    {
        _input = input;
        _p = p;
        _run = run;
        _id = id;
        Output = p == 0f ? input : arena.Activation(name, input.Shape);
    }

    public Tensor Output { get; }

    public void Forward()
    {
        if (_p == 0f) return;
        if (_run.Training) Dropout.Forward<TElem>(Output.Span, _input.Span, _p, _run.DropoutSeed(_id));
        else _input.Span.CopyTo(Output.Span);
    }

    public void Backward()
    {
        if (_p == 0f) return;
        Dropout.Backward<TElem>(_input.GradSpan, Output.GradSpan, _p, _run.DropoutSeed(_id));
    }

    /// <summary>
    /// <c>output = residual + Dropout(linear(x))</c> where this stage's input is <paramref name="linear"/>'s output.
    /// Fused (<see cref="RunState.Fuse"/>): one GEMM pass whose epilogue adds the bias, applies dropout (while training)
    /// and adds the residual, writing neither the linear nor the dropout output (backward needs neither). Unfused:
    /// <see cref="Linear.Forward"/>, <see cref="Dropout.Forward{TElem}"/> (or the copy outside training) and
    /// <see cref="Residual.Forward"/>, each its own pass. The same bits either way.
    /// </summary>
    public void ForwardLinearResidual<TMatmul>(LinearLayer<TMatmul, TElem> linear, Tensor output, Tensor residual) where TMatmul : struct, IArithmetic
    {
        if (_run.Fuse)
        {
            float p = _run.Training ? _p : 0f;
            linear.ForwardResidual(output, residual, p, p == 0f ? 0UL : _run.DropoutSeed(_id));
            return;
        }
        linear.Forward();
        Forward();
        Residual.Forward(output.Span, residual.Span, Output.Span);
    }

    /// <summary>
    /// Backward of <see cref="ForwardLinearResidual{TMatmul}"/>: the residual's gradient, this stage's (into the linear
    /// output's gradient), then <paramref name="linear"/>'s backward. Fused, dropout's and the residual's backward are
    /// one pass, and without dropout the linear layer reads the sum's gradient directly (no copy into its own). Unfused:
    /// <see cref="Residual.Backward"/>, <see cref="Dropout.Backward{TElem}"/>, <see cref="Linear.Backward"/>.
    /// </summary>
    public void BackwardLinearResidual<TMatmul>(LinearLayer<TMatmul, TElem> linear, Tensor output, Tensor residual) where TMatmul : struct, IArithmetic
    {
        if (!_run.Fuse)
        {
            // The residual add's backward into the dropout output's (zeroed) gradient, then dropout's own backward.
            Residual.Backward(residual.GradSpan, Output.GradSpan, output.GradSpan);
            Backward();
            linear.Backward();
        }
        else if (_p == 0f)
        {
            // The linear output's gradient would be +0 + dOutput: only the sign of a zero can differ, and the linear
            // backward adds it into sums that start from +0, where a zero's sign is lost; the bits are the same.
            LinearFused.BackwardResidual(residual.GradSpan, output.GradSpan);
            linear.Backward(output);
        }
        else
        {
            Dropout.BackwardResidual<TElem>(residual.GradSpan, _input.GradSpan, output.GradSpan, _p, _run.DropoutSeed(_id));
            linear.Backward();
        }
    }
}
