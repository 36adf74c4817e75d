namespace PamGen.Cli.Audit;

/// <summary>The kinds of floating-point instruction a multiplication-free training step must not execute.</summary>
internal enum InstructionClass
{
    /// <summary>Floating-point multiply: <c>mulss</c>, <c>vmulps</c>, <c>vscalefps</c>, <c>dpps</c>, arm64 <c>fmul</c>, ...</summary>
    Multiply,
    /// <summary>Floating-point divide: <c>divss</c>, <c>vdivps</c>, arm64 <c>fdiv</c>, ...</summary>
    Divide,
    /// <summary>Fused multiply-add: <c>vfmadd231ps</c>, <c>vfnmsub213ss</c>, arm64 <c>fmadd</c>, <c>fmla</c>, ...</summary>
    FusedMultiplyAdd,
    /// <summary>Square root: <c>sqrtss</c>, <c>vsqrtps</c>, arm64 <c>fsqrt</c>.</summary>
    SquareRoot,
    /// <summary>Reciprocal estimates: <c>rcpps</c>, <c>vrsqrt14ps</c>, arm64 <c>frecpe</c>, ...</summary>
    Reciprocal,
}
