using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Row softmax, NUMERICS.md §3: <c>t = Mul(x, log2 e)</c>, per-row shift <c>n = ⌊max t⌋</c> over the active
/// columns, <c>e = Exp2(t − n)</c> (masked columns exactly 0), <c>y = Div(e, Σe)</c>.
/// In <c>Ieee</c> mode this is the ordinary softmax (<c>2^(x·log2 e) = e^x</c>).
/// </summary>
[MultiplicationFree]
public static class Softmax
{
    /// <summary>log2(e) rounded to float32.</summary>
    public const float Log2E = 1.44269504f;

    /// <summary>Forward pass: <paramref name="output"/> [rows, cols] = softmax(<paramref name="input"/>); may alias.</summary>
    public static void Forward<TElem>(Span<float> output, ReadOnlySpan<float> input, int rows, int cols, SoftmaxMask mask = default)
        where TElem : struct, IArithmetic
    {
        Shapes.RequirePositive(rows, "Softmax.Forward", nameof(rows));
        Shapes.RequirePositive(cols, "Softmax.Forward", nameof(cols));
        Shapes.Require(output.Length, "Softmax.Forward", nameof(output), rows, cols);
        Shapes.Require(input.Length, "Softmax.Forward", nameof(input), rows, cols);
        mask.Validate(rows, cols, "Softmax.Forward");
        for (int r = 0; r < rows; r++)
        {
            var row = output.Slice(r * cols, cols);
            input.Slice(r * cols, cols).CopyTo(row);
            ForwardRowInPlace<TElem>(row, mask.Limit(r, cols), mask.KeepRow(r, cols));
        }
    }

