using System;
using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TElem>(Span<float> output, Span<float> mean, Span<float> std,
        ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int dim) where TElem : struct, IArithmetic
    {
        Check(output.Length, mean.Length, std.Length, input.Length, gamma.Length, beta.Length, n, dim, "LayerNorm.Forward");
        float fdim = dim;
        int body = Vec.Body(dim);
        for (int i = 0; i < n; i++)
        {
            var x = input.Slice(i * dim, dim);
            var o = output.Slice(i * dim, dim);
            float sum = 0f;
            for (int c = 0; c < dim; c++) sum += x[c];
            float mu = TElem.Div(sum, fdim);
            // Squares go through the output row first (vector Mul), then are summed in index order.
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
            float sq = 0f;
            for (int c = 0; c < dim; c++) sq += o[c];
            float s = TElem.Sqrt(TElem.Div(sq, fdim) + Epsilon);
            var vs = Vector512.Create(s);
            for (int c = 0; c < body; c += Vec.Width)
                Vec.Store(TElem.Mul(TElem.Div(Vec.Load(x, c) - vmu, vs), Vec.Load(gamma, c)) + Vec.Load(beta, c), o, c);
            for (int c = body; c < dim; c++) o[c] = TElem.Mul(TElem.Div(x[c] - mu, s), gamma[c]) + beta[c];
            mean[i] = mu;
            std[i] = s;
        }
    }

    /// <summary>Backward pass (the standard formula with every product and quotient in <typeparamref name="TElem"/>):
    /// <c>dx += Div(g − mean(g) − Mul(y, mean(Mul(g, y))), s)</c> with <c>g = Mul(dout, γ)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<TElem>(Span<float> dInput, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> std,
        int n, int dim) where TElem : struct, IArithmetic
    {
        Check(dOutput.Length, mean.Length, std.Length, input.Length, gamma.Length, dBeta.Length, n, dim, "LayerNorm.Backward");
        Shapes.Require(dInput.Length, "LayerNorm.Backward", nameof(dInput), n, dim);
        Shapes.Require(dGamma.Length, "LayerNorm.Backward", nameof(dGamma), dim);
        float fdim = dim;
        int body = Vec.Body(dim);
        float[] temp = new float[2 * dim];
        var gs = temp.AsSpan(0, dim);
        var gys = temp.AsSpan(dim, dim);
        for (int i = 0; i < n; i++)
        {
            var x = input.Slice(i * dim, dim);
            var go = dOutput.Slice(i * dim, dim);
            var dx = dInput.Slice(i * dim, dim);
            float mu = mean[i], s = std[i];
            var vmu = Vector512.Create(mu);
            var vs = Vector512.Create(s);
            for (int c = 0; c < body; c += Vec.Width)
            {
                var y = TElem.Div(Vec.Load(x, c) - vmu, vs);
                var gov = Vec.Load(go, c);
                var g = TElem.Mul(gov, Vec.Load(gamma, c));
                Vec.Store(g, gs, c);
                Vec.Store(TElem.Mul(g, y), gys, c);
                Vec.Store(Vec.Load(dGamma, c) + TElem.Mul(gov, y), dGamma, c);
                Vec.Store(Vec.Load(dBeta, c) + gov, dBeta, c);
            }
            for (int c = body; c < dim; c++)
            {
                float y = TElem.Div(x[c] - mu, s);
                float g = TElem.Mul(go[c], gamma[c]);
                gs[c] = g;
                gys[c] = TElem.Mul(g, y);
                dGamma[c] += TElem.Mul(go[c], y);
                dBeta[c] += go[c];
            }
            float sumG = 0f, sumGy = 0f;
            for (int c = 0; c < dim; c++)
            {
                sumG += gs[c];
                sumGy += gys[c];
            }
            float meanG = TElem.Div(sumG, fdim), meanGy = TElem.Div(sumGy, fdim);
            var vmg = Vector512.Create(meanG);
            var vmgy = Vector512.Create(meanGy);
            for (int c = 0; c < body; c += Vec.Width)
            {
                var y = TElem.Div(Vec.Load(x, c) - vmu, vs);
                Vec.Store(Vec.Load(dx, c) + TElem.Div(Vec.Load(gs, c) - vmg - TElem.Mul(y, vmgy), vs), dx, c);
            }
            for (int c = body; c < dim; c++)
            {
                float y = TElem.Div(x[c] - mu, s);
                dx[c] += TElem.Div(gs[c] - meanG - TElem.Mul(y, meanGy), s);
            }
        }
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
