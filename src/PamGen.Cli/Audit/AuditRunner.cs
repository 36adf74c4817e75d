using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using PamGen.Diagnostics;

namespace PamGen.Cli.Audit;

/// <summary>The outcome of one mode: the scan of its listing, or why there is none.</summary>
internal sealed record ModeAudit(AuditMode Mode, DisassemblyScan? Scan, string? Failure);

/// <summary>
/// The parent side of the audit: re-launches this executable once per mode through the runtime's
/// <see cref="JitDisassembly"/> (tiered compilation off, so each method is compiled once, fully optimized, as in a
/// long training run; <c>DOTNET_JitDisasm</c> set to PamGen's and the workload's methods; the listing captured
/// with <c>DOTNET_JitStdOutFile</c>), and counts the forbidden instructions it found.
/// </summary>
internal static class AuditRunner
{
    /// <summary>Hidden option that turns a <c>pamgen audit</c> process into the child that runs one mode.</summary>
    public const string RunModeOption = "--run-mode";

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);

    public static ModeAudit Audit(IAuditWorkload workload, AuditMode mode, int steps, int seed, string? keepListingsIn)
    {
        var arguments = new[]
        {
            "audit", RunModeOption, mode.Name, "--workload", workload.Name,
            "--steps", steps.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture),
        };
        JitDisassembly disassembly;
        try
        {
            disassembly = JitDisassembly.Capture(Assembly.GetEntryAssembly()!.Location, Filters(workload), arguments, ChildTimeout);
        }
        catch (InvalidOperationException timeout)
        {
            return new ModeAudit(mode, null, timeout.Message);
        }

        if (keepListingsIn is not null)
        {
            var folder = Directory.CreateDirectory(keepListingsIn).FullName;
            File.WriteAllText(Path.Combine(folder, $"{workload.Name}.{mode.Name}.asm.txt"), disassembly.Listing);
        }
        if (disassembly.ExitCode != 0)
        {
            return new ModeAudit(mode, null, $"the workload process exited with code {disassembly.ExitCode}: {disassembly.ProcessOutput.Trim()}");
        }
        if (disassembly.Listing.Length == 0)
        {
            return new ModeAudit(mode, null, "the JIT wrote no listing (DOTNET_JitStdOutFile); is this runtime older than .NET 7?");
        }
        return new ModeAudit(mode, DisassemblyScan.From(disassembly), null);
    }

    /// <summary>PamGen's methods and the workload's (<c>DOTNET_JitDisasm</c> patterns: fully qualified type, colon, method).</summary>
    public static IReadOnlyList<string> Filters(IAuditWorkload workload) =>
        new[] { "PamGen.*:*" }.Concat(workload.DisassemblyFilters).Distinct().ToArray();
}
