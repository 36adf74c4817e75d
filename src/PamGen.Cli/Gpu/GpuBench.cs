using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;

namespace PamGen.Cli.Gpu;

/// <summary>One timing: the median of <see cref="Repetitions"/> launches, each synchronised.</summary>
/// <param name="Kernel">The kernel's name.</param>
/// <param name="Mode">The arithmetic.</param>
/// <param name="Pass">"forward" or "backward".</param>
/// <param name="Where">The accelerator, or "host span kernel (1 thread)".</param>
/// <param name="Elements">Elements per launch.</param>
/// <param name="Repetitions">Timed launches.</param>
/// <param name="MedianSeconds">The median time of one launch.</param>
/// <param name="BytesMoved">Bytes read and written by one launch, counted from the kernel's signature.</param>
internal sealed record GpuBenchResult(string Kernel, GpuMode Mode, string Pass, string Where, int Elements, int Repetitions, double MedianSeconds, long BytesMoved)
{
    /// <summary>Elements per second.</summary>
    public double ElementsPerSecond => Elements / MedianSeconds;

    /// <summary>Effective memory bandwidth, bytes per second.</summary>
    public double BytesPerSecond => BytesMoved / MedianSeconds;
}

/// <summary>
/// Times each generated kernel's forward and backward launch on an accelerator in every mode (the first launch,
/// which compiles the kernel, is not timed). Elementwise kernels are memory-bound on a GPU, so the figure to read
/// is the bandwidth and the PAM/IEEE ratio; with <c>hostBaseline</c> the CPU span kernels run on the same data.
/// </summary>
internal static class GpuBench
{
    /// <summary>Times every kernel of <paramref name="kernels"/> in every mode on <paramref name="accelerator"/>.</summary>
    internal static List<GpuBenchResult> Run(Accelerator accelerator, IEnumerable<IGpuKernelCase> kernels, int n, int repetitions, bool hostBaseline)
    {
        var results = new List<GpuBenchResult>();
        foreach (var kernel in kernels)
            foreach (var mode in GpuModes.All)
                results.AddRange(GpuModes.Dispatch(mode, new Action(accelerator, kernel, mode, n, repetitions, hostBaseline)));
        return results;
    }

    /// <summary>The median of <paramref name="repetitions"/> timings of <paramref name="work"/>.</summary>
    internal static double Median(int repetitions, System.Action work)
    {
        var times = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(times);
        return repetitions % 2 == 1 ? times[repetitions / 2] : (times[repetitions / 2 - 1] + times[repetitions / 2]) / 2;
    }

    private sealed class Action(Accelerator accelerator, IGpuKernelCase kernel, GpuMode mode, int n, int repetitions, bool hostBaseline)
        : IGpuModeAction<List<GpuBenchResult>>
    {
        public List<GpuBenchResult> Run<TArith>() where TArith : struct, IArithmetic
        {
            int inputs = kernel.Inputs;
            float[][] x = Enumerable.Range(0, inputs).Select(j => GpuInputs.Create(n, 7 + j, 20)).ToArray();
            float[] dy = GpuInputs.Create(n, 17, 4);
            long forwardBytes = (inputs + 1L) * sizeof(float) * n;
            long backwardBytes = (inputs + 1L + 2L * inputs) * sizeof(float) * n;   // x and dy read, each gradient read and written

            var xBuffers = x.Select(a => accelerator.Allocate1D(a)).ToArray();
            var gradBuffers = Enumerable.Range(0, inputs).Select(_ => accelerator.Allocate1D<float>(n)).ToArray();
            using var dyBuffer = accelerator.Allocate1D(dy);
            using var yBuffer = accelerator.Allocate1D<float>(n);
            try
            {
                var xViews = xBuffers.Select(b => (ArrayView<float>)b.View).ToArray();
                var gradViews = gradBuffers.Select(b => (ArrayView<float>)b.View).ToArray();
                foreach (var g in gradBuffers) g.MemSetToZero();
                kernel.Forward<TArith>(accelerator, yBuffer.View, xViews);              // compiles
                kernel.Backward<TArith>(accelerator, gradViews, dyBuffer.View, xViews);
                accelerator.Synchronize();

                string where = $"{accelerator.AcceleratorType} {accelerator.Name}";
                var results = new List<GpuBenchResult>
                {
                    new(kernel.Name, mode, "forward", where, n, repetitions, Median(repetitions, () =>
                    {
                        kernel.Forward<TArith>(accelerator, yBuffer.View, xViews);
                        accelerator.Synchronize();
                    }), forwardBytes),
                    new(kernel.Name, mode, "backward", where, n, repetitions, Median(repetitions, () =>
                    {
                        kernel.Backward<TArith>(accelerator, gradViews, dyBuffer.View, xViews);
                        accelerator.Synchronize();
                    }), backwardBytes),
                };
                if (hostBaseline)
                {
                    var y = new float[n];
                    var grads = Enumerable.Range(0, inputs).Select(_ => new float[n]).ToArray();
                    int hostReps = Math.Max(1, Math.Min(repetitions, 5));
                    kernel.ForwardCpu<TArith>(y, x);
                    results.Add(new(kernel.Name, mode, "forward", "host span kernel (1 thread)", n, hostReps,
                        Median(hostReps, () => kernel.ForwardCpu<TArith>(y, x)), forwardBytes));
                    results.Add(new(kernel.Name, mode, "backward", "host span kernel (1 thread)", n, hostReps,
                        Median(hostReps, () => kernel.BackwardCpu<TArith>(grads, dy, x)), backwardBytes));
                }
                return results;
            }
            finally
            {
                foreach (var b in xBuffers) b.Dispose();
                foreach (var b in gradBuffers) b.Dispose();
            }
        }
    }
}
