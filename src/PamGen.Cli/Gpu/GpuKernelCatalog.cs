using System;
using System.Collections.Generic;
using ILGPU;
using ILGPU.Runtime;
using PamGen.Samples.Tiny;

namespace PamGen.Cli.Gpu;

/// <summary>The generated kernels the GPU check and benchmark run: every <c>[PamKernel]</c> of the Tiny sample.</summary>
internal static class GpuKernelCatalog
{
    /// <summary>All cases, unary first.</summary>
    internal static IReadOnlyList<IGpuKernelCase> All { get; } = new IGpuKernelCase[]
    {
        new Gelu(), new Swish(), new LeakyRelu(), new SoftGelu(), new Product(), new Gate(),
    };

    /// <summary>Finds a case by its full name or kernel name (case-insensitive).</summary>
    internal static IGpuKernelCase? Find(string name)
    {
        foreach (var c in All)
            if (c.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || c.Name.EndsWith("." + name, StringComparison.OrdinalIgnoreCase))
                return c;
        return null;
    }

    private sealed class Gelu : IGpuKernelCase
    {
        public string Name => "Activations.Gelu";
        public int Inputs => 1;
        public void Forward<T>(Accelerator acc, ArrayView<float> y, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.GeluGpu.Forward<T>(acc, y, x[0]);
        public void Backward<T>(Accelerator acc, ArrayView<float>[] dx, ArrayView<float> dy, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.GeluGpu.Backward<T>(acc, dx[0], dy, x[0]);
        public void ForwardCpu<T>(Span<float> y, float[][] x) where T : struct, IArithmetic => Activations.GeluForward<T>(y, x[0]);
        public void BackwardCpu<T>(float[][] dx, ReadOnlySpan<float> dy, float[][] x) where T : struct, IArithmetic => Activations.GeluBackward<T>(dx[0], dy, x[0]);
    }

    private sealed class Swish : IGpuKernelCase
    {
        public string Name => "Activations.Swish";
        public int Inputs => 1;
        public void Forward<T>(Accelerator acc, ArrayView<float> y, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.SwishGpu.Forward<T>(acc, y, x[0]);
        public void Backward<T>(Accelerator acc, ArrayView<float>[] dx, ArrayView<float> dy, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.SwishGpu.Backward<T>(acc, dx[0], dy, x[0]);
        public void ForwardCpu<T>(Span<float> y, float[][] x) where T : struct, IArithmetic => Activations.SwishForward<T>(y, x[0]);
        public void BackwardCpu<T>(float[][] dx, ReadOnlySpan<float> dy, float[][] x) where T : struct, IArithmetic => Activations.SwishBackward<T>(dx[0], dy, x[0]);
    }

    private sealed class LeakyRelu : IGpuKernelCase
    {
        public string Name => "Activations.LeakyRelu";
        public int Inputs => 1;
        public void Forward<T>(Accelerator acc, ArrayView<float> y, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.LeakyReluGpu.Forward<T>(acc, y, x[0]);
        public void Backward<T>(Accelerator acc, ArrayView<float>[] dx, ArrayView<float> dy, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.LeakyReluGpu.Backward<T>(acc, dx[0], dy, x[0]);
        public void ForwardCpu<T>(Span<float> y, float[][] x) where T : struct, IArithmetic => Activations.LeakyReluForward<T>(y, x[0]);
        public void BackwardCpu<T>(float[][] dx, ReadOnlySpan<float> dy, float[][] x) where T : struct, IArithmetic => Activations.LeakyReluBackward<T>(dx[0], dy, x[0]);
    }

    private sealed class SoftGelu : IGpuKernelCase
    {
        public string Name => "Activations.SoftGelu";
        public int Inputs => 1;
        public void Forward<T>(Accelerator acc, ArrayView<float> y, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.SoftGeluGpu.Forward<T>(acc, y, x[0]);
        public void Backward<T>(Accelerator acc, ArrayView<float>[] dx, ArrayView<float> dy, ArrayView<float>[] x) where T : struct, IArithmetic => Activations.SoftGeluGpu.Backward<T>(acc, dx[0], dy, x[0]);
        public void ForwardCpu<T>(Span<float> y, float[][] x) where T : struct, IArithmetic => Activations.SoftGeluForward<T>(y, x[0]);
        public void BackwardCpu<T>(float[][] dx, ReadOnlySpan<float> dy, float[][] x) where T : struct, IArithmetic => Activations.SoftGeluBackward<T>(dx[0], dy, x[0]);
    }

    private sealed class Product : IGpuKernelCase
    {
        public string Name => "Elementwise.Product";
        public int Inputs => 2;
        public void Forward<T>(Accelerator acc, ArrayView<float> y, ArrayView<float>[] x) where T : struct, IArithmetic => Elementwise.ProductGpu.Forward<T>(acc, y, x[0], x[1]);
        public void Backward<T>(Accelerator acc, ArrayView<float>[] dx, ArrayView<float> dy, ArrayView<float>[] x) where T : struct, IArithmetic => Elementwise.ProductGpu.Backward<T>(acc, dx[0], dx[1], dy, x[0], x[1]);
        public void ForwardCpu<T>(Span<float> y, float[][] x) where T : struct, IArithmetic => Elementwise.ProductForward<T>(y, x[0], x[1]);
        public void BackwardCpu<T>(float[][] dx, ReadOnlySpan<float> dy, float[][] x) where T : struct, IArithmetic => Elementwise.ProductBackward<T>(dx[0], dx[1], dy, x[0], x[1]);
    }

    private sealed class Gate : IGpuKernelCase
    {
        public string Name => "Elementwise.Gate";
        public int Inputs => 2;
        public void Forward<T>(Accelerator acc, ArrayView<float> y, ArrayView<float>[] x) where T : struct, IArithmetic => Elementwise.GateGpu.Forward<T>(acc, y, x[0], x[1]);
        public void Backward<T>(Accelerator acc, ArrayView<float>[] dx, ArrayView<float> dy, ArrayView<float>[] x) where T : struct, IArithmetic => Elementwise.GateGpu.Backward<T>(acc, dx[0], dx[1], dy, x[0], x[1]);
        public void ForwardCpu<T>(Span<float> y, float[][] x) where T : struct, IArithmetic => Elementwise.GateForward<T>(y, x[0], x[1]);
        public void BackwardCpu<T>(float[][] dx, ReadOnlySpan<float> dy, float[][] x) where T : struct, IArithmetic => Elementwise.GateBackward<T>(dx[0], dx[1], dy, x[0], x[1]);
    }
}
