using System;
using PamGen.Cli.Gpu;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>A fact that needs an NVIDIA GPU: skipped, with the reason, on machines without a CUDA device (CI has none).</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Present = new(GpuDevices.HasCuda);

    /// <summary>Skips unless ILGPU finds a CUDA device.</summary>
    public CudaFactAttribute()
    {
        if (!Present.Value)
            Skip = "No CUDA device on this machine: this test runs the generated ILGPU kernels on an NVIDIA GPU. "
                 + "Run it on a GPU machine, or use `pamgen gpu check --device cuda` there.";
    }
}
