using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace PamGen.Cli.Gpu;

/// <summary>Which accelerators a GPU command runs on.</summary>
internal enum GpuDeviceFilter
{
    /// <summary>Every accelerator ILGPU finds (its CPU accelerator included).</summary>
    All,

    /// <summary>ILGPU's CPU accelerator only: runs the kernels' IL on the host; always present.</summary>
    Cpu,

    /// <summary>NVIDIA GPUs through CUDA; an error when none is found.</summary>
    Cuda,
}

/// <summary>Creates the ILGPU context and picks its devices.</summary>
internal static class GpuDevices
{
    /// <summary>A context with ILGPU's default CPU accelerator and, when a driver is present, every CUDA device.
    /// OpenCL is left out: PamGen's kernels target CUDA and ILGPU's CPU accelerator. The algorithms library
    /// supplies <c>MathF.Exp</c>/<c>Log</c>/<c>Sqrt</c> to the IEEE kernels on CUDA; PAM kernels need none of it.</summary>
    internal static Context CreateContext() => Context.Create(builder => builder.DefaultCPU().Cuda().EnableAlgorithms());

    /// <summary>Whether this machine has a CUDA device ILGPU can use.</summary>
    internal static bool HasCuda()
    {
        using var context = CreateContext();
        return Select(context, GpuDeviceFilter.Cuda).Count > 0;
    }

    /// <summary>The devices of <paramref name="context"/> that <paramref name="filter"/> selects, in ILGPU's order.</summary>
    internal static IReadOnlyList<Device> Select(Context context, GpuDeviceFilter filter) => context.Devices
        .Where(d => filter switch
        {
            GpuDeviceFilter.Cpu => d.AcceleratorType == AcceleratorType.CPU,
            GpuDeviceFilter.Cuda => d.AcceleratorType == AcceleratorType.Cuda,
            _ => d.AcceleratorType is AcceleratorType.CPU or AcceleratorType.Cuda,
        })
        .ToList();

    /// <summary>One line per device: type, name, memory.</summary>
    internal static string Describe(Device device) => device.AcceleratorType == AcceleratorType.CPU
        ? $"CPU   {device.Name} (ILGPU's CPU accelerator: kernels run as IL on the host)"
        : $"{device.AcceleratorType,-5} {device.Name} ({device.MemorySize / (1024.0 * 1024 * 1024):F1} GiB, {device.NumMultiprocessors} multiprocessors, max group {device.MaxNumThreadsPerGroup} threads)";

    /// <summary>The message for <c>--device cuda</c> on a machine without one.</summary>
    internal static string NoCudaMessage(Context context)
        => "no CUDA device found (ILGPU saw: " + string.Join(", ", context.Devices.Select(d => $"{d.AcceleratorType} {d.Name}"))
           + "). Run on a machine with an NVIDIA GPU and its driver (libcuda), or pass --device cpu.";
}
