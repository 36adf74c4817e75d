using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using PamGen.Cli.Gpu;

namespace PamGen.Cli.Commands;

/// <summary>
/// <c>pamgen gpu list|check|bench</c>: the generated ILGPU kernels of the Tiny sample on ILGPU's CPU accelerator and
/// on any CUDA GPU. <c>check</c> compares every kernel's forward and backward bits with the CPU span kernels
/// (exit 1 when the contract is broken); <c>bench</c> times the launches. Exit 2 on unusable options, such as
/// <c>--device cuda</c> on a machine without a CUDA device.
/// </summary>
internal static class GpuCommand
{
    /// <summary>Exit code when a kernel broke the numeric contract.</summary>
    public const int Mismatch = 1;
    /// <summary>Exit code for unusable options (no such device or kernel).</summary>
    public const int BadInput = 2;

    internal static Command Create()
    {
        var command = new Command("gpu", "Run the generated ILGPU kernels: list accelerators, check them bit for bit against the CPU kernels, time them.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateCheck());
        command.Subcommands.Add(CreateBench());
        return command;
    }

    private static Option<GpuDeviceFilter> DeviceOption(GpuDeviceFilter byDefault) => new("--device")
    {
        Description = "Accelerators to use: all, cpu (ILGPU's CPU accelerator) or cuda.",
        DefaultValueFactory = _ => byDefault,
    };

    private static Option<int> SizeOption(int byDefault)
    {
        var size = new Option<int>("--size") { Description = "Elements per kernel launch.", DefaultValueFactory = _ => byDefault };
        size.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v < 1) r.AddError($"--size must be a positive element count, got {v}.");
        });
        return size;
    }

    private static Option<string[]> KernelOption() => new("--kernel")
    {
        Description = "Kernels to run (e.g. Gelu, Elementwise.Product); default: all.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Command CreateList()
    {
        var command = new Command("list", "List the accelerators ILGPU finds (CPU accelerator and CUDA devices).");
        command.SetAction(_ => List(Console.Out));
        return command;
    }

    private static Command CreateCheck()
    {
        var device = DeviceOption(GpuDeviceFilter.All);
        var size = SizeOption(1 << 20);
        var kernel = KernelOption();
        var seed = new Option<int>("--seed") { Description = "Seed of the random inputs.", DefaultValueFactory = _ => 20261122 };
        var command = new Command("check", "Compare each generated kernel's forward and backward on the accelerators with the CPU span kernels, bit for bit.")
        {
            device, size, kernel, seed,
        };
        command.SetAction(parse => Check(parse.GetValue(device), parse.GetValue(size), parse.GetValue(kernel), parse.GetValue(seed), Console.Out, Console.Error));
        return command;
    }

    private static Command CreateBench()
    {
        var device = DeviceOption(GpuDeviceFilter.Cuda);
        var size = SizeOption(1 << 26);
        var kernel = KernelOption();
        var reps = new Option<int>("--reps") { Description = "Timed launches per kernel, mode and pass (the median is reported).", DefaultValueFactory = _ => 20 };
        var host = new Option<bool>("--host-baseline") { Description = "Also time the CPU span kernels (one thread) on the same data." };
        var command = new Command("bench", "Time each generated kernel's launches in ieee, pam, pam with the paper's offset and pam with the exact backward.")
        {
            device, size, kernel, reps, host,
        };
        command.SetAction(parse => Bench(parse.GetValue(device), parse.GetValue(size), parse.GetValue(kernel), Math.Max(1, parse.GetValue(reps)), parse.GetValue(host), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Prints the accelerators; returns the exit code.</summary>
    internal static int List(TextWriter output)
    {
        using var context = GpuDevices.CreateContext();
        foreach (var d in GpuDevices.Select(context, GpuDeviceFilter.All))
            output.WriteLine(GpuDevices.Describe(d));
        return 0;
    }

    /// <summary>Runs the bit-for-bit check; returns the exit code.</summary>
    internal static int Check(GpuDeviceFilter filter, int size, string[]? kernelNames, int seed, TextWriter output, TextWriter error)
    {
        if (!TryKernels(kernelNames, error, out var kernels)) return BadInput;
        using var context = GpuDevices.CreateContext();
        var devices = GpuDevices.Select(context, filter);
        if (devices.Count == 0) { error.WriteLine("pamgen gpu check: " + GpuDevices.NoCudaMessage(context)); return BadInput; }

        int failed = 0, total = 0;
        foreach (var d in devices)
        {
            using var accelerator = d.CreateAccelerator(context);
            output.WriteLine($"{GpuDevices.Describe(d)}: {size:N0} elements per launch, specials included");
            output.WriteLine($"  {"kernel",-22} {"mode",-15} {"pass",-11} {"mismatches",10} {"worst ulps",10}  result");
            foreach (var r in GpuCheck.Run(accelerator, kernels, size, seed))
            {
                total++;
                if (!r.Passed) failed++;
                string verdict = r.Mismatches == 0 ? "bit-exact" : r.Passed ? "differs (IEEE on a GPU: reported, not required)" : "FAILED: PAM must be bit-exact";
                output.WriteLine($"  {r.Kernel,-22} {r.Mode,-15} {r.Pass,-11} {r.Mismatches,10:N0} {r.WorstDistance,10:N0}  {verdict}");
                if (r.Mismatches > 0) output.WriteLine($"      worst {r.Worst}");
            }
        }
        output.WriteLine($"{total - failed} of {total} comparisons meet the contract.");
        return failed == 0 ? 0 : Mismatch;
    }

    /// <summary>Runs the timings; returns the exit code.</summary>
    internal static int Bench(GpuDeviceFilter filter, int size, string[]? kernelNames, int reps, bool hostBaseline, TextWriter output, TextWriter error)
    {
        if (!TryKernels(kernelNames, error, out var kernels)) return BadInput;
        using var context = GpuDevices.CreateContext();
        var devices = GpuDevices.Select(context, filter);
        if (devices.Count == 0) { error.WriteLine("pamgen gpu bench: " + GpuDevices.NoCudaMessage(context)); return BadInput; }

        foreach (var d in devices)
        {
            using var accelerator = d.CreateAccelerator(context);
            output.WriteLine($"{GpuDevices.Describe(d)}: {size:N0} elements per launch, median of {reps} synchronised launches");
            var results = GpuBench.Run(accelerator, kernels, size, reps, hostBaseline);
            output.WriteLine($"  {"kernel",-22} {"pass",-9} {"where",-28} {"mode",-15} {"ms",9} {"Gelem/s",9} {"GB/s",8} {"vs ieee",8}");
            foreach (var r in results.OrderBy(r => r.Kernel, StringComparer.Ordinal).ThenBy(r => r.Pass, StringComparer.Ordinal).ThenBy(r => r.Where, StringComparer.Ordinal).ThenBy(r => r.Mode))
            {
                var ieee = results.First(o => o.Kernel == r.Kernel && o.Pass == r.Pass && o.Where == r.Where && o.Mode == GpuMode.Ieee);
                string where = r.Where.StartsWith("host", StringComparison.Ordinal) ? r.Where : r.Where.Split(' ')[0];
                output.WriteLine(FormattableString.Invariant(
                    $"  {r.Kernel,-22} {r.Pass,-9} {where,-28} {r.Mode,-15} {r.MedianSeconds * 1e3,9:F3} {r.ElementsPerSecond / 1e9,9:F2} {r.BytesPerSecond / 1e9,8:F1} {ieee.MedianSeconds / r.MedianSeconds,7:F2}x"));
            }
        }
        return 0;
    }

    private static bool TryKernels(string[]? names, TextWriter error, out IReadOnlyList<IGpuKernelCase> kernels)
    {
        if (names is null || names.Length == 0) { kernels = GpuKernelCatalog.All; return true; }
        var found = new List<IGpuKernelCase>();
        foreach (var name in names)
        {
            var c = GpuKernelCatalog.Find(name);
            if (c is null)
            {
                error.WriteLine($"--kernel: no kernel named '{name}'; known: {string.Join(", ", GpuKernelCatalog.All.Select(k => k.Name))}.");
                kernels = Array.Empty<IGpuKernelCase>();
                return false;
            }
            found.Add(c);
        }
        kernels = found;
        return true;
    }
}
