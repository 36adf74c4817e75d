using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using PamGen.Cli.Audit;

namespace PamGen.Cli.Commands;

/// <summary>
/// <c>pamgen audit</c>: proves from the JIT's own disassembly that a training step in Pam mode executes no
/// floating-point multiply, divide, FMA, square root or reciprocal, with the Ieee mode as the control that shows
/// the scan can fail. Exit code 0 when clean, 1 when Pam executed any, 2 when the audit was inconclusive.
/// </summary>
internal static class AuditCommand
{
    internal static Command Create()
    {
        var workload = new Option<string>("--workload")
        {
            Description = $"Comma-separated workloads to train: {string.Join(", ", AuditWorkloads.All.Select(w => w.Name))}.",
            DefaultValueFactory = _ => string.Join(',', AuditWorkloads.All.Select(w => w.Name)),
        };
        var steps = new Option<int>("--steps") { Description = "Training steps per mode.", DefaultValueFactory = _ => 3 };
        steps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"--steps must be at least 1, got {result.GetValueOrDefault<int>()}.");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the workload's random data.", DefaultValueFactory = _ => 1234 };
        var modes = new Option<string>("--modes")
        {
            Description = $"Comma-separated modes to audit: {string.Join(", ", AuditMode.All.Select(m => m.Name))}.",
            DefaultValueFactory = _ => string.Join(',', AuditMode.All.Select(m => m.Name)),
        };
        var keep = new Option<string?>("--keep-listings") { Description = "Folder to keep each mode's JIT listing in (default: deleted)." };
        var runMode = new Option<string?>(AuditRunner.RunModeOption) { Hidden = true, Description = "Internal: run one mode's workload (the audited child process)." };

        var command = new Command("audit", "Show from the JIT's disassembly that Pam-mode training executes no floating-point multiplication.")
        {
            workload, steps, seed, modes, keep, runMode,
        };
        command.SetAction(parse =>
        {
            var stepCount = parse.GetValue(steps);
            List<IAuditWorkload> chosen;
            List<AuditMode> chosenModes;
            try
            {
                chosen = parse.GetValue(workload)!
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(AuditWorkloads.Find)
                    .ToList();
                chosenModes = parse.GetValue(modes)!
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(AuditMode.Find)
                    .ToList();
            }
            catch (ArgumentException unknown)
            {
                Console.Error.WriteLine(unknown.Message);
                return AuditReport.Inconclusive;
            }

            if (parse.GetValue(runMode) is { } childMode)
            {
                if (chosen.Count != 1) throw new ArgumentException($"{AuditRunner.RunModeOption} runs exactly one workload.", nameof(workload));
                var loss = AuditMode.Find(childMode).Train(chosen[0], stepCount, parse.GetValue(seed));
                Console.WriteLine($"{childMode}: loss after {stepCount} step(s) {loss.ToString("R", CultureInfo.InvariantCulture)}");
                return 0;
            }

            var exit = AuditReport.Passed;
            foreach (var one in chosen)
            {
                var results = chosenModes
                    .Select(mode => AuditRunner.Audit(one, mode, stepCount, parse.GetValue(seed), parse.GetValue(keep)))
                    .ToList();
                exit = AuditReport.Combine(exit, AuditReport.Write(Console.Out, one, stepCount, results));
            }
            return exit;
        });
        return command;
    }
}
