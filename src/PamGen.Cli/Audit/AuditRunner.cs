using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace PamGen.Cli.Audit;

/// <summary>The outcome of one mode: the scan of its listing, or why there is none.</summary>
internal sealed record ModeAudit(AuditMode Mode, DisassemblyScan? Scan, string? Failure);

/// <summary>
/// The parent side of the audit: re-launches this executable once per mode with tiered compilation off (so each
/// method is compiled once, fully optimized, as in a long training run), <c>DOTNET_JitDisasm</c> set to PamGen's and
/// the workload's methods and <c>DOTNET_JitStdOutFile</c> capturing the listing, then scans the listing.
/// </summary>
internal static class AuditRunner
{
    /// <summary>Hidden option that turns a <c>pamgen audit</c> process into the child that runs one mode.</summary>
    public const string RunModeOption = "--run-mode";

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);

    public static ModeAudit Audit(IAuditWorkload workload, AuditMode mode, int steps, int seed, string? keepListingsIn)
    {
        var listing = keepListingsIn is null
            ? Path.Combine(Path.GetTempPath(), $"pamgen-audit-{Environment.ProcessId}-{mode.Name}.txt")
            : Path.Combine(Directory.CreateDirectory(keepListingsIn).FullName, $"{workload.Name}.{mode.Name}.asm.txt");
        File.Delete(listing);
        try
        {
            var start = ChildStartInfo("audit", RunModeOption, mode.Name, "--workload", workload.Name,
                "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.Environment["DOTNET_TieredCompilation"] = "0";
            start.Environment["DOTNET_JitDisasm"] = string.Join(' ', Filters(workload));
            start.Environment["DOTNET_JitStdOutFile"] = listing;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;

            using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(ChildTimeout))
            {
                child.Kill(entireProcessTree: true);
                return new ModeAudit(mode, null, $"the workload process ran longer than {ChildTimeout.TotalSeconds:0} s and was stopped");
            }
            if (child.ExitCode != 0)
            {
                return new ModeAudit(mode, null, $"the workload process exited with code {child.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
            }
            if (!File.Exists(listing))
            {
                return new ModeAudit(mode, null, "the JIT wrote no listing (DOTNET_JitStdOutFile); is this runtime older than .NET 7?");
            }
            return new ModeAudit(mode, DisassemblyScanner.Scan(File.ReadAllText(listing)), null);
        }
        finally
        {
            if (keepListingsIn is null) File.Delete(listing);
        }
    }

    /// <summary>PamGen's methods and the workload's.</summary>
    public static IReadOnlyList<string> Filters(IAuditWorkload workload) =>
        new[] { "PamGen.*:*" }.Concat(workload.DisassemblyFilters).Distinct().ToArray();

    /// <summary>This executable with <paramref name="arguments"/>: the apphost directly, or <c>dotnet pamgen.dll</c>.</summary>
    private static ProcessStartInfo ChildStartInfo(params string[] arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running executable is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
