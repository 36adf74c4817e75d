using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PamGen.Dsl.Scalar;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Parsing;

/// <summary>
/// Parses each <c>[PamKernel]</c> declaration once per compilation: the kernel step and every model that maps the
/// kernel (<c>Map(x, Kernel)</c>) share the result instead of binding its body again. After any edit every
/// transform re-runs on the new compilation, so this halves the kernel work of an edit that changes no model.
/// Keyed weakly by the (immutable) compilation and the declaration node: an entry can neither go stale nor outlive
/// its compilation, and the parse is a pure function of the two.
/// </summary>
internal static class KernelParseMemo
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<MethodDeclarationSyntax, (KernelDefinition? Kernel, DiagnosticInfo[] Diagnostics)>> Parsed = new();

    /// <summary><see cref="KernelParser.ParseKernel"/>, memoised; its diagnostics are appended to <paramref name="diagnostics"/> on every call.</summary>
    public static KernelDefinition? Parse(MethodDeclarationSyntax method, SemanticModel model, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var memo = Parsed.GetValue(model.Compilation, static _ => new());
        if (!memo.TryGetValue(method, out var entry))
        {
            var found = new List<DiagnosticInfo>();
            var kernel = KernelParser.ParseKernel(method, model, found, ct);
            entry = (kernel, found.ToArray());
            memo.TryAdd(method, entry);
        }
        diagnostics.AddRange(entry.Diagnostics);
        return entry.Kernel;
    }
}
