using System;
using ILGPU;
using ILGPU.Runtime;

namespace PamGen.Cli.Gpu;

/// <summary>
/// One generated <c>[PamKernel]</c> seen from both sides: its ILGPU launchers and its CPU span kernels, so the GPU
/// check can run the two on the same inputs and compare bits. The generated entry points are generic static
/// methods; each case forwards to them by name (no reflection, so the JIT and ILGPU see ordinary calls).
/// </summary>
internal interface IGpuKernelCase
{
    /// <summary>The declaring type and kernel, e.g. <c>Activations.Gelu</c>.</summary>
    string Name { get; }

    /// <summary>The number of float inputs (1 or 2).</summary>
    int Inputs { get; }

    /// <summary>Launches the forward kernel: <c>output = f(inputs)</c>.</summary>
    void Forward<TArith>(Accelerator accelerator, ArrayView<float> output, ArrayView<float>[] inputs)
        where TArith : struct, IArithmetic;

    /// <summary>Launches the accumulating backward kernel: <c>gradients[j] += ∂f/∂inputs[j] · dOutput</c>.</summary>
    void Backward<TArith>(Accelerator accelerator, ArrayView<float>[] gradients, ArrayView<float> dOutput, ArrayView<float>[] inputs)
        where TArith : struct, IArithmetic;

    /// <summary>The CPU span kernel of <see cref="Forward{TArith}"/>.</summary>
    void ForwardCpu<TArith>(Span<float> output, float[][] inputs) where TArith : struct, IArithmetic;

    /// <summary>The CPU span kernel of <see cref="Backward{TArith}"/>.</summary>
    void BackwardCpu<TArith>(float[][] gradients, ReadOnlySpan<float> dOutput, float[][] inputs) where TArith : struct, IArithmetic;
}
