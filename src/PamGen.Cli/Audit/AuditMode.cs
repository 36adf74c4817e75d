using System;
using System.Collections.Generic;
using System.Linq;

namespace PamGen.Cli.Audit;

/// <summary>
/// An arithmetic mode the audit runs the workload in. <see cref="Arithmetic"/> is null when the mode's type is
/// not in this build (then <see cref="Missing"/> says why). <see cref="ExpectMultiplicationFree"/>: the mode must
/// show zero counted instructions; otherwise it is a control that must show some.
/// </summary>
internal sealed record AuditMode(string Name, Type? Arithmetic, bool ExpectMultiplicationFree, string? Missing)
{
    /// <summary>The IEEE control (<see cref="IeeeArithmetic"/>) and the fully multiplication-free Pam mode.</summary>
    public static IReadOnlyList<AuditMode> All { get; } = new[]
    {
        new AuditMode("Ieee", typeof(IeeeArithmetic), ExpectMultiplicationFree: false, Missing: null),
        ResolvePam(),
    };

    public static AuditMode Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown mode '{name}'. Known modes: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));

    /// <summary>
    /// The default Pam mode, <c>PamGen.PamArithmetic&lt;PamGen.PamDefaults&gt;</c>, looked up by name so that the
    /// audit builds before the numerics work is merged; replace with a typeof once it is.
    /// </summary>
    private static AuditMode ResolvePam()
    {
        var runtime = typeof(IArithmetic).Assembly;
        var generic = runtime.GetType("PamGen.PamArithmetic`1");
        var options = runtime.GetType("PamGen.PamDefaults");
        if (generic is null || options is null)
        {
            return new AuditMode("Pam", null, ExpectMultiplicationFree: true,
                "PamGen.PamArithmetic`1 and PamGen.PamDefaults are not in this build of PamGen.Runtime");
        }
        return new AuditMode("Pam", generic.MakeGenericType(options), ExpectMultiplicationFree: true, Missing: null);
    }
}
