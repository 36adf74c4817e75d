using System;
using System.Collections.Generic;

namespace PamGen.Cli.Audit;

/// <summary>
/// Reads the text the JIT writes under <c>DOTNET_JitDisasm</c>: each method starts with a
/// <c>; Assembly listing for method NAME</c> header, instructions are indented lines whose first token is the
/// mnemonic, and comments (<c>;</c>) and labels (<c>G_M000_IG01:</c>) are skipped.
/// </summary>
internal static class DisassemblyScanner
{
    private const string Header = "; Assembly listing for method ";

    public static DisassemblyScan Scan(string text)
    {
        var methods = new List<MethodScan>();
        string? current = null;
        Dictionary<InstructionClass, int>? counts = null;

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith(Header, StringComparison.Ordinal))
            {
                if (current is not null) methods.Add(new MethodScan(current, counts!));
                current = StripTier(line.Substring(Header.Length));
                counts = new Dictionary<InstructionClass, int>();
                continue;
            }
            if (current is null || line.Length == 0 || line[0] == ';' || line.EndsWith(':')) continue;

            var end = line.IndexOfAny(new[] { ' ', '\t' });
            var mnemonic = end < 0 ? line : line.Substring(0, end);
            var kind = InstructionClassifier.Classify(mnemonic);
            if (kind != InstructionClass.None) counts![kind] = counts.TryGetValue(kind, out var n) ? n + 1 : 1;
        }
        if (current is not null) methods.Add(new MethodScan(current, counts!));
        return new DisassemblyScan(methods);
    }

    // "PamGen.Gemm:Compute[...](int,...):float (FullOpts)" → drop the tier note; signatures never contain " (".
    private static string StripTier(string name)
    {
        var tier = name.LastIndexOf(" (", StringComparison.Ordinal);
        return tier > 0 ? name.Substring(0, tier) : name;
    }
}
