using System;
using System.Collections.Generic;
using System.Linq;

namespace PamGen.Cli.Audit;

/// <summary>The workloads <c>pamgen audit</c> can run; a sample model is added here with one line.</summary>
internal static class AuditWorkloads
{
    public static IReadOnlyList<IAuditWorkload> All { get; } = new IAuditWorkload[]
    {
        new TinyMlpWorkload(),
        new TransformerWorkload(),
        new SampleWorkload(),
    };

    public static IAuditWorkload Find(string name) =>
        All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"Unknown workload '{name}'. Known workloads: {string.Join(", ", All.Select(w => w.Name))}.", nameof(name));
}
