using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace PamGen.JitProbe;

/// <summary>
/// A small process run under <c>DOTNET_JitDisasm</c> (see <c>PamGen.Diagnostics.JitDisassembly</c>): it makes the
/// JIT compile every probed method, fully optimized, so that the listing shows what really executes.
/// Argument: <c>pam</c> (the <see cref="Pam"/> class, the PAM vector forms and the <c>PamArithmetic</c>
/// instantiations of the generic kernels) or <c>ieee</c> (the <see cref="IeeeArithmetic"/> instantiations,
/// which must contain float multiplies: the control). Prints the number of methods prepared.
/// </summary>
/// <remarks>To probe more code, add its types to <see cref="PamTypes"/> or its generic kernels to
/// <see cref="GenericKernels"/>, and its pattern to the test's <c>DOTNET_JitDisasm</c> filter.</remarks>
internal static class Program
{
    private static readonly Assembly Runtime = typeof(Pam).Assembly;

    /// <summary>Every method of these types is compiled in <c>pam</c> mode (generic methods for each PAM op struct).</summary>
    private static IEnumerable<Type> PamTypes() => new[]
    {
        typeof(Pam),
        RuntimeType("PamGen.PamVector256"),
        RuntimeType("PamGen.PamVector512"),
        typeof(PamArithmetic<PamDefaults>),
        typeof(PamArithmetic<PaperOffset>),
        typeof(PamArithmetic<ExactBackward>),
        typeof(PamArithmetic<PaperOffsetExactBackward>),
    };

    /// <summary>Generic kernels instantiated with each arithmetic mode.</summary>
    private static IEnumerable<MethodInfo> GenericKernels() => new[]
    {
        typeof(Gemm).GetMethods().Single(m => m.Name == nameof(Gemm.Compute) && m.GetGenericArguments().Length == 1),
        typeof(ProbeKernels).GetMethod(nameof(ProbeKernels.Elementwise))!,
        typeof(ProbeKernels).GetMethod(nameof(ProbeKernels.ElementwiseBackward))!,
    };

    private static int Main(string[] args)
    {
        string mode = args.Length == 1 ? args[0] : "";
        if (mode == "ops") return ProbeOps.Run() == 1 ? 0 : 1;
        Type[] modes = mode switch
        {
            "pam" => new[] { typeof(PamArithmetic<PamDefaults>), typeof(PamArithmetic<PaperOffsetExactBackward>) },
            "ieee" => new[] { typeof(IeeeArithmetic) },
            _ => Array.Empty<Type>(),
        };
        if (modes.Length == 0)
        {
            Console.Error.WriteLine("usage: PamGen.JitProbe pam|ieee|ops");
            return 2;
        }

        int prepared = 0;
        if (mode == "pam")
            foreach (Type type in PamTypes())
                foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                    prepared += PrepareAllInstantiations(method);

        foreach (MethodInfo kernel in GenericKernels())
            foreach (Type arithmetic in modes)
                prepared += Prepare(kernel.MakeGenericMethod(arithmetic));

        Exercise(modes[0]);
        Console.WriteLine($"{mode}: prepared {prepared} methods");
        return 0;
    }

    /// <summary>Compiles a method; a generic method once per PAM op struct that satisfies its constraints.</summary>
    private static int PrepareAllInstantiations(MethodInfo method)
    {
        if (method.IsAbstract) return 0;
        if (!method.IsGenericMethodDefinition) return Prepare(method);
        Type parameter = method.GetGenericArguments().Single();
        Type constraint = parameter.GetGenericParameterConstraints().Single(c => c.IsInterface);
        int count = 0;
        foreach (Type op in Runtime.GetTypes().Where(t => t.IsValueType && constraint.IsAssignableFrom(t)))
            count += Prepare(method.MakeGenericMethod(op));
        return count;
    }

