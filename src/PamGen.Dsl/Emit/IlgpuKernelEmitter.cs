using System;
using System.Collections.Generic;
using System.Linq;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Emit;

/// <summary>
/// Emits the ILGPU form of a <c>[PamKernel]</c>: a nested static class <c>{Kernel}Gpu</c> holding static kernels
/// (index first, <c>ArrayView&lt;float&gt;</c> parameters, no allocation) for the forward and accumulating backward
/// passes, generic over <c>TArith : struct, IArithmetic</c> like the CPU kernels, and launchers that load each
/// kernel once per accelerator and mode (cached in a <c>ConditionalWeakTable</c>, so a disposed accelerator is not
/// kept alive).
/// </summary>
public static class IlgpuKernelEmitter
{
    /// <summary>
    /// The most kernel inputs the ILGPU form supports: the backward launcher's delegate is
    /// <c>Action&lt;Index1D, views...&gt;</c> with one view per input gradient, per input and the upstream
    /// gradient, and ILGPU's <c>LoadAutoGroupedStreamKernel</c> takes at most 14 views.
    /// </summary>
    public const int MaxInputs = 6;

    private const string Arith = "where TArith : struct, global::PamGen.IArithmetic";
    private const string View = "global::ILGPU.ArrayView<float>";
    private const string Index = "global::ILGPU.Index1D";

    /// <summary>The file <c>{Type}.{Kernel}.Ilgpu.g.cs</c>, or null when the kernel has more than <see cref="MaxInputs"/> inputs.</summary>
    public static GeneratedFile? Emit(KernelDefinition kernel, TypeContext context)
    {
        string[] names = kernel.Parameters.ToArray();
        if (names.Length > MaxInputs) return null;
        var derived = Differentiator.Derive(kernel.Body, names.Length);
        string signature = $"{kernel.Name}({string.Join(", ", names)})";
        string[] grads = names.Select(KernelEmitter.GradientName).ToArray();
        string output = KernelEmitter.Output, upstream = KernelEmitter.Upstream;

        var w = new SourceWriter();
        FileScaffold.Begin(w, context, new[]
        {
            ("model", context.TypeName),
            ("kernel", kernel.Name),
            ("pass", "Forward and Backward (reverse mode, accumulating)"),
            ("backend", "ILGPU: one thread per element (Index1D), generic over TArith : IArithmetic (Ieee, PamMatmul, Pam)"),
            ("shapes", $"{output} [n] = {kernel.Name}({string.Join(", ", names.Select(n => n + " [n]"))}); {string.Join(", ", grads.Select(g => g + " [n]"))} += ∂/∂({string.Join(", ", names)}) given {upstream} [n]"),
            ("DSL", $"{signature} => {kernel.Source}"),
            ("inlined", ScalarPrinter.Print(derived.Graph, derived.Output, names)),
            ("gradient", KernelEmitter.Gradients(derived, names)),
        }.Concat(derived.Exact is { } exactRules
            ? new[] { ("exact", KernelEmitter.Gradients(exactRules, names) + "\n(taken when TArith.UsesExactBackward)") }
            : Array.Empty<(string, string)>()));

        string gpu = kernel.Name + "Gpu";
        string code = $"<c>{Escape(signature)}</c>";
        w.Line($"/// <summary>ILGPU kernels of {code}; the launchers compile each kernel once per accelerator and mode.</summary>");
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"PamGen.Generators\", \"{DslVersion.Current}\")]");
        w.Open($"public static class {gpu}");

        var forwardViews = new[] { output }.Concat(names).ToArray();
        var backwardViews = grads.Concat(new[] { upstream }).Concat(names).ToArray();
        var used = Enumerable.Range(0, names.Length).Where(i => derived.Gradients[i] >= 0).ToArray();

        // Forward kernel.
        w.Line($"/// <summary>Computes {code} at element <paramref name=\"i\"/>: <c>output[i] = f(inputs[i])</c>, in the arithmetic <typeparamref name=\"TArith\"/>.</summary>");
        w.Line($"public static void ForwardKernel<TArith>({Parameters(forwardViews)})");
        w.Line("    " + Arith);
        w.Open();
        var roots = new[] { derived.Output };
        var results = WriteBody(w, derived.Graph, roots, names);
        w.Line($"{output}[i] = {results[0]};");
        w.Close();
        w.Line();

