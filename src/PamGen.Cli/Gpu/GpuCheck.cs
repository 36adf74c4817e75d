using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;

namespace PamGen.Cli.Gpu;

/// <summary>One comparison of a generated kernel on an accelerator against its CPU span kernel.</summary>
/// <param name="Kernel">The kernel's name.</param>
/// <param name="Mode">The arithmetic.</param>
/// <param name="Pass">"forward" or "backward d&lt;input&gt;".</param>
/// <param name="Elements">Elements compared.</param>
/// <param name="Mismatches">Elements whose bits differ (NaN equals NaN whatever its payload).</param>
/// <param name="WorstDistance">The largest distance in representable floats (ulps) between the two values.</param>
/// <param name="Worst">The worst element, described, or empty.</param>
/// <param name="MustBeExact">Whether the contract requires equal bits here.</param>
internal sealed record GpuCheckResult(string Kernel, GpuMode Mode, string Pass, int Elements, int Mismatches, long WorstDistance, string Worst, bool MustBeExact)
{
    /// <summary>Whether the result meets the contract.</summary>
    public bool Passed => Mismatches == 0 || !MustBeExact;
}

/// <summary>
/// Runs each generated kernel forward and backward on an accelerator and on the CPU span kernels, same inputs, and
/// compares the bits. PAM modes must match bit for bit on every accelerator (NUMERICS.md); IEEE mode must match on
/// ILGPU's CPU accelerator and is reported, not required, on a GPU (its exp/log and FMA contraction are its own).
/// The backward runs twice into seeded gradient buffers, so accumulation and the cached kernel are both exercised.
/// </summary>
internal static class GpuCheck
{
    /// <summary>Checks every kernel of <paramref name="kernels"/> in every mode on <paramref name="accelerator"/>.</summary>
    internal static List<GpuCheckResult> Run(Accelerator accelerator, IEnumerable<IGpuKernelCase> kernels, int n, int seed)
    {
        var results = new List<GpuCheckResult>();
        bool exactIeee = accelerator.AcceleratorType == AcceleratorType.CPU;
        foreach (var kernel in kernels)
            foreach (var mode in GpuModes.All)
                results.AddRange(GpuModes.Dispatch(mode, new Action(accelerator, kernel, mode, n, seed,
                    GpuModes.IsBitExactEverywhere(mode) || exactIeee)));
        return results;
    }

    /// <summary>Counts the elements of <paramref name="actual"/> whose bits differ from <paramref name="expected"/>.</summary>
    internal static (int Mismatches, long WorstDistance, int WorstIndex) Compare(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
            throw new ArgumentException($"Compare: expected has {expected.Length} elements but actual has {actual.Length}.", nameof(actual));
        int mismatches = 0, worstIndex = -1;
        long worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(actual[i])) continue;
            int e = BitConverter.SingleToInt32Bits(expected[i]), a = BitConverter.SingleToInt32Bits(actual[i]);
            if (e == a) continue;
            long distance = Math.Max(1, Math.Abs(Ordered(e) - Ordered(a)));   // −0 vs +0 counts as 1
            mismatches++;
            if (distance > worst) (worst, worstIndex) = (distance, i);
        }
        return (mismatches, worst, worstIndex);
    }

    // Bit patterns mapped onto a line where adjacent floats are adjacent integers (negative floats reversed), so a
    // distance is a count of representable floats (ulps), also across zero.
    private static long Ordered(int bits) => bits >= 0 ? bits : (long)int.MinValue - bits;

    private sealed class Action(Accelerator accelerator, IGpuKernelCase kernel, GpuMode mode, int n, int seed, bool mustBeExact)
        : IGpuModeAction<List<GpuCheckResult>>
    {
        public List<GpuCheckResult> Run<TArith>() where TArith : struct, IArithmetic
        {
            int inputs = kernel.Inputs;
            float[][] x = Enumerable.Range(0, inputs).Select(j => GpuInputs.Create(n, seed + j, 40)).ToArray();
            float[] dy = GpuInputs.Create(n, seed + 10, 8);
            float[] seedGrad = GpuInputs.Create(n, seed + 20, 4);

            var xBuffers = x.Select(a => accelerator.Allocate1D(a)).ToArray();
            using var dyBuffer = accelerator.Allocate1D(dy);
            using var yBuffer = accelerator.Allocate1D<float>(n);
            var gradBuffers = Enumerable.Range(0, inputs).Select(_ => accelerator.Allocate1D(seedGrad)).ToArray();
            try
            {
                var xViews = xBuffers.Select(b => (ArrayView<float>)b.View).ToArray();
                var gradViews = gradBuffers.Select(b => (ArrayView<float>)b.View).ToArray();
                kernel.Forward<TArith>(accelerator, yBuffer.View, xViews);
                kernel.Backward<TArith>(accelerator, gradViews, dyBuffer.View, xViews);
                kernel.Backward<TArith>(accelerator, gradViews, dyBuffer.View, xViews);
                accelerator.Synchronize();

                var y = new float[n];
                var grads = Enumerable.Range(0, inputs).Select(_ => (float[])seedGrad.Clone()).ToArray();
                kernel.ForwardCpu<TArith>(y, x);
                kernel.BackwardCpu<TArith>(grads, dy, x);
                kernel.BackwardCpu<TArith>(grads, dy, x);

                var results = new List<GpuCheckResult> { Result("forward", y, yBuffer.GetAsArray1D(), x, dy) };
                for (int j = 0; j < inputs; j++)
                    results.Add(Result($"backward d{(char)('a' + j)}", grads[j], gradBuffers[j].GetAsArray1D(), x, dy));
                return results;
            }
            finally
            {
                foreach (var b in xBuffers) b.Dispose();
                foreach (var b in gradBuffers) b.Dispose();
            }
        }

        private GpuCheckResult Result(string pass, float[] cpu, float[] device, float[][] x, float[] dy)
        {
            var (mismatches, worst, index) = Compare(cpu, device);
            string detail = index < 0 ? "" : FormattableString.Invariant(
                $"[{index}] inputs ({string.Join(", ", x.Select(a => a[index].ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}), dy {dy[index]:R}: device {device[index]:R}, CPU {cpu[index]:R}");
            return new GpuCheckResult(kernel.Name, mode, pass, cpu.Length, mismatches, worst, detail, mustBeExact);
        }
    }
}
