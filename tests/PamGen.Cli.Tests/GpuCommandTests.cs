using System;
using System.IO;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using PamGen.Cli.Commands;
using PamGen.Cli.Gpu;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>
/// <c>pamgen gpu</c>: the Tiny sample's generated ILGPU kernels against its CPU span kernels, bit for bit, on ILGPU's
/// CPU accelerator here (and on CUDA where a GPU exists); the comparison itself catches planted differences.
/// </summary>
public class GpuCommandTests
{
    private static (int Code, string Output, string Error) Run(Func<TextWriter, TextWriter, int> command)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = command(output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static int Comparisons() => GpuKernelCatalog.All.Sum(k => 1 + k.Inputs) * GpuModes.All.Length;

    [Fact]
    public void Check_on_the_cpu_accelerator_is_bit_exact_for_every_kernel_mode_and_pass()
    {
        var (code, output, error) = Run((o, e) => GpuCommand.Check(GpuDeviceFilter.Cpu, 2048, null, 7, o, e));
        Assert.True(code == 0, output + error);
        int expected = Comparisons();
        Assert.Contains($"{expected} of {expected} comparisons meet the contract.", output);
        Assert.Equal(expected, output.Split('\n').Count(l => l.TrimEnd().EndsWith("bit-exact", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compare_counts_differences_reports_the_worst_and_treats_nan_payloads_as_equal()
    {
        float[] expected = { 1f, 2f, float.NaN, -0f, 5f };
        float[] actual = { 1f, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(2f) + 3), BitConverter.Int32BitsToSingle(0x7FC00001), 0f, 5.5f };
        var (mismatches, worst, index) = GpuCheck.Compare(expected, actual);
        Assert.Equal(3, mismatches);   // 2f off by 3 ulps, −0 vs +0 (1 ulp), 5 vs 5.5 (2^20 ulps)
        Assert.Equal(4, index);
        Assert.Equal(BitConverter.SingleToInt32Bits(5.5f) - BitConverter.SingleToInt32Bits(5f), worst);
        Assert.Throws<ArgumentException>(() => GpuCheck.Compare(expected, actual.AsSpan(1)));
    }

    [Fact]
    public void Only_ieee_on_a_gpu_may_differ()
    {
        Assert.False(new GpuCheckResult("k", GpuMode.Pam, "forward", 10, 1, 1, "", MustBeExact: true).Passed);
        Assert.True(new GpuCheckResult("k", GpuMode.Ieee, "forward", 10, 1, 1, "", MustBeExact: false).Passed);
        Assert.True(new GpuCheckResult("k", GpuMode.Pam, "forward", 10, 0, 0, "", MustBeExact: true).Passed);
        Assert.True(GpuModes.IsBitExactEverywhere(GpuMode.Pam) && GpuModes.IsBitExactEverywhere(GpuMode.PamPaperOffset));
        Assert.False(GpuModes.IsBitExactEverywhere(GpuMode.Ieee));
    }

    [Fact]
    public void A_corrupted_device_result_is_reported_as_a_failure()
    {
        // The check's comparison on real kernel output: run Gelu on the CPU accelerator, flip one bit, compare.
        using var context = GpuDevices.CreateContext();
        using var accelerator = GpuDevices.Select(context, GpuDeviceFilter.Cpu)[0].CreateAccelerator(context);
        float[] x = GpuInputs.Create(512, 3, 10);
        using var xBuffer = accelerator.Allocate1D(x);
        using var yBuffer = accelerator.Allocate1D<float>(x.Length);
        var gelu = GpuKernelCatalog.Find("Gelu")!;
        gelu.Forward<PamArithmetic<PamDefaults>>(accelerator, yBuffer.View, new ArrayView<float>[] { xBuffer.View });
        accelerator.Synchronize();
        float[] device = yBuffer.GetAsArray1D();
        float[] cpu = new float[x.Length];
        gelu.ForwardCpu<PamArithmetic<PamDefaults>>(cpu, new[] { x });
        Assert.Equal(0, GpuCheck.Compare(cpu, device).Mismatches);
        device[300] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(device[300]) ^ 1);
        var (mismatches, worst, index) = GpuCheck.Compare(cpu, device);
        Assert.Equal((1, 1L, 300), (mismatches, worst, index));
    }

    [Fact]
    public void Unknown_kernel_names_the_known_ones()
    {
        var (code, _, error) = Run((o, e) => GpuCommand.Check(GpuDeviceFilter.Cpu, 16, new[] { "Nope" }, 1, o, e));
        Assert.Equal(GpuCommand.BadInput, code);
        Assert.Contains("no kernel named 'Nope'", error);
        Assert.Contains("Activations.Gelu", error);
        Assert.Contains("Elementwise.Product", error);
    }

    [Fact]
    public void Bench_on_the_cpu_accelerator_times_every_mode_and_pass()
    {
        var (code, output, error) = Run((o, e) => GpuCommand.Bench(GpuDeviceFilter.Cpu, 1024, new[] { "Product" }, 1, true, o, e));
        Assert.True(code == 0, output + error);
        var rows = output.Split('\n').Where(l => l.TrimStart().StartsWith("Elementwise.Product", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2 * 2 * GpuModes.All.Length, rows.Length);   // forward/backward × accelerator/host × modes
        Assert.All(rows, r => Assert.EndsWith("x", r.TrimEnd()));
        Assert.Contains(rows, r => r.Contains("host span kernel (1 thread)", StringComparison.Ordinal) && r.Contains("PamPaperOffset", StringComparison.Ordinal));
    }

    [CudaFact]
    public void Check_on_cuda_keeps_pam_bit_exact()
    {
        var (code, output, error) = Run((o, e) => GpuCommand.Check(GpuDeviceFilter.Cuda, 1 << 20, null, 11, o, e));
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("FAILED", output);
    }

    [Fact]
    public void Cuda_on_a_machine_without_one_is_a_clear_error_else_it_runs()
    {
        var (code, output, error) = Run((o, e) => GpuCommand.Check(GpuDeviceFilter.Cuda, 64, new[] { "Product" }, 1, o, e));
        if (GpuDevices.HasCuda())
        {
            Assert.True(code == 0, output + error);
            Assert.Contains("Cuda", output);
        }
        else
        {
            Assert.Equal(GpuCommand.BadInput, code);
            Assert.Contains("no CUDA device found", error);
            Assert.Contains("--device cpu", error);
        }
    }
}
