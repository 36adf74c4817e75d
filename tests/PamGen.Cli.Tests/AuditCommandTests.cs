using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>
/// Runs the real <c>pamgen audit</c> (which re-launches itself under the JIT's disassembler) on each workload
/// (the tiny MLP, the runtime's transformer classifier and the generated sample encoder): Pam mode must execute no floating-point multiply/divide/FMA/sqrt/reciprocal, and the Ieee control
/// must execute some, so the scan is shown able to fail.
/// </summary>
public class AuditCommandTests
{
    [Theory]
    [InlineData("tiny-mlp")]
    [InlineData("transformer")]
    [InlineData("sample")]
    public void Pam_mode_shows_zero_and_the_ieee_control_more_than_zero(string workload)
    {
        var (exit, output) = RunPamgen("audit", "--workload", workload, "--steps", "2");

        var ieee = Row(output, "Ieee");
        var pam = Row(output, "Pam");
        Assert.True(ieee.Methods > 0 && pam.Methods > 0, $"no methods were inspected:\n{output}");
        Assert.True(ieee.Total > 0, $"the Ieee control found no floating-point multiply:\n{output}");
        Assert.True(pam.Total == 0, $"Pam mode executed {pam.Total} floating-point multiply-class instructions:\n{output}");
        Assert.True(exit == 0, $"pamgen audit exited with {exit}:\n{output}");
    }

    private static (int Methods, int Total) Row(string output, string mode)
    {
        // "Pam          25         0       0     0     0      0      0  0"
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(mode + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no row for mode {mode} in:\n{output}");
        var numbers = Regex.Matches(line, @"\b\d+\b").Select(m => int.Parse(m.Value)).ToArray();
        Assert.True(numbers.Length >= 7, $"mode {mode} was not audited: {line}");
        return (numbers[0], numbers[6]);
    }

    private static (int Exit, string Output) RunPamgen(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "pamgen.dll");
        Assert.True(File.Exists(dll), $"pamgen.dll is not next to the tests ({dll}).");
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "pamgen audit did not finish within 3 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
