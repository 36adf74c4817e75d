using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Layer normalisation over the last dimension, NUMERICS.md §3: <c>μ = Div(Σx, C)</c>, <c>xc = x − μ</c>,
/// <c>var = Div(Σ Mul(xc, xc), C)</c>, <c>s = Sqrt(var + ε)</c>, <c>y = Div(xc, s)</c>, <c>out = Mul(y, γ) + β</c>.
/// Forward keeps the per-row mean and <c>s</c>; backward recomputes <c>y</c>.
/// </summary>
[MultiplicationFree]
public static class LayerNorm
{
    /// <summary>The ε added to the variance.</summary>
    public const float Epsilon = 1e-5f;

    /// <summary>Forward pass.</summary>
    /// <param name="output">[n, dim]</param>
    /// <param name="mean">saved [n]</param>
    /// <param name="std">saved [n]: <c>Sqrt(var + ε)</c></param>
    /// <param name="input">[n, dim]</param>
    /// <param name="gamma">[dim]</param>
    /// <param name="beta">[dim]</param>
    /// <param name="n">Rows.</param>
    /// <param name="dim">Normalised width.</param>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Forward<TElem>(Span<float> output, Span<float> mean, Span<float> std,
        ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int dim) where TElem : struct, IArithmetic
    {
        Check(output.Length, mean.Length, std.Length, input.Length, gamma.Length, beta.Length, n, dim, "LayerNorm.Forward");
        // Rows are independent: split over RowParallel, each row computed exactly as on one thread.
        fixed (float* po = output)
        fixed (float* pm = mean)
        fixed (float* ps = std)
        fixed (float* px = input)
        fixed (float* pg = gamma)
        fixed (float* pb = beta)
            RowParallel.For(n, MinRowsPerThread(dim), 1, new ForwardBody<TElem>(po, pm, ps, px, pg, pb, n, dim));
    }

    private static int MinRowsPerThread(int dim) => Math.Max(1, 8192 / dim);

    private readonly unsafe struct ForwardBody<TElem>(float* output, float* mean, float* std, float* input, float* gamma, float* beta, int n, int dim)
        : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            int len = n * dim;
            ForwardRows<TElem>(new Span<float>(output, len), new Span<float>(mean, n), new Span<float>(std, n), new ReadOnlySpan<float>(input, len),
                new ReadOnlySpan<float>(gamma, dim), new ReadOnlySpan<float>(beta, dim), start, end, dim);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows<TElem>(Span<float> output, Span<float> mean, Span<float> std,
        ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int start, int end, int dim) where TElem : struct, IArithmetic
    {
        float fdim = dim;
        int i = start;
        // Four rows at a time: each row's sums still run in index order, but the four rows' sums are independent
        // dependency chains that overlap (one chain alone waits on every addition's latency).
        for (; i + 4 <= end; i += 4)
        {
            ref float x = ref MemoryMarshal.GetReference(input.Slice(i * dim, 4 * dim));
            ref float o = ref MemoryMarshal.GetReference(output.Slice(i * dim, 4 * dim));
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int c = 0; c < dim; c++)
            {
                s0 += Unsafe.Add(ref x, c);
                s1 += Unsafe.Add(ref x, dim + c);
                s2 += Unsafe.Add(ref x, 2 * dim + c);
                s3 += Unsafe.Add(ref x, 3 * dim + c);
            }
            float m0 = TElem.Div(s0, fdim), m1 = TElem.Div(s1, fdim), m2 = TElem.Div(s2, fdim), m3 = TElem.Div(s3, fdim);
            Squares<TElem>(input.Slice(i * dim, dim), output.Slice(i * dim, dim), m0);
            Squares<TElem>(input.Slice((i + 1) * dim, dim), output.Slice((i + 1) * dim, dim), m1);
            Squares<TElem>(input.Slice((i + 2) * dim, dim), output.Slice((i + 2) * dim, dim), m2);
            Squares<TElem>(input.Slice((i + 3) * dim, dim), output.Slice((i + 3) * dim, dim), m3);
            float q0 = 0f, q1 = 0f, q2 = 0f, q3 = 0f;
            for (int c = 0; c < dim; c++)
            {
                q0 += Unsafe.Add(ref o, c);
                q1 += Unsafe.Add(ref o, dim + c);
                q2 += Unsafe.Add(ref o, 2 * dim + c);
                q3 += Unsafe.Add(ref o, 3 * dim + c);
            }
            Finish<TElem>(output, mean, std, input, gamma, beta, i, dim, m0, q0);
            Finish<TElem>(output, mean, std, input, gamma, beta, i + 1, dim, m1, q1);
            Finish<TElem>(output, mean, std, input, gamma, beta, i + 2, dim, m2, q2);
            Finish<TElem>(output, mean, std, input, gamma, beta, i + 3, dim, m3, q3);
        }
        for (; i < end; i++)
        {
            var x = input.Slice(i * dim, dim);
            var o = output.Slice(i * dim, dim);
            float sum = 0f;
            for (int c = 0; c < dim; c++) sum += x[c];
            float mu = TElem.Div(sum, fdim);
            Squares<TElem>(x, o, mu);
            float sq = 0f;
            for (int c = 0; c < dim; c++) sq += o[c];
            Finish<TElem>(output, mean, std, input, gamma, beta, i, dim, mu, sq);
        }
    }

    /// <summary>Writes <c>Mul(x − μ, x − μ)</c> of one row into its output row (vector Mul; summed afterwards in index order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Squares<TElem>(ReadOnlySpan<float> x, Span<float> o, float mu) where TElem : struct, IArithmetic
    {
        int dim = x.Length, body = Vec.Body(dim);
        var vmu = Vector512.Create(mu);
        for (int c = 0; c < body; c += Vec.Width)
        {
            var xc = Vec.Load(x, c) - vmu;
            Vec.Store(TElem.Mul(xc, xc), o, c);
        }
        for (int c = body; c < dim; c++)
        {
            float xc = x[c] - mu;
            o[c] = TElem.Mul(xc, xc);
        }
    }

    /// <summary>Row <paramref name="i"/> from its mean and sum of squares: <c>s = Sqrt(Div(sq, C) + ε)</c>, <c>out = Mul(Div(x − μ, s), γ) + β</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TElem>(Span<float> output, Span<float> mean, Span<float> std, ReadOnlySpan<float> input,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int i, int dim, float mu, float sq) where TElem : struct, IArithmetic
    {
        var x = input.Slice(i * dim, dim);
        var o = output.Slice(i * dim, dim);
        int body = Vec.Body(dim);
        float s = TElem.Sqrt(TElem.Div(sq, (float)dim) + Epsilon);
        var vmu = Vector512.Create(mu);
        var vs = Vector512.Create(s);
        for (int c = 0; c < body; c += Vec.Width)
            Vec.Store(TElem.Mul(TElem.Div(Vec.Load(x, c) - vmu, vs), Vec.Load(gamma, c)) + Vec.Load(beta, c), o, c);
        for (int c = body; c < dim; c++) o[c] = TElem.Mul(TElem.Div(x[c] - mu, s), gamma[c]) + beta[c];
        mean[i] = mu;
        std[i] = s;
    }

    /// <summary>Backward pass (the standard formula with every product and quotient in <typeparamref name="TElem"/>):
    /// <c>dx += Div(g − mean(g) − Mul(y, mean(Mul(g, y))), s)</c> with <c>g = Mul(dout, γ)</c>.</summary>
    // Not inlined: each op stays its own method (the JIT-disassembly probe lists it by name).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void Backward<TElem>(Span<float> dInput, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> std,
        int n, int dim) where TElem : struct, IArithmetic
    {
        Check(dOutput.Length, mean.Length, std.Length, input.Length, gamma.Length, dBeta.Length, n, dim, "LayerNorm.Backward");
        Shapes.Require(dInput.Length, "LayerNorm.Backward", nameof(dInput), n, dim);
        Shapes.Require(dGamma.Length, "LayerNorm.Backward", nameof(dGamma), dim);
        // dx is per row (split over rows); dγ and dβ sum over rows, so they are split over columns instead and each
        // column still adds its rows in order 0…n−1: the same bits on any number of threads. One wide column block per
        // thread keeps each row's reads contiguous (narrow blocks defeat the prefetcher).
        fixed (float* pdx = dInput)
        fixed (float* pdg = dGamma)
        fixed (float* pdb = dBeta)
        fixed (float* pgo = dOutput)
        fixed (float* px = input)
        fixed (float* pg = gamma)
        fixed (float* pm = mean)
        fixed (float* ps = std)
        {
            var b = new BackwardBody<TElem>(pdx, pdg, pdb, pgo, px, pg, pm, ps, n, dim, false);
            RowParallel.For(n, MinRowsPerThread(dim), 1, b);
            RowParallel.For(dim, n >= 64 ? Math.Max(Vec.Width, 2 * dim / RowParallel.ThreadCount) : dim, Vec.Width, new BackwardBody<TElem>(pdx, pdg, pdb, pgo, px, pg, pm, ps, n, dim, true));
        }
    }

    private readonly unsafe struct BackwardBody<TElem>(float* dInput, float* dGamma, float* dBeta, float* dOutput, float* input, float* gamma,
        float* mean, float* std, int n, int dim, bool columns) : IRangeBody where TElem : struct, IArithmetic
    {
        public void Run(int start, int end)
        {
            int len = n * dim;
            if (columns)
                BackwardColumns<TElem>(new Span<float>(dGamma, dim), new Span<float>(dBeta, dim), new ReadOnlySpan<float>(dOutput, len),
                    new ReadOnlySpan<float>(input, len), new ReadOnlySpan<float>(mean, n), new ReadOnlySpan<float>(std, n), n, dim, start, end);
            else
                BackwardRows<TElem>(new Span<float>(dInput, len), new ReadOnlySpan<float>(dOutput, len), new ReadOnlySpan<float>(input, len),
                    new ReadOnlySpan<float>(gamma, dim), new ReadOnlySpan<float>(mean, n), new ReadOnlySpan<float>(std, n), dim, start, end);
        }
    }

    /// <summary><c>dγ[c] += Mul(dout, y)</c>, <c>dβ[c] += dout</c> for columns [c0, c1), rows in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardColumns<TElem>(Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> std, int n, int dim, int c0, int c1) where TElem : struct, IArithmetic
    {
        int body = c0 + Vec.Body(c1 - c0);
        for (int i = 0; i < n; i++)
        {
            var x = input.Slice(i * dim, dim);
            var go = dOutput.Slice(i * dim, dim);
            float mu = mean[i], s = std[i];
            var vmu = Vector512.Create(mu);
            var vs = Vector512.Create(s);
            for (int c = c0; c < body; c += Vec.Width)
            {
                var y = TElem.Div(Vec.Load(x, c) - vmu, vs);
                var gov = Vec.Load(go, c);
                Vec.Store(Vec.Load(dGamma, c) + TElem.Mul(gov, y), dGamma, c);
                Vec.Store(Vec.Load(dBeta, c) + gov, dBeta, c);
            }
            for (int c = body; c < c1; c++)
            {
                float y = TElem.Div(x[c] - mu, s);
                dGamma[c] += TElem.Mul(go[c], y);
                dBeta[c] += go[c];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRows<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> std, int dim, int start, int end) where TElem : struct, IArithmetic
    {
        float fdim = dim;
        // g, Mul(g, y) and y of four rows (y is formed once and reused by the second pass).
        Span<float> temp = dim <= 256 ? stackalloc float[12 * dim] : new float[12 * dim];
        int i = start;
        // Four rows at a time: each row's two sums still run in index order, but the four rows' eight sums are
        // independent dependency chains that overlap (as in the forward pass); the bits are those of one row at a time.
        for (; i + 4 <= end; i += 4)
        {
            for (int r = 0; r < 4; r++)
                Gradients<TElem>(input.Slice((i + r) * dim, dim), dOutput.Slice((i + r) * dim, dim), gamma, mean[i + r], std[i + r],
                    temp.Slice(3 * r * dim, dim), temp.Slice((3 * r + 1) * dim, dim), temp.Slice((3 * r + 2) * dim, dim));
            ref float t = ref MemoryMarshal.GetReference(temp);
            int d3 = 3 * dim;
            float g0 = 0f, g1 = 0f, g2 = 0f, g3 = 0f, gy0 = 0f, gy1 = 0f, gy2 = 0f, gy3 = 0f;
            for (int c = 0; c < dim; c++)
            {
                g0 += Unsafe.Add(ref t, c);
                gy0 += Unsafe.Add(ref t, dim + c);
                g1 += Unsafe.Add(ref t, d3 + c);
                gy1 += Unsafe.Add(ref t, d3 + dim + c);
                g2 += Unsafe.Add(ref t, 2 * d3 + c);
                gy2 += Unsafe.Add(ref t, 2 * d3 + dim + c);
                g3 += Unsafe.Add(ref t, 3 * d3 + c);
                gy3 += Unsafe.Add(ref t, 3 * d3 + dim + c);
            }
            AddInputGradient<TElem>(dInput.Slice(i * dim, dim), temp.Slice(0, dim), temp.Slice(2 * dim, dim), TElem.Div(g0, fdim), TElem.Div(gy0, fdim), std[i]);
            AddInputGradient<TElem>(dInput.Slice((i + 1) * dim, dim), temp.Slice(d3, dim), temp.Slice(d3 + 2 * dim, dim), TElem.Div(g1, fdim), TElem.Div(gy1, fdim), std[i + 1]);
            AddInputGradient<TElem>(dInput.Slice((i + 2) * dim, dim), temp.Slice(2 * d3, dim), temp.Slice(2 * d3 + 2 * dim, dim), TElem.Div(g2, fdim), TElem.Div(gy2, fdim), std[i + 2]);
            AddInputGradient<TElem>(dInput.Slice((i + 3) * dim, dim), temp.Slice(3 * d3, dim), temp.Slice(3 * d3 + 2 * dim, dim), TElem.Div(g3, fdim), TElem.Div(gy3, fdim), std[i + 3]);
        }
        var gs = temp.Slice(0, dim);
        var gys = temp.Slice(dim, dim);
        var ys = temp.Slice(2 * dim, dim);
        for (; i < end; i++)
        {
            Gradients<TElem>(input.Slice(i * dim, dim), dOutput.Slice(i * dim, dim), gamma, mean[i], std[i], gs, gys, ys);
            float sumG = 0f, sumGy = 0f;
            for (int c = 0; c < dim; c++)
            {
                sumG += gs[c];
                sumGy += gys[c];
            }
            AddInputGradient<TElem>(dInput.Slice(i * dim, dim), gs, ys, TElem.Div(sumG, fdim), TElem.Div(sumGy, fdim), std[i]);
        }
    }

    /// <summary>One row's <c>y = Div(x − μ, s)</c>, <c>g = Mul(dout, γ)</c> and <c>Mul(g, y)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gradients<TElem>(ReadOnlySpan<float> x, ReadOnlySpan<float> go, ReadOnlySpan<float> gamma, float mu, float s,
        Span<float> gs, Span<float> gys, Span<float> ys) where TElem : struct, IArithmetic
    {
        int dim = x.Length, body = Vec.Body(dim);
        var vmu = Vector512.Create(mu);
        var vs = Vector512.Create(s);
        for (int c = 0; c < body; c += Vec.Width)
        {
            var y = TElem.Div(Vec.Load(x, c) - vmu, vs);
            var g = TElem.Mul(Vec.Load(go, c), Vec.Load(gamma, c));
            Vec.Store(y, ys, c);
            Vec.Store(g, gs, c);
            Vec.Store(TElem.Mul(g, y), gys, c);
        }
        for (int c = body; c < dim; c++)
        {
            float y = TElem.Div(x[c] - mu, s);
            float g = TElem.Mul(go[c], gamma[c]);
            ys[c] = y;
            gs[c] = g;
            gys[c] = TElem.Mul(g, y);
        }
    }

    /// <summary>One row's <c>dx += Div(g − mean(g) − Mul(y, mean(Mul(g, y))), s)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInputGradient<TElem>(Span<float> dx, ReadOnlySpan<float> gs, ReadOnlySpan<float> ys, float meanG, float meanGy, float s)
        where TElem : struct, IArithmetic
    {
        int dim = dx.Length, body = Vec.Body(dim);
        var vs = Vector512.Create(s);
        var vmg = Vector512.Create(meanG);
        var vmgy = Vector512.Create(meanGy);
        for (int c = 0; c < body; c += Vec.Width)
            Vec.Store(Vec.Load(dx, c) + TElem.Div(Vec.Load(gs, c) - vmg - TElem.Mul(Vec.Load(ys, c), vmgy), vs), dx, c);
        for (int c = body; c < dim; c++)
            dx[c] += TElem.Div(gs[c] - meanG - TElem.Mul(ys[c], meanGy), s);
    }

    private static void Check(int outLen, int meanLen, int stdLen, int inLen, int gLen, int bLen, int n, int dim, string op)
    {
        Shapes.RequirePositive(n, op, nameof(n));
        Shapes.RequirePositive(dim, op, nameof(dim));
        Shapes.Require(outLen, op, "output", n, dim);
        Shapes.Require(inLen, op, "input", n, dim);
        Shapes.Require(meanLen, op, "mean", n);
        Shapes.Require(stdLen, op, "std", n);
        Shapes.Require(gLen, op, "gamma", dim);
        Shapes.Require(bLen, op, "beta", dim);
    }
}