    /// <summary>Backward pass: <c>dx += Mul(y, dy − Σ Mul(dy, y))</c>.</summary>
    public static void Backward<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> output, int rows, int cols)
        where TElem : struct, IArithmetic
    {
        Shapes.Require(dInput.Length, "Softmax.Backward", nameof(dInput), rows, cols);
        Shapes.Require(dOutput.Length, "Softmax.Backward", nameof(dOutput), rows, cols);
        Shapes.Require(output.Length, "Softmax.Backward", nameof(output), rows, cols);
        for (int r = 0; r < rows; r++)
            BackwardRow<TElem>(dInput.Slice(r * cols, cols), dOutput.Slice(r * cols, cols), output.Slice(r * cols, cols), 1f, accumulate: true);
    }

    /// <summary>Softmax of one row in place; columns at or after <paramref name="limit"/> or with <c>keep[j] = 0</c> are masked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardRowInPlace<TElem>(Span<float> row, int limit, ReadOnlySpan<byte> keep) where TElem : struct, IArithmetic
    {
        int body = Vec.BodyWithTranscendentals<TElem>(limit);
        var log2e = Vector512.Create(Log2E);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Mul(Vec.Load(row, j), log2e), row, j);
        for (int j = body; j < limit; j++) row[j] = TElem.Mul(row[j], Log2E);
        NormalizeLog2RowInPlace<TElem>(row, limit, keep);
    }

    /// <summary>
    /// The rest of the softmax of a row already in base 2 (each entry times log2 e): shift by ⌊max⌋, Exp2, divide by
    /// the sum; masked columns become 0. Shared by <see cref="ForwardRowInPlace{TElem}"/> and the fused attention,
    /// which folds its 1/√d scale into the base change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NormalizeLog2RowInPlace<TElem>(Span<float> row, int limit, ReadOnlySpan<byte> keep) where TElem : struct, IArithmetic
    {
        int body = Vec.BodyWithTranscendentals<TElem>(limit);
        float max = float.NegativeInfinity;
        bool any = false;
        for (int j = 0; j < limit; j++)
        {
            if (!keep.IsEmpty && keep[j] == 0) continue;
            float t = row[j];
            if (!any || t > max || float.IsNaN(t)) max = t;
            any = true;
        }
        if (!any)
        {
            row.Clear();
            return;
        }
        float shift = MathF.Floor(max);
        var vshift = Vector512.Create(shift);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Exp2(Vec.Load(row, j) - vshift), row, j);
        for (int j = body; j < limit; j++) row[j] = TElem.Exp2(row[j] - shift);
        row.Slice(limit).Clear();
        float sum = 0f;
        for (int j = 0; j < limit; j++)
        {
            if (!keep.IsEmpty && keep[j] == 0) row[j] = 0f;
            sum += row[j];
        }
        var vsum = Vector512.Create(sum);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Div(Vec.Load(row, j), vsum), row, j);
        for (int j = body; j < limit; j++) row[j] = TElem.Div(row[j], sum);
    }

    /// <summary>
    /// <see cref="ForwardRowInPlace{TElem}"/> for four consecutive unmasked rows of <paramref name="n"/> columns (every
    /// column active): the same bits, with the four rows' index-order max and sum scans run as overlapping chains.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardRowsInPlace4<TElem>(Span<float> rows, int n) where TElem : struct, IArithmetic
    {
        int body = Vec.BodyWithTranscendentals<TElem>(n);
        var log2e = Vector512.Create(Log2E);
        for (int r = 0; r < 4; r++)
        {
            var row = rows.Slice(r * n, n);
            for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Mul(Vec.Load(row, j), log2e), row, j);
            for (int j = body; j < n; j++) row[j] = TElem.Mul(row[j], Log2E);
        }
        ref float x = ref MemoryMarshal.GetReference(rows);
        // As the one-row scan: the first element starts the max, a NaN replaces it, a larger value replaces it.
        float m0 = x, m1 = Unsafe.Add(ref x, n), m2 = Unsafe.Add(ref x, 2 * n), m3 = Unsafe.Add(ref x, 3 * n);
        for (int j = 1; j < n; j++)
        {
            float t0 = Unsafe.Add(ref x, j), t1 = Unsafe.Add(ref x, n + j), t2 = Unsafe.Add(ref x, 2 * n + j), t3 = Unsafe.Add(ref x, 3 * n + j);
            if (t0 > m0 || float.IsNaN(t0)) m0 = t0;
            if (t1 > m1 || float.IsNaN(t1)) m1 = t1;
            if (t2 > m2 || float.IsNaN(t2)) m2 = t2;
            if (t3 > m3 || float.IsNaN(t3)) m3 = t3;
        }
        Exp2Shifted<TElem>(rows.Slice(0, n), MathF.Floor(m0), body);
        Exp2Shifted<TElem>(rows.Slice(n, n), MathF.Floor(m1), body);
        Exp2Shifted<TElem>(rows.Slice(2 * n, n), MathF.Floor(m2), body);
        Exp2Shifted<TElem>(rows.Slice(3 * n, n), MathF.Floor(m3), body);
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (int j = 0; j < n; j++)
        {
            s0 += Unsafe.Add(ref x, j);
            s1 += Unsafe.Add(ref x, n + j);
            s2 += Unsafe.Add(ref x, 2 * n + j);
            s3 += Unsafe.Add(ref x, 3 * n + j);
        }
        Normalize<TElem>(rows.Slice(0, n), s0, body);
        Normalize<TElem>(rows.Slice(n, n), s1, body);
        Normalize<TElem>(rows.Slice(2 * n, n), s2, body);
        Normalize<TElem>(rows.Slice(3 * n, n), s3, body);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Exp2Shifted<TElem>(Span<float> row, float shift, int body) where TElem : struct, IArithmetic
    {
        var vshift = Vector512.Create(shift);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Exp2(Vec.Load(row, j) - vshift), row, j);
        for (int j = body; j < row.Length; j++) row[j] = TElem.Exp2(row[j] - shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalize<TElem>(Span<float> row, float sum, int body) where TElem : struct, IArithmetic
    {
        var vsum = Vector512.Create(sum);
        for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Div(Vec.Load(row, j), vsum), row, j);
        for (int j = body; j < row.Length; j++) row[j] = TElem.Div(row[j], sum);
    }

    /// <summary>
    /// <see cref="BackwardRow{TElem}"/> in place (<c>dx = dy</c>, stored, not accumulated) for four consecutive rows of
    /// <paramref name="n"/> columns: the same bits, with the four index-order dot products run as overlapping chains.
    /// Needs the vector path (<c>Vec.Body(n) &gt; 0</c>) and n ≤ 1024.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardRowsInPlace4<TElem>(Span<float> d, ReadOnlySpan<float> y, int n, float scale) where TElem : struct, IArithmetic
    {
        int body = Vec.Body(n);
        Span<float> products = stackalloc float[4 * n];
        for (int r = 0; r < 4; r++)
        {
            var dy = d.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            var pr = products.Slice(r * n, n);
            for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Mul(Vec.Load(dy, j), Vec.Load(yr, j)), pr, j);
            for (int j = body; j < n; j++) pr[j] = TElem.Mul(dy[j], yr[j]);
        }
        ref float pp = ref MemoryMarshal.GetReference(products);
        float d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f;
        for (int j = 0; j < n; j++)
        {
            d0 += Unsafe.Add(ref pp, j);
            d1 += Unsafe.Add(ref pp, n + j);
            d2 += Unsafe.Add(ref pp, 2 * n + j);
            d3 += Unsafe.Add(ref pp, 3 * n + j);
        }
        FinishBackwardRow<TElem>(d.Slice(0, n), y.Slice(0, n), d0, scale);
        FinishBackwardRow<TElem>(d.Slice(n, n), y.Slice(n, n), d1, scale);
        FinishBackwardRow<TElem>(d.Slice(2 * n, n), y.Slice(2 * n, n), d2, scale);
        FinishBackwardRow<TElem>(d.Slice(3 * n, n), y.Slice(3 * n, n), d3, scale);
    }

    /// <summary><c>d = Mul(Mul(y, d − dot), scale)</c> in place (scale 1 skipped), as <see cref="BackwardRow{TElem}"/> stores it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishBackwardRow<TElem>(Span<float> d, ReadOnlySpan<float> y, float dot, float scale) where TElem : struct, IArithmetic
    {
        int n = y.Length, body = Vec.Body(n);
        var vdot = Vector512.Create(dot);
        var vscale = Vector512.Create(scale);
        for (int j = 0; j < body; j += Vec.Width)
        {
            var g = TElem.Mul(Vec.Load(y, j), Vec.Load(d, j) - vdot);
            if (scale != 1f) g = TElem.Mul(g, vscale);
            Vec.Store(g, d, j);
        }
        for (int j = body; j < n; j++)
        {
            float g = TElem.Mul(y[j], d[j] - dot);
            if (scale != 1f) g = TElem.Mul(g, scale);
            d[j] = g;
        }
    }

    /// <summary>Backward of one row: <c>dx = Mul(Mul(y, dy − Σ Mul(dy, y)), scale)</c> (scale 1 skipped), added or stored.
    /// <paramref name="dx"/> may alias <paramref name="dy"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardRow<TElem>(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, float scale, bool accumulate)
        where TElem : struct, IArithmetic
    {
        int n = y.Length, body = Vec.Body(n);
        float dot = 0f;
        if (body > 0)
        {
            Span<float> products = n <= 1024 ? stackalloc float[n] : new float[n];
            for (int j = 0; j < body; j += Vec.Width) Vec.Store(TElem.Mul(Vec.Load(dy, j), Vec.Load(y, j)), products, j);
            for (int j = body; j < n; j++) products[j] = TElem.Mul(dy[j], y[j]);
            for (int j = 0; j < n; j++) dot += products[j];
        }
        else
        {
            for (int j = 0; j < n; j++) dot += TElem.Mul(dy[j], y[j]);
        }
        var vdot = Vector512.Create(dot);
        var vscale = Vector512.Create(scale);
        for (int j = 0; j < body; j += Vec.Width)
        {
            var g = TElem.Mul(Vec.Load(y, j), Vec.Load(dy, j) - vdot);
            if (scale != 1f) g = TElem.Mul(g, vscale);
            Vec.Store(accumulate ? Vec.Load(dx, j) + g : g, dx, j);
        }
        for (int j = body; j < n; j++)
        {
            float g = TElem.Mul(y[j], dy[j] - dot);
            if (scale != 1f) g = TElem.Mul(g, scale);
            dx[j] = accumulate ? dx[j] + g : g;
        }
    }
}
