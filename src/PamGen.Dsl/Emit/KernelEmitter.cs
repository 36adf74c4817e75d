using System;
using System.Collections.Generic;
using System.Linq;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Emit;

/// <summary>
/// Emits fused elementwise span kernels: one pass over memory computing a whole expression forward, and one pass
/// computing every input's gradient backward (recomputing the forward values it needs instead of storing them).
/// Kernels are generic over <c>TArith : struct, IArithmetic</c>, so one body serves every mode, with a
/// Vector512 loop, a Vector256 loop and a scalar tail that give the same bits.
/// </summary>
public static class KernelEmitter
{
    /// <summary>Name of the forward kernel's output span and of the backward kernel's upstream gradient.</summary>
    public const string Output = "output", Upstream = "dOutput";

    private const string Arith = "where TArith : struct, global::PamGen.IArithmetic";

    /// <summary>The name of the gradient span of parameter <paramref name="name"/>.</summary>
    public static string GradientName(string name) => "d" + char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>The files for a <c>[PamKernel]</c>: <c>{Type}.{Kernel}Forward.Cpu.g.cs</c> and <c>{Type}.{Kernel}Backward.Cpu.g.cs</c>.</summary>
    public static GeneratedFile[] Emit(KernelDefinition kernel, TypeContext context)
    {
        var derived = Differentiator.Derive(kernel.Body, kernel.Parameters.Count);
        string[] names = kernel.Parameters.ToArray();
        string signature = $"{kernel.Name}({string.Join(", ", names)})";
        string shapes = string.Join(", ", names.Select(n => n + " [n]"));
        string gradients = Gradients(derived, names);

        var forward = new SourceWriter();
        FileScaffold.Begin(forward, context, new[]
        {
            ("model", context.TypeName),
            ("kernel", kernel.Name),
            ("pass", "Forward"),
            ("backend", Backend(derived.Graph, new[] { derived.Output })),
            ("shapes", $"{Output} [n] = {kernel.Name}({shapes})"),
            ("DSL", $"{signature} => {kernel.Source}"),
            ("inlined", ScalarPrinter.Print(derived.Graph, derived.Output, names)),
        });
        WriteForward(forward, kernel.Name + "Forward", names, derived, $"<c>{Escape(signature)}</c> elementwise");
        FileScaffold.End(forward, context);

        var backward = new SourceWriter();
        FileScaffold.Begin(backward, context, new[]
        {
            ("model", context.TypeName),
            ("kernel", kernel.Name),
            ("pass", "Backward (reverse mode, accumulating)"),
            ("backend", Backend(derived.Graph, derived.Gradients.Where(g => g >= 0))),
            ("shapes", $"{string.Join(", ", names.Select(n => GradientName(n) + " [n]"))} += ∂/∂({string.Join(", ", names)}) given {Upstream} [n]"),
            ("DSL", $"{signature} => {kernel.Source}"),
            ("gradient", gradients),
        }.Concat(derived.Exact is { } exact ? new[] { ("exact", Gradients(exact, names) + "\n(taken when TArith.UsesExactBackward)") } : Array.Empty<(string, string)>()));
        WriteBackward(backward, kernel.Name + "Backward", names, derived, $"the gradient of <c>{Escape(signature)}</c>");
        FileScaffold.End(backward, context);

        string prefix = context.HintPrefix;
        return new[]
        {
            new GeneratedFile($"{prefix}.{kernel.Name}Forward.Cpu.g.cs", forward.ToString()),
            new GeneratedFile($"{prefix}.{kernel.Name}Backward.Cpu.g.cs", backward.ToString()),
        };
    }

    /// <summary>Every input's derived gradient as DSL text, one per line.</summary>
    public static string Gradients(DerivedKernel derived, string[] names)
    {
        var all = names.Concat(new[] { Upstream }).ToArray();
        return string.Join("\n", names.Select((n, i) => derived.Gradients[i] < 0
            ? $"{GradientName(n)} += 0"
            : $"{GradientName(n)} += {ScalarPrinter.Print(derived.Graph, derived.Gradients[i], all)}"));
    }

