using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PamGen.JitProbe;

/// <summary>
/// Small generic kernels written the way generated code will be: one body, instantiated per arithmetic mode.
/// Their <c>PamArithmetic</c> instantiations must contain no float multiply; their <c>IeeeArithmetic</c> ones must.
/// </summary>
internal static class ProbeKernels
{
    /// <summary>A forward elementwise kernel using every forward operation of the mode, vector body and scalar tail.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Elementwise<TArith>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TArith : struct, IArithmetic
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)Math.Min(x.Length, Math.Min(y.Length, destination.Length)), i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector512<float> a = Vector512.LoadUnsafe(ref xs, i), b = Vector512.LoadUnsafe(ref ys, i);
            Vector512<float> r = TArith.Mul(a, b) + TArith.Div(a, b) + TArith.Sqrt(a) + TArith.Exp2(TArith.Log2(b));
            r += TArith.Exp(a) + TArith.Log(b);
            r.StoreUnsafe(ref ds, i);
        }
        for (; i + 8 <= n; i += 8)
        {
            Vector256<float> a = Vector256.LoadUnsafe(ref xs, i), b = Vector256.LoadUnsafe(ref ys, i);
            Vector256<float> r = TArith.Mul(a, b) + TArith.Div(a, b) + TArith.Sqrt(a) + TArith.Exp2(TArith.Log2(b));
            r += TArith.Exp(a) + TArith.Log(b);
            r.StoreUnsafe(ref ds, i);
        }
        for (; i < n; i++)
        {
            float a = Unsafe.Add(ref xs, i), b = Unsafe.Add(ref ys, i);
            Unsafe.Add(ref ds, i) = TArith.Mul(a, b) + TArith.Div(a, b) + TArith.Sqrt(a) + TArith.Pow(a, b)
                + TArith.Exp(a) + TArith.Log(b) + TArith.Exp2(TArith.Log2(b));
        }
    }

    /// <summary>A backward elementwise kernel using every gradient helper of the mode.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ElementwiseBackward<TArith>(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dx, Span<float> dy)
        where TArith : struct, IArithmetic
    {
        int n = Math.Min(Math.Min(g.Length, x.Length), Math.Min(y.Length, Math.Min(dx.Length, dy.Length)));
        for (int i = 0; i < n; i++)
        {
            dx[i] = TArith.MulGradA(g[i], x[i], y[i]) + TArith.DivGradA(g[i], x[i], y[i]) + TArith.Exp2Grad(g[i], x[i]);
            dy[i] = TArith.MulGradA(g[i], y[i], x[i]) + TArith.DivGradB(g[i], x[i], y[i]) + TArith.Log2Grad(g[i], y[i]);
        }
    }
}
