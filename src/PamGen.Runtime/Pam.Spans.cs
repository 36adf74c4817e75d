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
        if (path == SimdPath.Vector512)
            i = k == 0 ? Binary512<TOp>(ref xs, ref ys, ref ds, n, 0) : Binary512<TOp>(ref xs, ref ys, ref ds, n, k);   // k = 0: constants fold
        if (path >= SimdPath.Vector256)
        {
            const int width = 8;
            while (i + width <= n)
            {
                for (; i + width <= n; i += width)
                {
                    if (!TOp.TryOrdinary(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), k, out Vector256<float> r)) break;
                    r.StoreUnsafe(ref ds, i);
                }
                if (i + width > n) break;
                TOp.General(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), k).StoreUnsafe(ref ds, i);
                i += width;
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = TOp.Scalar(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), k);
    }

    /// <summary>Above this many destination bytes the Vector512 loops store non-temporally (as TensorPrimitives does).</summary>
    private const int NonTemporalThresholdBytes = 256 * 1024;

    /// <summary>
    /// The Vector512 part of <see cref="Binary{TOp}"/>; returns where the narrower tail starts. Inner loops run
    /// ordinary vectors only (no call, so constants stay in registers) and leave them for the general form.
    /// Large outputs are written with aligned non-temporal stores after a scalar head that aligns the destination.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nuint Binary512<TOp>(ref float xs, ref float ys, ref float ds, nuint n, int k)
        where TOp : struct, IPamBinaryOp
    {
        const int width = 16;
        nuint i = 0;
        if (n * sizeof(float) > NonTemporalThresholdBytes && Sse.IsSupported)
        {
            fixed (float* px = &xs, py = &ys, pd = &ds)
            {
                if (((nuint)pd & (sizeof(float) - 1)) == 0)
                {
                    for (; ((nuint)(pd + i) & 63) != 0; i++) pd[i] = TOp.Scalar(px[i], py[i], k);
                    while (i + width <= n)
                    {
                        for (; i + width <= n; i += width)
                        {
                            if (!TOp.TryOrdinary(Vector512.Load(px + i), Vector512.Load(py + i), k, out Vector512<float> r)) break;
                            r.StoreAlignedNonTemporal(pd + i);
                        }
                        if (i + width > n) break;
                        TOp.General(Vector512.Load(px + i), Vector512.Load(py + i), k).StoreAligned(pd + i);
                        i += width;
                    }
                    Sse.StoreFence();   // non-temporal stores are weakly ordered
                    return i;
                }
            }
        }
        // A 64-byte vector that straddles two cache lines costs two accesses. When the destination is not
        // 64-byte aligned, compute the first vector now, run the loop from the next aligned element, and store the
        // first vector last: its inputs are read before anything is written, so in-place use stays correct.
        // (An unpinned address can move; then accesses are merely unaligned, never wrong.)
        nuint skew = ((nuint)Unsafe.AsPointer(ref ds) % 64) / sizeof(float);
        bool deferHead = skew != 0 && n >= 2 * width;
        Vector512<float> head = default;
        if (deferHead)
        {
            Vector512<float> x0 = Vector512.LoadUnsafe(ref xs), y0 = Vector512.LoadUnsafe(ref ys);
            head = TOp.TryOrdinary(x0, y0, k, out Vector512<float> r0) ? r0 : TOp.General(x0, y0, k);
            i = width - skew;
        }
        while (i + width <= n)
        {
            for (; i + width <= n; i += width)
            {
                if (!TOp.TryOrdinary(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), k, out Vector512<float> r)) break;
                r.StoreUnsafe(ref ds, i);
            }
            if (i + width > n) break;
            TOp.General(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), k).StoreUnsafe(ref ds, i);
            i += width;
        }
        if (deferHead) head.StoreUnsafe(ref ds);
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
        if (path == SimdPath.Vector512)
        {
            const int width = 16;
            while (i + width <= n)
            {
                for (; i + width <= n; i += width)
                {
                    if (!TOp.TryOrdinary(Vector512.LoadUnsafe(ref xs, i), Vector512.Create(y), k, out Vector512<float> r)) break;
                    r.StoreUnsafe(ref ds, i);
                }
                if (i + width > n) break;
                TOp.General(Vector512.LoadUnsafe(ref xs, i), Vector512.Create(y), k).StoreUnsafe(ref ds, i);
                i += width;
            }
        }
        if (path >= SimdPath.Vector256)
        {
            const int width = 8;
            while (i + width <= n)
            {
                for (; i + width <= n; i += width)
                {
                    if (!TOp.TryOrdinary(Vector256.LoadUnsafe(ref xs, i), Vector256.Create(y), k, out Vector256<float> r)) break;
                    r.StoreUnsafe(ref ds, i);
                }
                if (i + width > n) break;
                TOp.General(Vector256.LoadUnsafe(ref xs, i), Vector256.Create(y), k).StoreUnsafe(ref ds, i);
                i += width;
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = TOp.Scalar(Unsafe.Add(ref xs, i), y, k);
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

    private static void ValidateDestination(ReadOnlySpan<float> input, Span<float> destination, string inputName)
    {
        if (destination.Length < input.Length)
            throw new ArgumentException(
                $"destination has {destination.Length} elements but {inputName} has {input.Length}; pass a destination at least as long as the input.",
                nameof(destination));
        if (input.Overlaps(destination, out int offset) && offset != 0)
            throw new ArgumentException(
                $"destination overlaps {inputName} at an offset of {offset} elements; use the same span (in place) or a separate buffer.",
                nameof(destination));
    }
}
