using System;
using System.Collections.Generic;
using System.Linq;

namespace PamGen.Cli.Audit;

/// <summary>
/// An arithmetic mode the audit runs the workload in. <see cref="ExpectMultiplicationFree"/>: the mode must show
/// zero counted instructions; otherwise it is a control that must show some, proving the scan can fail.
/// </summary>
internal sealed record AuditMode(string Name, bool ExpectMultiplicationFree, Func<IAuditWorkload, int, int, float> Train)
{
    /// <summary>The IEEE control and the fully multiplication-free Pam mode (the paper's default options).</summary>
    public static IReadOnlyList<AuditMode> All { get; } = new[]
    {
        new AuditMode("Ieee", ExpectMultiplicationFree: false, (w, steps, seed) => w.Train<IeeeArithmetic>(steps, seed)),
        new AuditMode("Pam", ExpectMultiplicationFree: true, (w, steps, seed) => w.Train<PamArithmetic<PamDefaults>>(steps, seed)),
    };

    public static AuditMode Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown mode '{name}'. Known modes: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
}
