using System.Collections.Generic;
using System.Linq;
using PamGen.Diagnostics;

namespace PamGen.Cli.Audit;

/// <summary>One method's listing: its name and the counted instructions found in it.</summary>
internal sealed record MethodScan(string Method, IReadOnlyDictionary<InstructionClass, int> Counts)
{
    /// <summary>All counted instructions of the method.</summary>
    public int Total => Counts.Values.Sum();
}

/// <summary>What a JIT disassembly listing holds: every method listed and the counted instructions.</summary>
internal sealed record DisassemblyScan(IReadOnlyList<MethodScan> Methods)
{
    /// <summary>Number of methods inspected (listings in the output).</summary>
    public int MethodCount => Methods.Count;

    /// <summary>All counted instructions over all methods.</summary>
    public int Total => Methods.Sum(m => m.Total);

    /// <summary>Count of one class over all methods.</summary>
    public int Count(InstructionClass kind) => Methods.Sum(m => m.Counts.TryGetValue(kind, out var n) ? n : 0);

    /// <summary>Counts the forbidden instructions that the runtime's <see cref="JitDisassembly"/> found, per method and column.</summary>
    public static DisassemblyScan From(JitDisassembly disassembly) =>
        new(disassembly.Methods.Select(method => new MethodScan(
                StripTier(method.Name),
                method.ForbiddenInstructions
                    .GroupBy(i => InstructionCategories.Of(i.Mnemonic))
                    .ToDictionary(g => g.Key, g => g.Count())))
            .ToList());

    // "PamGen.Gemm:Compute[...](int,...):float (FullOpts)" → drop the tier note; signatures never contain " (".
    private static string StripTier(string name)
    {
        var tier = name.LastIndexOf(" (", System.StringComparison.Ordinal);
        return tier > 0 ? name.Substring(0, tier) : name;
    }
}