        // Backward kernel.
        w.Line($"/// <summary>Accumulates the gradient of {code} at element <paramref name=\"i\"/> into the gradient views (forward values are recomputed, not stored).</summary>");
        w.Line($"public static void BackwardKernel<TArith>({Parameters(backwardViews)})");
        w.Line("    " + Arith);
        w.Open();
        var inputViews = names.Concat(new[] { upstream }).ToArray();
        if (derived.Exact is { } exact)
        {
            // The same choice as the CPU kernels: a constant per instantiation, so the compiled kernel keeps one branch.
            var exactUsed = Enumerable.Range(0, names.Length).Where(i => exact.Gradients[i] >= 0).ToArray();
            w.Open("if (TArith.UsesExactBackward)");
            w.Line("// Exact derivative of the piecewise affine operations (NUMERICS.md §2), through the mode's derivative helpers.");
            var exactResults = WriteBody(w, exact.Graph, exactUsed.Select(i => exact.Gradients[i]).ToArray(), inputViews);
            for (int k = 0; k < exactUsed.Length; k++) w.Line($"{grads[exactUsed[k]]}[i] += {exactResults[k]};");
            w.Close();
            w.Open("else");
        }
        var gradientResults = WriteBody(w, derived.Graph, used.Select(i => derived.Gradients[i]).ToArray(), inputViews);
        for (int k = 0; k < used.Length; k++) w.Line($"{grads[used[k]]}[i] += {gradientResults[k]};");
        if (derived.Exact is not null) w.Close();
        w.Close();
        w.Line();

        WriteLauncher(w, gpu, "Forward", $"Launches {code} forward", forwardViews, output);
        WriteLauncher(w, gpu, "Backward", $"Launches the accumulating gradient of {code}", backwardViews, upstream);

        // The cache: one loaded kernel per (accelerator, TArith).
        string forwardDelegate = Delegate(forwardViews.Length), backwardDelegate = Delegate(backwardViews.Length);
        w.Line("// ILGPU compiles a kernel when it is loaded (costly); launches are cheap. One load per accelerator and mode.");
        w.Line("private static class Loaded<TArith>");
        w.Line("    " + Arith);
        w.Open();
        w.Line($"public static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, {forwardDelegate}> Forward = new();");
        w.Line($"public static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, {forwardDelegate}>.CreateValueCallback LoadForward =");
        w.Line($"    static accelerator => global::ILGPU.Runtime.KernelLoaders.LoadAutoGroupedStreamKernel<{Index}, {string.Join(", ", forwardViews.Select(_ => View))}>(accelerator, ForwardKernel<TArith>);");
        w.Line($"public static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, {backwardDelegate}> Backward = new();");
        w.Line($"public static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, {backwardDelegate}>.CreateValueCallback LoadBackward =");
        w.Line($"    static accelerator => global::ILGPU.Runtime.KernelLoaders.LoadAutoGroupedStreamKernel<{Index}, {string.Join(", ", backwardViews.Select(_ => View))}>(accelerator, BackwardKernel<TArith>);");
        w.Close();

        w.Close();
        FileScaffold.End(w, context);
        return new GeneratedFile($"{context.HintPrefix}.{kernel.Name}.Ilgpu.g.cs", w.ToString());
    }

    private static void WriteLauncher(SourceWriter w, string type, string pass, string summary, string[] views, string reference)
    {
        w.Line($"/// <summary>{summary} on <paramref name=\"accelerator\"/>'s default stream, one thread per element of <paramref name=\"{reference}\"/>; asynchronous: synchronize before reading results.</summary>");
        w.Line($"/// <remarks>The kernel is compiled on the first call per accelerator and <typeparamref name=\"TArith\"/>, then reused.</remarks>");
        w.Line($"public static void {pass}<TArith>(global::ILGPU.Runtime.Accelerator accelerator, {string.Join(", ", views.Select(v => View + " " + v))})");
        w.Line("    " + Arith);
        w.Open();
        w.Line("global::System.ArgumentNullException.ThrowIfNull(accelerator);");
        foreach (var v in views)
        {
            if (v == reference) continue;
            w.Line($"if ({v}.Length != {reference}.Length)");
            w.Line($"    throw new global::System.ArgumentException($\"{type}.{pass}: '{v}' has shape [{{{v}.Length}}] but '{reference}' has [{{{reference}.Length}}]; pass views of equal length.\", nameof({v}));");
        }
        w.Line($"var kernel = Loaded<TArith>.{pass}.GetValue(accelerator, Loaded<TArith>.Load{pass});");
        w.Line($"kernel({reference}.IntLength, {string.Join(", ", views)});");
        w.Close();
        w.Line();
    }

    private static string[] WriteBody(SourceWriter w, ScalarGraph graph, int[] roots, string[] views)
    {
        var usedParams = new HashSet<int>(ScalarCodeWriter.Reachable(graph, roots)
            .Where(id => graph.Nodes[id].Kind == NodeKind.Param).Select(id => graph.Nodes[id].Index));
        var bound = new string[views.Length];
        for (int p = 0; p < views.Length; p++)
        {
            bound[p] = "e" + p;
            if (usedParams.Contains(p)) w.Line($"float e{p} = {views[p]}[i];");
        }
        return ScalarCodeWriter.Write(w, graph, roots, bound, null);
    }

    private static string Parameters(IEnumerable<string> views) => $"{Index} i, " + string.Join(", ", views.Select(v => View + " " + v));

    private static string Delegate(int views)
        => $"global::System.Action<{Index}, {string.Join(", ", Enumerable.Repeat(View, views))}>";

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
