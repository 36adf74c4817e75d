using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PamGen;

// Span kernels in System.Numerics.Tensors.TensorPrimitives style: destination[i] = op(x[i], y[i]).
// Vector512 when accelerated, else Vector256, else scalar; every path gives the scalar oracle's bits.
// destination may be the same span as an input (in place), but must not overlap it at an offset.
public static partial class Pam
{
    /// <summary>Computes <c>destination[i] = Mul(x[i], y[i])</c>.</summary>
    /// <exception cref="ArgumentException">The lengths of <paramref name="x"/> and <paramref name="y"/> differ,
    /// <paramref name="destination"/> is shorter, or it overlaps an input at an offset.</exception>
    public static void Mul(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        Binary<MulOp>(x, y, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Mul(x[i], y[i], offset)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Mul(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Mul(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, PamOffset offset) =>
        Binary<MulOp>(x, y, destination, offset.Bits, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Mul(x[i], y)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/> or overlaps it at an offset.</exception>
    public static void Mul(ReadOnlySpan<float> x, float y, Span<float> destination) =>
        BinaryScalar<MulOp>(x, y, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Mul(x[i], y, offset)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Mul(ReadOnlySpan{float}, float, Span{float})"/>.</exception>
    public static void Mul(ReadOnlySpan<float> x, float y, Span<float> destination, PamOffset offset) =>
        BinaryScalar<MulOp>(x, y, destination, offset.Bits, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Div(x[i], y[i])</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Mul(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Div(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        Binary<DivOp>(x, y, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Div(x[i], y[i], offset)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Mul(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Div(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, PamOffset offset) =>
        Binary<DivOp>(x, y, destination, offset.Bits, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Div(x[i], y)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Mul(ReadOnlySpan{float}, float, Span{float})"/>.</exception>
    public static void Div(ReadOnlySpan<float> x, float y, Span<float> destination) =>
        BinaryScalar<DivOp>(x, y, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Div(x[i], y, offset)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Mul(ReadOnlySpan{float}, float, Span{float})"/>.</exception>
    public static void Div(ReadOnlySpan<float> x, float y, Span<float> destination, PamOffset offset) =>
        BinaryScalar<DivOp>(x, y, destination, offset.Bits, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Exp2(x[i])</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/> or overlaps it at an offset.</exception>
    public static void Exp2(ReadOnlySpan<float> x, Span<float> destination) => Unary<Exp2Op>(x, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Log2(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Exp2(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Log2(ReadOnlySpan<float> x, Span<float> destination) => Unary<Log2Op>(x, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Exp(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Exp2(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => Unary<ExpOp>(x, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Exp(x[i], offset)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Exp2(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination, PamOffset offset) => Unary<ExpOp>(x, destination, offset.Bits, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Log(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Exp2(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => Unary<LogOp>(x, destination, 0, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Log(x[i], offset)</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Exp2(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination, PamOffset offset) => Unary<LogOp>(x, destination, offset.Bits, SimdPath.Best);

    /// <summary>Computes <c>destination[i] = Sqrt(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Exp2(ReadOnlySpan{float}, Span{float})"/>.</exception>
    public static void Sqrt(ReadOnlySpan<float> x, Span<float> destination) => Unary<SqrtOp>(x, destination, 0, SimdPath.Best);

    // ---------------------------------------------------------------- generic loops (internal: tests force a path)

    /// <summary>destination[i] = TOp(x[i], y[i]) on the chosen <paramref name="path"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Binary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, int k, SimdPath path)
        where TOp : struct, IPamBinaryOp
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"x has {x.Length} elements but y has {y.Length}; elementwise operands must have the same length.", nameof(y));
        ValidateDestination(x, destination, nameof(x));
        ValidateDestination(y, destination, nameof(y));

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, i = 0;
        path = Resolve(path);
        // In the common case (every group in window, a cache-sized span) one call does all the vector work.
        if (path == SimdPath.Vector512)
        {
            i = n * sizeof(float) > NonTemporalThresholdBytes ? Large512<TOp>(ref xs, ref ys, ref ds, n, k) : Fast512<TOp>(ref xs, ref ys, ref ds, 0, n, k, false);
            if (i + (nuint)Vector512<float>.Count <= n)
                i = Rest512<TOp>(ref xs, ref ys, ref ds, i, n, k, false);
        }
        if (path >= SimdPath.Vector256 && i + (nuint)Vector256<float>.Count <= n)
        {
            i = Fast256<TOp>(ref xs, ref ys, ref ds, i, n, k);
            if (i + (nuint)Vector256<float>.Count <= n)
                i = Rest256<TOp>(ref xs, ref ys, ref ds, i, n, k);
        }
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = TOp.Scalar(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), k);
    }

    /// <summary>Above this many destination bytes the Vector512 loops store non-temporally (as TensorPrimitives does).</summary>
    private const int NonTemporalThresholdBytes = 256 * 1024;

    // The binary loops. The fast form is the split form of PamWindow: per vector two adds with the loads folded
    // in and one add for the result, one window test per group of vectors (eight Vector512, four Vector256: the
    // three-input logic ops that combine the tests then cost 11/8 resp. 6/4 per vector). The fast loops (Fast512, Fast256,
    // FastScalar512, FastScalar256) contain no call and return at the first group (or vector) out of window; their
    // callers (Rest…) send that group to the exact vector form and resume. The split matters: a call inside a loop
    // clobbers every vector register, and the JIT then reloads the loop's constants from the stack on every
    // iteration of the fast path. Every loop is AggressiveOptimization: tier-0 vector code is many times slower.

    /// <summary>
    /// The Vector512 part of <see cref="Binary{TOp}"/> for outputs above <see cref="NonTemporalThresholdBytes"/>:
    /// aligned non-temporal stores after a scalar head that aligns the destination. Returns where the narrower
    /// tail starts.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe nuint Large512<TOp>(ref float xs, ref float ys, ref float ds, nuint n, int k)
        where TOp : struct, IPamBinaryOp
    {
        nuint i = 0;
        if (Sse.IsSupported)
        {
            fixed (float* pd = &ds)
            {
                if (((nuint)pd & (sizeof(float) - 1)) == 0)
                {
                    for (; ((nuint)(pd + i) & 63) != 0; i++) pd[i] = TOp.Scalar(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), k);
                    i = Run512<TOp>(ref xs, ref ys, ref ds, i, n, k, nonTemporal: true);
                    Sse.StoreFence();   // non-temporal stores are weakly ordered
                    return i;
                }
            }
        }
        return Run512<TOp>(ref xs, ref ys, ref ds, i, n, k, nonTemporal: false);
    }

    // Below the non-temporal threshold the Vector512 loop does not align anything: deferring an unaligned first
    // vector so that the destination is aligned (as TensorPrimitives does) made it up to 1.5x slower on Zen 4 when
    // x and y were misaligned, and was at best even with plain unaligned accesses.

    /// <summary>Resumes the Vector512 loop at the group (or vector) out of window where <see cref="Fast512{TOp}"/> stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Rest512<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k, bool nonTemporal)
        where TOp : struct, IPamBinaryOp
    {
        i = Exact512<TOp>(ref xs, ref ys, ref ds, i, n, k);
        return Run512<TOp>(ref xs, ref ys, ref ds, i, n, k, nonTemporal);
    }

    /// <summary>Vector512 elementwise TOp from element <paramref name="i"/>; returns where the narrower tail starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Run512<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k, bool nonTemporal)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 16;
        while (i + width <= n)
        {
            i = Fast512<TOp>(ref xs, ref ys, ref ds, i, n, k, nonTemporal);
            if (i + width > n) break;
            i = Exact512<TOp>(ref xs, ref ys, ref ds, i, n, k);
        }
        return i;
    }

    /// <summary>
    /// The exact vector form for the group of eight vectors (or, once fewer than eight remain, the single vector) at
    /// element <paramref name="i"/>, where a fast loop stopped; returns the element after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Exact512<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 16;
        for (nuint end = i + (i + 8 * width <= n ? 8 * width : width); i < end; i += width)
        {
            Vector512<float> x = Vector512.LoadUnsafe(ref xs, i), y = Vector512.LoadUnsafe(ref ys, i);
            TOp.GeneralInlined(x, y, k).StoreUnsafe(ref ds, i);
        }
        return i;
    }

    /// <summary>The fast Vector512 loop: returns at the end (fewer than 16 elements left) or at the first group out of window.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Fast512<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k, bool nonTemporal)
        where TOp : struct, IPamBinaryOp =>
        nonTemporal ? Fast512Loop<TOp>(ref xs, ref ys, ref ds, i, n, k, true) : Fast512Loop<TOp>(ref xs, ref ys, ref ds, i, n, k, false);

    /// <summary>The body of <see cref="Fast512{TOp}"/>, inlined once per store kind (a constant <paramref name="nonTemporal"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Fast512Loop<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k, bool nonTemporal)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 16, group = 8 * width;
        Vector512<uint> minusLowX = Vector512.Create(0u - TOp.LowX), minusLowY = Vector512.Create(0u - TOp.LowY(k));
        Vector512<uint> patternX = Vector512.Create(TOp.PatternX);
        for (; i + group <= n; i += group)
        {
            // Every load happens before any store: in-place use stays correct.
            Vector512<uint> dx0 = minusLowX + Vector512.LoadUnsafe(ref xs, i).AsUInt32();
            Vector512<uint> dy0 = minusLowY + Vector512.LoadUnsafe(ref ys, i).AsUInt32();
            Vector512<uint> dx1 = minusLowX + Vector512.LoadUnsafe(ref xs, i + width).AsUInt32();
            Vector512<uint> dy1 = minusLowY + Vector512.LoadUnsafe(ref ys, i + width).AsUInt32();
            Vector512<uint> dx2 = minusLowX + Vector512.LoadUnsafe(ref xs, i + 2 * width).AsUInt32();
            Vector512<uint> dy2 = minusLowY + Vector512.LoadUnsafe(ref ys, i + 2 * width).AsUInt32();
            Vector512<uint> dx3 = minusLowX + Vector512.LoadUnsafe(ref xs, i + 3 * width).AsUInt32();
            Vector512<uint> dy3 = minusLowY + Vector512.LoadUnsafe(ref ys, i + 3 * width).AsUInt32();
            Vector512<uint> dx4 = minusLowX + Vector512.LoadUnsafe(ref xs, i + 4 * width).AsUInt32();
            Vector512<uint> dy4 = minusLowY + Vector512.LoadUnsafe(ref ys, i + 4 * width).AsUInt32();
            Vector512<uint> dx5 = minusLowX + Vector512.LoadUnsafe(ref xs, i + 5 * width).AsUInt32();
            Vector512<uint> dy5 = minusLowY + Vector512.LoadUnsafe(ref ys, i + 5 * width).AsUInt32();
            Vector512<uint> dx6 = minusLowX + Vector512.LoadUnsafe(ref xs, i + 6 * width).AsUInt32();
            Vector512<uint> dy6 = minusLowY + Vector512.LoadUnsafe(ref ys, i + 6 * width).AsUInt32();
            Vector512<uint> dx7 = minusLowX + Vector512.LoadUnsafe(ref xs, i + 7 * width).AsUInt32();
            Vector512<uint> dy7 = minusLowY + Vector512.LoadUnsafe(ref ys, i + 7 * width).AsUInt32();
            // The results first: then the test's three-input logic may overwrite the differences (no register copies).
            Vector512<uint> r0 = TOp.Join(dx0, dy0), r1 = TOp.Join(dx1, dy1), r2 = TOp.Join(dx2, dy2), r3 = TOp.Join(dx3, dy3);
            Vector512<uint> r4 = TOp.Join(dx4, dy4), r5 = TOp.Join(dx5, dy5), r6 = TOp.Join(dx6, dy6), r7 = TOp.Join(dx7, dy7);
            if (!PamVector512.InWindows(dx0, dx1, dx2, dx3, dx4, dx5, dx6, dx7, dy0, dy1, dy2, dy3, dy4, dy5, dy6, dy7, patternX)) return i;
            Store(r0, ref ds, i, nonTemporal);
            Store(r1, ref ds, i + width, nonTemporal);
            Store(r2, ref ds, i + 2 * width, nonTemporal);
            Store(r3, ref ds, i + 3 * width, nonTemporal);
            Store(r4, ref ds, i + 4 * width, nonTemporal);
            Store(r5, ref ds, i + 5 * width, nonTemporal);
            Store(r6, ref ds, i + 6 * width, nonTemporal);
            Store(r7, ref ds, i + 7 * width, nonTemporal);
        }
        for (; i + width <= n; i += width)
        {
            Vector512<uint> dx = minusLowX + Vector512.LoadUnsafe(ref xs, i).AsUInt32();
            Vector512<uint> dy = minusLowY + Vector512.LoadUnsafe(ref ys, i).AsUInt32();
            if (!PamVector512.InWindow(dx, dy, patternX)) return i;
            Store(TOp.Join(dx, dy), ref ds, i, nonTemporal);
        }
        return i;
    }

    /// <summary>Resumes the Vector256 loop at the group (or vector) out of window where <see cref="Fast256{TOp}"/> stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Rest256<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 8;
        while (i + width <= n)
        {
            for (nuint end = i + (i + 4 * width <= n ? 4 * width : width); i < end; i += width)
            {
                Vector256<float> x = Vector256.LoadUnsafe(ref xs, i), y = Vector256.LoadUnsafe(ref ys, i);
                TOp.GeneralInlined(x, y, k).StoreUnsafe(ref ds, i);
            }
            i = Fast256<TOp>(ref xs, ref ys, ref ds, i, n, k);
        }
        return i;
    }

    /// <summary>The fast Vector256 loop: returns at the end (fewer than 8 elements left) or at the first group out of window.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Fast256<TOp>(ref float xs, ref float ys, ref float ds, nuint i, nuint n, int k)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 8, group = 4 * width;
        Vector256<uint> minusLowX = Vector256.Create(0u - TOp.LowX), minusLowY = Vector256.Create(0u - TOp.LowY(k));
        Vector256<uint> patternX = Vector256.Create(TOp.PatternX);
        for (; i + group <= n; i += group)
        {
            Vector256<uint> dx0 = minusLowX + Vector256.LoadUnsafe(ref xs, i).AsUInt32();
            Vector256<uint> dy0 = minusLowY + Vector256.LoadUnsafe(ref ys, i).AsUInt32();
            Vector256<uint> dx1 = minusLowX + Vector256.LoadUnsafe(ref xs, i + width).AsUInt32();
            Vector256<uint> dy1 = minusLowY + Vector256.LoadUnsafe(ref ys, i + width).AsUInt32();
            Vector256<uint> dx2 = minusLowX + Vector256.LoadUnsafe(ref xs, i + 2 * width).AsUInt32();
            Vector256<uint> dy2 = minusLowY + Vector256.LoadUnsafe(ref ys, i + 2 * width).AsUInt32();
            Vector256<uint> dx3 = minusLowX + Vector256.LoadUnsafe(ref xs, i + 3 * width).AsUInt32();
            Vector256<uint> dy3 = minusLowY + Vector256.LoadUnsafe(ref ys, i + 3 * width).AsUInt32();
            Vector256<uint> r0 = TOp.Join(dx0, dy0), r1 = TOp.Join(dx1, dy1), r2 = TOp.Join(dx2, dy2), r3 = TOp.Join(dx3, dy3);
            if (!PamVector256.InWindows(dx0, dx1, dx2, dx3, dy0, dy1, dy2, dy3, patternX)) return i;
            r0.AsSingle().StoreUnsafe(ref ds, i);
            r1.AsSingle().StoreUnsafe(ref ds, i + width);
            r2.AsSingle().StoreUnsafe(ref ds, i + 2 * width);
            r3.AsSingle().StoreUnsafe(ref ds, i + 3 * width);
        }
        for (; i + width <= n; i += width)
        {
            Vector256<uint> dx = minusLowX + Vector256.LoadUnsafe(ref xs, i).AsUInt32();
            Vector256<uint> dy = minusLowY + Vector256.LoadUnsafe(ref ys, i).AsUInt32();
            if (!PamVector256.InWindow(dx, dy, patternX)) return i;
            TOp.Join(dx, dy).AsSingle().StoreUnsafe(ref ds, i);
        }
        return i;
    }

    /// <summary>destination[i] = TOp(x[i], y) on the chosen <paramref name="path"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BinaryScalar<TOp>(ReadOnlySpan<float> x, float y, Span<float> destination, int k, SimdPath path)
        where TOp : struct, IPamBinaryOp
    {
        ValidateDestination(x, destination, nameof(x));

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, i = 0;
        path = Resolve(path);
        if (path >= SimdPath.Vector256 && TOp.TryScalarOperand(y, k, out uint low, out uint addend))
        {
            // A normal y: destination = X + addend for every x in the window that y leaves (PamWindow).
            if (path == SimdPath.Vector512)
            {
                if (n * sizeof(float) > NonTemporalThresholdBytes)
                    i = LargeScalar512<TOp>(ref xs, ref ds, n, y, k, low, addend);
                else
                {
                    i = FastScalar512(ref xs, ref ds, i, n, low, addend, false);
                    if (i + (nuint)Vector512<float>.Count <= n)
                        i = RestScalar512<TOp>(ref xs, ref ds, i, n, y, k, low, addend, false);
                }
            }
            if (i + (nuint)Vector256<float>.Count <= n)
            {
                i = FastScalar256(ref xs, ref ds, i, n, low, addend);
                if (i + (nuint)Vector256<float>.Count <= n)
                    i = RestScalar256<TOp>(ref xs, ref ds, i, n, y, k, low, addend);
            }
        }
        else if (path >= SimdPath.Vector256)
        {
            // y is zero, subnormal, infinite or NaN: every lane takes the general form.
            if (path == SimdPath.Vector512)
                for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
                    TOp.GeneralInlined(Vector512.LoadUnsafe(ref xs, i), Vector512.Create(y), k).StoreUnsafe(ref ds, i);
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
                TOp.GeneralInlined(Vector256.LoadUnsafe(ref xs, i), Vector256.Create(y), k).StoreUnsafe(ref ds, i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = TOp.Scalar(Unsafe.Add(ref xs, i), y, k);
    }

    /// <summary>
    /// The Vector512 part of <see cref="BinaryScalar{TOp}"/> for outputs above <see cref="NonTemporalThresholdBytes"/>:
    /// aligned non-temporal stores after a scalar head that aligns the destination (as <see cref="Large512{TOp}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe nuint LargeScalar512<TOp>(ref float xs, ref float ds, nuint n, float y, int k, uint low, uint addend)
        where TOp : struct, IPamBinaryOp
    {
        nuint i = 0;
        bool nonTemporal = false;
        fixed (float* pd = &ds)
        {
            if (Sse.IsSupported && ((nuint)pd & (sizeof(float) - 1)) == 0)
            {
                for (; ((nuint)(pd + i) & 63) != 0; i++) pd[i] = TOp.Scalar(Unsafe.Add(ref xs, i), y, k);
                nonTemporal = true;
            }
            i = FastScalar512(ref xs, ref ds, i, n, low, addend, nonTemporal);
            if (i + (nuint)Vector512<float>.Count <= n)
                i = RestScalar512<TOp>(ref xs, ref ds, i, n, y, k, low, addend, nonTemporal);
            if (nonTemporal) Sse.StoreFence();   // non-temporal stores are weakly ordered
        }
        return i;
    }

    /// <summary>Resumes the Vector512 loop of <see cref="BinaryScalar{TOp}"/> at the group (or vector) out of window where <see cref="FastScalar512"/> stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint RestScalar512<TOp>(ref float xs, ref float ds, nuint i, nuint n, float y, int k, uint low, uint addend, bool nonTemporal)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 16;
        Vector512<float> yv = Vector512.Create(y);
        while (i + width <= n)
        {
            for (nuint end = i + (i + 4 * width <= n ? 4 * width : width); i < end; i += width)
            {
                Vector512<float> x = Vector512.LoadUnsafe(ref xs, i);
                TOp.GeneralInlined(x, yv, k).StoreUnsafe(ref ds, i);
            }
            i = FastScalar512(ref xs, ref ds, i, n, low, addend, nonTemporal);
        }
        return i;
    }

    /// <summary>The fast Vector512 loop of <see cref="BinaryScalar{TOp}"/>: X + addend while (X − low) is in window.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint FastScalar512(ref float xs, ref float ds, nuint i, nuint n, uint low, uint addend, bool nonTemporal) =>
        nonTemporal ? FastScalar512Loop(ref xs, ref ds, i, n, low, addend, true) : FastScalar512Loop(ref xs, ref ds, i, n, low, addend, false);

    /// <summary>The body of <see cref="FastScalar512"/>, inlined once per store kind (a constant <paramref name="nonTemporal"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint FastScalar512Loop(ref float xs, ref float ds, nuint i, nuint n, uint low, uint addend, bool nonTemporal)
    {
        const nuint width = 16, group = 4 * width;
        Vector512<uint> minusLow = Vector512.Create(0u - low), add = Vector512.Create(addend);
        for (; i + group <= n; i += group)
        {
            Vector512<uint> x0 = Vector512.LoadUnsafe(ref xs, i).AsUInt32();
            Vector512<uint> x1 = Vector512.LoadUnsafe(ref xs, i + width).AsUInt32();
            Vector512<uint> x2 = Vector512.LoadUnsafe(ref xs, i + 2 * width).AsUInt32();
            Vector512<uint> x3 = Vector512.LoadUnsafe(ref xs, i + 3 * width).AsUInt32();
            if (!PamVector512.InWindows(x0 + minusLow, x1 + minusLow, x2 + minusLow, x3 + minusLow)) return i;
            Store(x0 + add, ref ds, i, nonTemporal);
            Store(x1 + add, ref ds, i + width, nonTemporal);
            Store(x2 + add, ref ds, i + 2 * width, nonTemporal);
            Store(x3 + add, ref ds, i + 3 * width, nonTemporal);
        }
        for (; i + width <= n; i += width)
        {
            Vector512<uint> x = Vector512.LoadUnsafe(ref xs, i).AsUInt32();
            if (!Vector512.EqualsAll((x + minusLow) & Vector512.Create(PamWindow.Mask), Vector512<uint>.Zero)) return i;
            Store(x + add, ref ds, i, nonTemporal);
        }
        return i;
    }

    /// <summary>Resumes the Vector256 loop of <see cref="BinaryScalar{TOp}"/> at the group (or vector) out of window where <see cref="FastScalar256"/> stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint RestScalar256<TOp>(ref float xs, ref float ds, nuint i, nuint n, float y, int k, uint low, uint addend)
        where TOp : struct, IPamBinaryOp
    {
        const nuint width = 8;
        Vector256<float> yv = Vector256.Create(y);
        while (i + width <= n)
        {
            for (nuint end = i + (i + 4 * width <= n ? 4 * width : width); i < end; i += width)
            {
                Vector256<float> x = Vector256.LoadUnsafe(ref xs, i);
                TOp.GeneralInlined(x, yv, k).StoreUnsafe(ref ds, i);
            }
            i = FastScalar256(ref xs, ref ds, i, n, low, addend);
        }
        return i;
    }

    /// <summary>The fast Vector256 loop of <see cref="BinaryScalar{TOp}"/>: X + addend while (X − low) is in window.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint FastScalar256(ref float xs, ref float ds, nuint i, nuint n, uint low, uint addend)
    {
        const nuint width = 8, group = 4 * width;
        Vector256<uint> minusLow = Vector256.Create(0u - low), add = Vector256.Create(addend);
        for (; i + group <= n; i += group)
        {
            Vector256<uint> x0 = Vector256.LoadUnsafe(ref xs, i).AsUInt32();
            Vector256<uint> x1 = Vector256.LoadUnsafe(ref xs, i + width).AsUInt32();
            Vector256<uint> x2 = Vector256.LoadUnsafe(ref xs, i + 2 * width).AsUInt32();
            Vector256<uint> x3 = Vector256.LoadUnsafe(ref xs, i + 3 * width).AsUInt32();
            if (!PamVector256.InWindows(x0 + minusLow, x1 + minusLow, x2 + minusLow, x3 + minusLow)) return i;
            (x0 + add).AsSingle().StoreUnsafe(ref ds, i);
            (x1 + add).AsSingle().StoreUnsafe(ref ds, i + width);
            (x2 + add).AsSingle().StoreUnsafe(ref ds, i + 2 * width);
            (x3 + add).AsSingle().StoreUnsafe(ref ds, i + 3 * width);
        }
        for (; i + width <= n; i += width)
        {
            Vector256<uint> x = Vector256.LoadUnsafe(ref xs, i).AsUInt32();
            if (!Vector256.EqualsAll((x + minusLow) & Vector256.Create(PamWindow.Mask), Vector256<uint>.Zero)) return i;
            (x + add).AsSingle().StoreUnsafe(ref ds, i);
        }
        return i;
    }


    /// <summary>Stores one vector of results: aligned and non-temporal (the caller pinned and aligned the destination) or ordinary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector512<uint> value, ref float ds, nuint i, bool nonTemporal)
    {
        if (nonTemporal) value.AsSingle().StoreAlignedNonTemporal((float*)Unsafe.AsPointer(ref Unsafe.Add(ref ds, i)));
        else value.AsSingle().StoreUnsafe(ref ds, i);
    }

    /// <summary>destination[i] = TOp(x[i]) on the chosen <paramref name="path"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Unary<TOp>(ReadOnlySpan<float> x, Span<float> destination, int k, SimdPath path)
        where TOp : struct, IPamUnaryOp
    {
        ValidateDestination(x, destination, nameof(x));

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, i = 0;
        path = Resolve(path);
        if (path == SimdPath.Vector512)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
                TOp.Vector512(Vector512.LoadUnsafe(ref xs, i), k).StoreUnsafe(ref ds, i);
        }
        if (path >= SimdPath.Vector256)
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
                TOp.Vector256(Vector256.LoadUnsafe(ref xs, i), k).StoreUnsafe(ref ds, i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = TOp.Scalar(Unsafe.Add(ref xs, i), k);
    }

    /// <summary>Replaces <see cref="SimdPath.Best"/> by the widest accelerated path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SimdPath Resolve(SimdPath path) =>
        path != SimdPath.Best ? path
        : Vector512.IsHardwareAccelerated ? SimdPath.Vector512
        : Vector256.IsHardwareAccelerated ? SimdPath.Vector256
        : SimdPath.Scalar;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValidateDestination(ReadOnlySpan<float> input, Span<float> destination, string inputName)
    {
        if (destination.Length < input.Length)
            ThrowShortDestination(input.Length, destination.Length, inputName);
        if (input.Overlaps(destination, out int offset) && offset != 0)
            ThrowOverlap(offset, inputName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShortDestination(int inputLength, int destinationLength, string inputName) =>
        throw new ArgumentException(
            $"destination has {destinationLength} elements but {inputName} has {inputLength}; pass a destination at least as long as the input.",
            "destination");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap(int offset, string inputName) =>
        throw new ArgumentException(
            $"destination overlaps {inputName} at an offset of {offset} elements; use the same span (in place) or a separate buffer.",
            "destination");
}