    /// <summary>Writes <c>static void {method}&lt;TArith&gt;(Span&lt;float&gt; output, ReadOnlySpan&lt;float&gt; inputs...)</c>.</summary>
    public static void WriteForward(SourceWriter w, string method, string[] names, DerivedKernel derived, string summary, string accessibility = "public")
    {
        w.Line($"/// <summary>Computes {summary}: <c>output[i] = f(inputs[i])</c>, one pass, in the arithmetic <typeparamref name=\"TArith\"/>.</summary>");
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"PamGen.Generators\", \"{DslVersion.Current}\")]");
        // Hot loops: compiled optimised at once (tier-0 code would run the work and cost several times; PERFORMANCE.md).
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        w.Line($"{accessibility} static void {method}<TArith>(global::System.Span<float> {Output}, {string.Join(", ", names.Select(n => "global::System.ReadOnlySpan<float> " + n))})");
        w.Line("    " + Arith);
        w.Open();
        foreach (var n in names) RequireLength(w, method, n, Output);
        WriteLoops(w, Output, derived.Graph, new[] { derived.Output }, names.Length, names,
            (vector, results) => w.Line(vector is null ? $"{Output}[i] = {results[0]};" : $"global::System.Runtime.Intrinsics.{vector}.CopyTo({results[0]}, {Output}.Slice(i));"));
        w.Close();
    }

    /// <summary>Writes <c>static void {method}&lt;TArith&gt;(Span&lt;float&gt; dInputs..., ReadOnlySpan&lt;float&gt; dOutput, ReadOnlySpan&lt;float&gt; inputs...)</c>, accumulating.</summary>
    public static void WriteBackward(SourceWriter w, string method, string[] names, DerivedKernel derived, string summary, string accessibility = "public")
    {
        var grads = names.Select(GradientName).ToArray();
        var used = Enumerable.Range(0, names.Length).Where(i => derived.Gradients[i] >= 0).ToArray();
        w.Line($"/// <summary>Accumulates {summary} into the gradient spans, one pass (forward values are recomputed, not stored).</summary>");
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"PamGen.Generators\", \"{DslVersion.Current}\")]");
        // Hot loops: compiled optimised at once (tier-0 code would run the work and cost several times; PERFORMANCE.md).
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        w.Line($"{accessibility} static void {method}<TArith>({string.Join(", ", grads.Select(g => "global::System.Span<float> " + g))}, global::System.ReadOnlySpan<float> {Upstream}, {string.Join(", ", names.Select(n => "global::System.ReadOnlySpan<float> " + n))})");
        w.Line("    " + Arith);
        w.Open();
        foreach (var g in grads) RequireLength(w, method, g, Upstream);
        foreach (var n in names) RequireLength(w, method, n, Upstream);
        var parameterSpans = names.Concat(new[] { Upstream }).ToArray();
        WriteLoops(w, Upstream, derived.Graph, used.Select(i => derived.Gradients[i]).ToArray(), names.Length + 1, parameterSpans,
            (vector, results) =>
            {
                for (int k = 0; k < used.Length; k++)
                {
                    string g = grads[used[k]];
                    w.Line(vector is null
                        ? $"{g}[i] += {results[k]};"
                        : $"global::System.Runtime.Intrinsics.{vector}.CopyTo(global::System.Runtime.Intrinsics.{vector}.Create({g}.Slice(i)) + {results[k]}, {g}.Slice(i));");
                }
            },
            derived.Exact is { } exact ? () => WriteExactLoop(w, exact, names, grads, parameterSpans) : null);
        w.Close();
    }

    /// <summary>
    /// The exact backward (<c>IPamOptions.ExactBackward</c>): a scalar loop through the mode's derivative helpers,
    /// taken when <c>TArith.UsesExactBackward</c> (a constant per instantiation, so the JIT drops the other path).
    /// </summary>
    private static void WriteExactLoop(SourceWriter w, DerivedKernel exact, string[] names, string[] grads, string[] spans)
    {
        var used = Enumerable.Range(0, names.Length).Where(i => exact.Gradients[i] >= 0).ToArray();
        var roots = used.Select(i => exact.Gradients[i]).ToArray();
        var usedParams = new HashSet<int>(ScalarCodeWriter.Reachable(exact.Graph, roots)
            .Where(id => exact.Graph.Nodes[id].Kind == NodeKind.Param).Select(id => exact.Graph.Nodes[id].Index));
        w.Open("if (TArith.UsesExactBackward)");
        w.Line("// Exact derivative of the piecewise affine operations (NUMERICS.md §2): the helpers have no vector form.");
        w.Open($"for (; i < {Upstream}.Length; i++)");
        var bound = new string[spans.Length];
        for (int p = 0; p < spans.Length; p++)
        {
            bound[p] = "e" + p;
            if (usedParams.Contains(p)) w.Line($"float e{p} = {spans[p]}[i];");
        }
        var results = ScalarCodeWriter.Write(w, exact.Graph, roots, bound, null);
        for (int k = 0; k < used.Length; k++) w.Line($"{grads[used[k]]}[i] += {results[k]};");
        w.Close();
        w.Line("return;");
        w.Close();
    }

    private static void WriteLoops(SourceWriter w, string lengthSpan, ScalarGraph graph, int[] roots, int parameterCount, string[] spans,
        Action<string?, string[]> store, Action? alternative = null)
    {
        var usedParams = new HashSet<int>(ScalarCodeWriter.Reachable(graph, roots)
            .Where(id => graph.Nodes[id].Kind == NodeKind.Param).Select(id => graph.Nodes[id].Index));
        w.Line("int i = 0;");
        alternative?.Invoke();
        if (ScalarCodeWriter.CanVectorize(graph, roots))
        {
            foreach (var vector in new[] { "Vector512", "Vector256" })
            {
                string ns = "global::System.Runtime.Intrinsics." + vector;
                w.Open($"if ({ns}.IsHardwareAccelerated)");
                w.Open($"for (; i <= {lengthSpan}.Length - {ns}<float>.Count; i += {ns}<float>.Count)");
                var bound = new string[parameterCount];
                for (int p = 0; p < parameterCount; p++)
                {
                    bound[p] = "e" + p;
                    if (usedParams.Contains(p)) w.Line($"var e{p} = {ns}.Create({spans[p]}.Slice(i));");
                }
                store(vector, ScalarCodeWriter.Write(w, graph, roots, bound, vector));
                w.Close();
                w.Close();
            }
        }
        else
        {
            w.Line("// Pow has no vector form in IArithmetic: this kernel runs the scalar loop only.");
        }
        w.Open($"for (; i < {lengthSpan}.Length; i++)");
        var scalarBound = new string[parameterCount];
        for (int p = 0; p < parameterCount; p++)
        {
            scalarBound[p] = "e" + p;
            if (usedParams.Contains(p)) w.Line($"float e{p} = {spans[p]}[i];");
        }
        store(null, ScalarCodeWriter.Write(w, graph, roots, scalarBound, null));
        w.Close();
    }

    private static void RequireLength(SourceWriter w, string method, string span, string reference)
    {
        if (span == reference) return;
        w.Line($"if ({span}.Length != {reference}.Length)");
        w.Line($"    throw new global::System.ArgumentException($\"{method}: '{span}' has shape [{{{span}.Length}}] but '{reference}' has [{{{reference}.Length}}]; pass spans of equal length.\", nameof({span}));");
    }

    private static string Backend(ScalarGraph graph, IEnumerable<int> roots)
        => ScalarCodeWriter.CanVectorize(graph, roots)
            ? "CPU: Vector512 loop, Vector256 loop, scalar tail; generic over TArith : IArithmetic (Ieee, PamMatmul, Pam)"
            : "CPU: scalar loop (Pow has no vector form); generic over TArith : IArithmetic (Ieee, PamMatmul, Pam)";

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