    private static int Prepare(MethodInfo method)
    {
        Type[] typeArguments = (method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : Type.EmptyTypes)
            .Concat(method.IsGenericMethod ? method.GetGenericArguments() : Type.EmptyTypes).ToArray();
        RuntimeHelpers.PrepareMethod(method.MethodHandle, typeArguments.Select(t => t.TypeHandle).ToArray());
        return 1;
    }

    /// <summary>Also runs the kernels once, so that the probe fails loudly if they are broken.</summary>
    private static void Exercise(Type arithmetic)
    {
        var x = new float[37];
        var y = new float[37];
        for (int i = 0; i < x.Length; i++) { x[i] = 0.25f + i; y[i] = 1.5f + 0.5f * i; }
        var d = new float[37];
        var d2 = new float[37];
        object[] elementwise = { x, y, d };
        _ = elementwise;
        if (arithmetic == typeof(IeeeArithmetic))
        {
            ProbeKernels.Elementwise<IeeeArithmetic>(x, y, d);
            ProbeKernels.ElementwiseBackward<IeeeArithmetic>(x, x, y, d, d2);
            ExerciseGemm<IeeeArithmetic>();
        }
        else
        {
            ProbeKernels.Elementwise<PamArithmetic<PamDefaults>>(x, y, d);
            ProbeKernels.ElementwiseBackward<PamArithmetic<PamDefaults>>(x, x, y, d, d2);
            ExerciseGemm<PamArithmetic<PamDefaults>>();
            ExercisePamGemmKernels();
            Pam.Mul(x, y, d);
            Pam.Div(x, 3f, d);
            Pam.Exp(x, d);
            Pam.Sqrt(x, d);
        }
    }

    /// <summary>Runs GEMMs big enough to reach the packed micro-kernels, in every transpose case, with ReLU-like zeros.</summary>
    private static void ExerciseGemm<TArith>() where TArith : struct, IArithmetic
    {
        const int size = 96;
        var a = new float[size * size];
        var b = new float[size * size];
        var c = new float[size * size];
        for (int i = 0; i < a.Length; i++) { a[i] = i % 3 == 0 ? 0f : 0.5f + (i % 7); b[i] = 1.25f - (i % 5); }
        foreach (GemmOp opA in new[] { GemmOp.None, GemmOp.Transpose })
            foreach (GemmOp opB in new[] { GemmOp.None, GemmOp.Transpose })
                Gemm.Compute<TArith>(opA, opB, size, size, size, a, b, c);
    }

    /// <summary>
    /// Runs the PAM GEMM on data that selects each of its kernels: ReLU-like A (zero-skipping lists), B with zeros
    /// (masked), an infinity (exact general path), and a dense block, with an epilogue and a transposed B.
    /// </summary>
    private static void ExercisePamGemmKernels()
    {
        const int m = 13, n = 70, k = 40;
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = i % 2 == 0 ? 0f : 0.5f + (i % 7);
        for (int i = 0; i < b.Length; i++) b[i] = 1.25f - (i % 5);
        Gemm.Compute<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c);
        Gemm.Compute<PamArithmetic<PamDefaults>, BiasReluEpilogue>(GemmOp.None, GemmOp.Transpose, m, n, k, a, b, c, new BiasReluEpilogue(b));
        b[3] = 0f;
        Gemm.Compute<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c, accumulate: true);
        b[5] = float.PositiveInfinity;
        Gemm.Compute<PamArithmetic<PaperOffsetExactBackward>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c);
        for (int i = 0; i < a.Length; i++) a[i] = 0.5f + (i % 7);
        b[5] = 2f;
        Gemm.Compute<PamArithmetic<PamDefaults>>(GemmOp.None, GemmOp.None, m, n, k, a, b, c);
    }

    private static Type RuntimeType(string name) =>
        Runtime.GetType(name) ?? throw new InvalidOperationException($"{name} is not in {Runtime.GetName().Name}; update the probe's type list.");
}
