using System;
using Xunit;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>
/// Every operation in <c>Pam</c> mode against a slow scalar composition of the <see cref="Pam"/> oracle:
/// bit-exact for elementwise work, within 1e-5 of the sum of absolute terms for reductions and GEMMs.
/// </summary>
public class OpsPamOracleTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _out;
    public OpsPamOracleTests(Xunit.Abstractions.ITestOutputHelper output) => _out = output;

    private static float[] Rand(int n, ulong seed, float scale = 1f) => GradCheck.Random(n, seed, scale);

    [Theory]
    [InlineData(7, 33, 1)]
    [InlineData(1, 257, 7)]
    public void Linear_matches_oracle(int n, int inDim, int outDim)
    {
        var x = Rand(n * inDim, 1); var w = Rand(outDim * inDim, 2); var b = Rand(outDim, 3); var g = Rand(n * outDim, 4);
        var y = new float[n * outDim];
        Linear.Forward<P>(y, x, w, b, n, inDim, outDim);
        var ey = new float[y.Length]; var sy = new float[y.Length];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < outDim; j++)
        {
            float acc = 0f, abs = 0f;
            for (int k = 0; k < inDim; k++) { float t = Pam.Mul(x[i * inDim + k], w[j * inDim + k]); acc += t; abs += Math.Abs(t); }
            ey[i * outDim + j] = acc + b[j];
            sy[i * outDim + j] = abs + Math.Abs(b[j]);
        }
        OracleAssert.WithinTermTolerance(ey, y, sy, "out");

        var dx = new float[x.Length]; var dw = new float[w.Length]; var db = new float[b.Length];
        Linear.Backward<P>(dx, dw, db, g, x, w, n, inDim, outDim);
        var edx = new float[dx.Length]; var sdx = new float[dx.Length];
        for (int i = 0; i < n; i++)
        for (int k = 0; k < inDim; k++)
            for (int j = 0; j < outDim; j++) { float t = Pam.Mul(g[i * outDim + j], w[j * inDim + k]); edx[i * inDim + k] += t; sdx[i * inDim + k] += Math.Abs(t); }
        OracleAssert.WithinTermTolerance(edx, dx, sdx, "dInput");
        var edw = new float[dw.Length]; var sdw = new float[dw.Length];
        for (int j = 0; j < outDim; j++)
        for (int k = 0; k < inDim; k++)
            for (int i = 0; i < n; i++) { float t = Pam.Mul(g[i * outDim + j], x[i * inDim + k]); edw[j * inDim + k] += t; sdw[j * inDim + k] += Math.Abs(t); }
        OracleAssert.WithinTermTolerance(edw, dw, sdw, "dWeight");
        var edb = new float[outDim]; var sdb = new float[outDim];
        for (int i = 0; i < n; i++) for (int j = 0; j < outDim; j++) { edb[j] += g[i * outDim + j]; sdb[j] += Math.Abs(g[i * outDim + j]); }
        OracleAssert.WithinTermTolerance(edb, db, sdb, "dBias");
    }

    [Fact]
    public void Gelu_forward_and_backward_are_bit_exact()
    {
        var x = Rand(257, 5, 3f); var g = Rand(257, 6);
        x[0] = 0f; x[1] = -100f; x[2] = 100f;
        var y = new float[x.Length]; var dx = new float[x.Length];
        Gelu.Forward<P>(y, x);
        Gelu.Backward<P>(dx, g, x);
        var ey = new float[x.Length]; var edx = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            float d = 1f + Pam.Exp(-Pam.Mul(x[i], 1.702f));
            ey[i] = Pam.Div(x[i], d);
            float s = Pam.Div(1f, d);
            edx[i] = Pam.Mul(g[i], s + Pam.Mul(Pam.Mul(ey[i], 1f - s), 1.702f));
        }
        OracleAssert.BitExact(ey, y, "gelu");
        OracleAssert.BitExact(edx, dx, "dgelu");
        var ieee = new float[x.Length];
        Gelu.Forward<IeeeArithmetic>(ieee, x);
        Assert.NotEqual(ieee, y); // the PAM path really differs from float32
    }

    [Fact]
    public void Relu_Residual_Dropout_and_Embedding_are_bit_exact()
    {
        var x = Rand(257, 7); var b = Rand(257, 8); var g = Rand(257, 9);
        var y = new float[257]; var ey = new float[257];
        Relu.Forward(y, x);
        for (int i = 0; i < 257; i++) ey[i] = x[i] > 0 ? x[i] : 0f;
        OracleAssert.BitExact(ey, y, "relu");
        Residual.Forward(y, x, b);
        for (int i = 0; i < 257; i++) ey[i] = x[i] + b[i];
        OracleAssert.BitExact(ey, y, "residual");

        const float p = 0.3f;
        Dropout.Forward<P>(y, x, p, 1234);
        var dx = new float[257];
        Dropout.Backward<P>(dx, g, p, 1234);
        float scale = Pam.Div(1f, 1f - p);
        var edx = new float[257];
        int kept = 0;
        for (int i = 0; i < 257; i++)
        {
            bool keep = Dropout.Keep(1234, i, p);
            kept += keep ? 1 : 0;
            ey[i] = keep ? Pam.Mul(x[i], scale) : 0f;
            edx[i] = keep ? Pam.Mul(g[i], scale) : 0f;
        }
        OracleAssert.BitExact(ey, y, "dropout");
        OracleAssert.BitExact(edx, dx, "ddropout");
        Assert.InRange(kept, 150, 210); // about 70 % of 257 kept

        const int batch = 2, seq = 3, dim = 7, vocab = 4;
        int[] tokens = { 0, 3, 3, 1, 2, 0 };
        var wte = Rand(vocab * dim, 10); var wpe = Rand(seq * dim, 11);
        float es = P.Sqrt(dim);
        var o = new float[batch * seq * dim];
        Embedding.Forward<P>(o, tokens, wte, wpe, batch, seq, dim, es);
        var eo = new float[o.Length];
        for (int r = 0; r < batch * seq; r++)
            for (int c = 0; c < dim; c++) eo[r * dim + c] = Pam.Mul(wte[tokens[r] * dim + c], es) + wpe[r % seq * dim + c];
        OracleAssert.BitExact(eo, o, "embedding");
    }

    [Theory]
    [InlineData(7, 33)]
    [InlineData(2, 257)]
    public void LayerNorm_matches_oracle(int n, int dim)
    {
        var x = Rand(n * dim, 12, 2f); var gamma = Rand(dim, 13); var beta = Rand(dim, 14); var g = Rand(n * dim, 15);
        var y = new float[n * dim]; var mean = new float[n]; var std = new float[n];
        LayerNorm.Forward<P>(y, mean, std, x, gamma, beta, n, dim);
        var dx = new float[x.Length]; var dg = new float[dim]; var dbeta = new float[dim];
        LayerNorm.Backward<P>(dx, dg, dbeta, g, x, gamma, mean, std, n, dim);

        var ey = new float[y.Length]; var sy = new float[y.Length]; var edx = new float[x.Length]; var sdx = new float[x.Length];
        for (int i = 0; i < n; i++)
        {
            float sum = 0f;
            for (int c = 0; c < dim; c++) sum += x[i * dim + c];
            float mu = Pam.Div(sum, dim);
            float sq = 0f;
            for (int c = 0; c < dim; c++) { float xc = x[i * dim + c] - mu; sq += Pam.Mul(xc, xc); }
            float s = Pam.Sqrt(Pam.Div(sq, dim) + LayerNorm.Epsilon);
            float sg = 0f, sgy = 0f;
            for (int c = 0; c < dim; c++)
            {
                float yn = Pam.Div(x[i * dim + c] - mu, s);
                ey[i * dim + c] = Pam.Mul(yn, gamma[c]) + beta[c];
                sy[i * dim + c] = Math.Abs(Pam.Mul(yn, gamma[c])) + Math.Abs(beta[c]) + 1f; // + 1: the row statistics' own scale
                float gg = Pam.Mul(g[i * dim + c], gamma[c]);
                sg += gg;
                sgy += Pam.Mul(gg, yn);
            }
            float mg = Pam.Div(sg, dim), mgy = Pam.Div(sgy, dim);
            for (int c = 0; c < dim; c++)
            {
                float yn = Pam.Div(x[i * dim + c] - mu, s);
                float gg = Pam.Mul(g[i * dim + c], gamma[c]);
                edx[i * dim + c] = Pam.Div(gg - mg - Pam.Mul(yn, mgy), s);
                sdx[i * dim + c] = Pam.Div(Math.Abs(gg) + Math.Abs(mg) + Math.Abs(Pam.Mul(yn, mgy)), s) + 1f;
            }
        }
        OracleAssert.WithinTermTolerance(ey, y, sy, "layernorm");
        OracleAssert.WithinTermTolerance(edx, dx, sdx, "dlayernorm");
    }

    [Theory]
    [InlineData(7, 33, false)]
    [InlineData(7, 7, true)]
    public void Softmax_matches_oracle(int rows, int cols, bool causal)
    {
        var x = Rand(rows * cols, 16, 3f); var g = Rand(rows * cols, 17);
        var y = new float[x.Length]; var dx = new float[x.Length];
        Softmax.Forward<P>(y, x, rows, cols, new SoftmaxMask(causal, cols, default, 1));
        Softmax.Backward<P>(dx, g, y, rows, cols);
        var ey = new float[x.Length]; var ones = new float[x.Length]; var edx = new float[x.Length]; var sdx = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            int limit = causal ? r + 1 : cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < limit; j++) max = Math.Max(max, Pam.Mul(x[r * cols + j], Pam.Log2E));
            float n = MathF.Floor(max), sum = 0f;
            for (int j = 0; j < limit; j++) sum += Pam.Exp2(Pam.Mul(x[r * cols + j], Pam.Log2E) - n);
            for (int j = 0; j < limit; j++) ey[r * cols + j] = Pam.Div(Pam.Exp2(Pam.Mul(x[r * cols + j], Pam.Log2E) - n), sum);
            float dot = 0f, dotAbs = 0f;
            for (int j = 0; j < cols; j++) { dot += Pam.Mul(g[r * cols + j], ey[r * cols + j]); dotAbs += Math.Abs(Pam.Mul(g[r * cols + j], ey[r * cols + j])); }
            for (int j = 0; j < cols; j++)
            {
                edx[r * cols + j] = Pam.Mul(ey[r * cols + j], g[r * cols + j] - dot);
                sdx[r * cols + j] = Pam.Mul(ey[r * cols + j], Math.Abs(g[r * cols + j]) + dotAbs) + 1e-30f;
                ones[r * cols + j] = ey[r * cols + j] + 1e-30f; // terms of Σe normalised: the relative tolerance of y
            }
        }
        OracleAssert.WithinTermTolerance(ey, y, ones, "softmax");
        OracleAssert.WithinTermTolerance(edx, dx, sdx, "dsoftmax");
    }

    [Fact]
    public void Attention_forward_matches_oracle()
    {
        const int batch = 2, t = 7, dim = 8, heads = 2, hs = 4;
        var q = Rand(batch * t * dim, 18); var k = Rand(batch * t * dim, 19); var v = Rand(batch * t * dim, 20);
        var o = new float[q.Length]; var probs = new float[batch * heads * t * t];
        Attention.Forward<P, P>(o, probs, q, k, v, default, batch, t, t, dim, heads, causal: true);
        float scale = Pam.Div(1f, Pam.Sqrt(hs));
        Assert.Equal(0.5f, scale); // √4 = 2 exactly in PAM (powers of two are exact)
        var eo = new float[o.Length]; var so = new float[o.Length];
        var row = new float[t];
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int i = 0; i < t; i++)
        {
            for (int j = 0; j < t; j++)
            {
                float acc = 0f;
                for (int d = 0; d < hs; d++) acc += Pam.Mul(q[(b * t + i) * dim + h * hs + d], k[(b * t + j) * dim + h * hs + d]);
                row[j] = Pam.Mul(acc, scale);
            }
            float max = float.NegativeInfinity;
            for (int j = 0; j <= i; j++) max = Math.Max(max, Pam.Mul(row[j], Pam.Log2E));
            float n = MathF.Floor(max), sum = 0f;
            for (int j = 0; j <= i; j++) sum += Pam.Exp2(Pam.Mul(row[j], Pam.Log2E) - n);
            for (int d = 0; d < hs; d++)
            {
                float acc = 0f, abs = 0f;
                for (int j = 0; j <= i; j++)
                {
                    float pj = Pam.Div(Pam.Exp2(Pam.Mul(row[j], Pam.Log2E) - n), sum);
                    float term = Pam.Mul(pj, v[(b * t + j) * dim + h * hs + d]);
                    acc += term;
                    abs += Math.Abs(term);
                }
                eo[(b * t + i) * dim + h * hs + d] = acc;
                so[(b * t + i) * dim + h * hs + d] = abs;
            }
        }
        OracleAssert.WithinTermTolerance(eo, o, so, "attention");
    }

    [Fact]
    public void CrossEntropy_matches_oracle()
    {
        const int n = 7, classes = 33;
        const float eps = 0.1f;
        var x = Rand(n * classes, 21, 3f);
        var targets = new[] { 0, 5, -100, 32, 7, 7, 1 };
        var losses = new float[n]; var probs = new float[n * classes]; var dx = new float[x.Length];
        float mean = CrossEntropy.Forward<P>(losses, probs, x, targets, n, classes, eps);
        CrossEntropy.Backward<P>(dx, probs, targets, n, classes, eps);
        var el = new float[n]; var sl = new float[n]; var edx = new float[x.Length];
        float total = 0f, totalAbs = 0f;
        for (int i = 0; i < n; i++)
        {
            float max = float.NegativeInfinity, sumT = 0f;
            for (int j = 0; j < classes; j++) { float tt = Pam.Mul(x[i * classes + j], Pam.Log2E); max = Math.Max(max, tt); sumT += tt; }
            float sh = MathF.Floor(max), sum = 0f;
            for (int j = 0; j < classes; j++) sum += Pam.Exp2(Pam.Mul(x[i * classes + j], Pam.Log2E) - sh);
            if (targets[i] < 0) { sl[i] = 1; continue; }
            float lse = sh + Pam.Log2(sum);
            float ty = Pam.Mul(x[i * classes + targets[i]], Pam.Log2E);
            float bits = Pam.Mul(1f - eps, lse - ty) + Pam.Mul(eps, lse - Pam.Div(sumT, classes));
            el[i] = Pam.Div(bits, Pam.Log2E);
            sl[i] = Math.Abs(el[i]) + Math.Abs(lse) + 1f;
            total += el[i];
            totalAbs += sl[i];
            float off = Pam.Div(eps, classes), on = 1f - eps + off;
            for (int j = 0; j < classes; j++)
            {
                float pj = Pam.Div(Pam.Exp2(Pam.Mul(x[i * classes + j], Pam.Log2E) - sh), sum);
                edx[i * classes + j] = Pam.Div(pj - (j == targets[i] ? on : off), 6f);
            }
        }
        OracleAssert.WithinTermTolerance(el, losses, sl, "loss");
        OracleAssert.WithinTermTolerance(new[] { Pam.Div(total, 6f) }, new[] { mean }, new[] { totalAbs }, "mean loss");
        var sdx = new float[x.Length];
        for (int i = 0; i < sdx.Length; i++) sdx[i] = Math.Abs(edx[i]) + 1e-30f;
        OracleAssert.WithinTermTolerance(edx, dx, sdx, "dlogits");
    }

    [Fact]
    public void MeanPool_Conv2d_and_MaxPool_match_oracle()
    {
        const int batch = 2, seq = 7, dim = 5;
        var x = Rand(batch * seq * dim, 22);
        byte[] keep = { 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 };
        var o = new float[batch * dim];
        MeanPool.Forward<P>(o, x, keep, batch, seq, dim);
        var eo = new float[o.Length]; var so = new float[o.Length];
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < dim; c++)
        {
            float acc = 0f, abs = 0f; int cnt = 0;
            for (int t = 0; t < seq; t++) if (keep[b * seq + t] != 0) { acc += x[(b * seq + t) * dim + c]; abs += Math.Abs(x[(b * seq + t) * dim + c]); cnt++; }
            eo[b * dim + c] = Pam.Div(acc, cnt);
            so[b * dim + c] = Pam.Div(abs, cnt);
        }
        OracleAssert.WithinTermTolerance(eo, o, so, "meanpool");

        var s = new Conv2dShape(2, 3, 6, 5, 4, 3, 2, 1, 1);
        var img = Rand(s.Batch * s.InChannels * s.Height * s.Width, 23);
        var w = Rand(s.OutChannels * s.PatchSize, 24);
        var bias = Rand(s.OutChannels, 25);
        var co = new float[s.Batch * s.OutChannels * s.OutHeight * s.OutWidth];
        Conv2d.Forward<P>(co, new float[s.ScratchSize], img, w, bias, s);
        var eco = new float[co.Length]; var sco = new float[co.Length];
        for (int b = 0; b < s.Batch; b++)
        for (int oc = 0; oc < s.OutChannels; oc++)
        for (int oy = 0; oy < s.OutHeight; oy++)
        for (int ox = 0; ox < s.OutWidth; ox++)
        {
            float acc = 0f, abs = 0f;
            for (int ic = 0; ic < s.InChannels; ic++)
            for (int ky = 0; ky < s.KernelH; ky++)
            for (int kx = 0; kx < s.KernelW; kx++)
            {
                int iy = oy - 1 + ky, ix = ox - 1 + kx;
                float xv = iy >= 0 && iy < s.Height && ix >= 0 && ix < s.Width ? img[((b * s.InChannels + ic) * s.Height + iy) * s.Width + ix] : 0f;
                float term = Pam.Mul(w[((oc * s.InChannels + ic) * s.KernelH + ky) * s.KernelW + kx], xv);
                acc += term; abs += Math.Abs(term);
            }
            int idx = ((b * s.OutChannels + oc) * s.OutHeight + oy) * s.OutWidth + ox;
            eco[idx] = acc + bias[oc];
            sco[idx] = abs + Math.Abs(bias[oc]);
        }
        OracleAssert.WithinTermTolerance(eco, co, sco, "conv2d");

        var mp = new float[2 * 3 * 3 * 2];
        MaxPool2d.Forward(mp, img, 2, 3, 6, 5, 2, 2);
        var emp = new float[mp.Length];
        for (int plane = 0; plane < 6; plane++)
        for (int oy = 0; oy < 3; oy++)
        for (int ox = 0; ox < 2; ox++)
        {
            float m = float.NegativeInfinity;
            for (int ky = 0; ky < 2; ky++) for (int kx = 0; kx < 2; kx++) m = Math.Max(m, img[plane * 30 + (2 * oy + ky) * 5 + 2 * ox + kx]);
            emp[(plane * 3 + oy) * 2 + ox] = m;
        }
        OracleAssert.BitExact(emp, mp, "maxpool");
    }

    [Fact]
    public void AdamW_clipping_and_initialisation_are_bit_exact()
    {
        var opts = new AdamWOptions(0.9f, 0.98f, 1e-6f, 0.1f);
        var p = Rand(257, 26); var m = Rand(257, 27, 0.1f); var v = Rand(257, 28, 0.1f); var g = Rand(257, 29);
        for (int i = 0; i < v.Length; i++) v[i] = Math.Abs(v[i]);
        float[] ep = (float[])p.Clone(), em = (float[])m.Clone(), ev = (float[])v.Clone();
        const float lr = 3e-3f;
        const int t = 5;
        var (step, decay) = AdamW.Scalars<P>(lr, t, opts);
        AdamW.Update<P>(p, m, v, g, step, decay, opts);
        float estep = Pam.Div(Pam.Mul(lr, Pam.Sqrt(1f - Pam.Pow(0.98f, t))), 1f - Pam.Pow(0.9f, t));
        float edecay = Pam.Mul(0.1f, lr);
        Assert.Equal(estep, step);
        Assert.Equal(edecay, decay);
        for (int i = 0; i < p.Length; i++)
        {
            em[i] = Pam.Mul(em[i], 0.9f) + Pam.Mul(g[i], 1f - 0.9f);
            ev[i] = Pam.Mul(ev[i], 0.98f) + Pam.Mul(Pam.Mul(g[i], g[i]), 1f - 0.98f);
            float pi = ep[i] - Pam.Mul(ep[i], edecay);
            ep[i] = pi - Pam.Mul(Pam.Div(em[i], Pam.Sqrt(ev[i]) + 1e-6f), estep);
        }
        OracleAssert.BitExact(em, m, "m");
        OracleAssert.BitExact(ev, v, "v");
        OracleAssert.BitExact(ep, p, "param");

        var arena = new TensorArena();
        var a = arena.Parameter("a", true, ParameterInit.Normal, 0.02f, 33, 7);
        var b = arena.Parameter("b", false, ParameterInit.Normal, 0.3f, 257);
        arena.Allocate();
        arena.InitializeParameters<P>(42);
        var rng = new SeededRandom(42);
        var ea = new float[a.Length]; var eb = new float[b.Length];
        for (int i = 0; i < ea.Length; i++) ea[i] = Pam.Mul(rng.NextNormal(), 0.02f);
        for (int i = 0; i < eb.Length; i++) eb[i] = Pam.Mul(rng.NextNormal(), 0.3f);
        OracleAssert.BitExact(ea, a.Span, "init a");
        OracleAssert.BitExact(eb, b.Span, "init b");

        // Clipping: the norm is a reduction (tolerance), the scaling elementwise given that norm (bit-exact).
        var ga = Rand(a.Length, 30, 3f); var gb = Rand(b.Length, 31, 3f);
        ga.CopyTo(a.GradSpan); gb.CopyTo(b.GradSpan);
        float norm = GradientClipping.ClipGlobalNorm<P>(new[] { a.Grad!, b.Grad! }, 1f, 1);
        float sumsq = 0f;
        foreach (float x in ga) sumsq += Pam.Mul(x, x);
        foreach (float x in gb) sumsq += Pam.Mul(x, x);
        OracleAssert.WithinTermTolerance(new[] { Pam.Sqrt(sumsq) }, new[] { norm }, new[] { Pam.Sqrt(sumsq) }, "norm");
        float scale = Pam.Div(1f, norm + 1e-6f);
        for (int i = 0; i < ga.Length; i++) ga[i] = Pam.Mul(ga[i], scale);
        OracleAssert.BitExact(ga, a.GradSpan, "clipped");
    }

    [Fact]
    public void Schedule_in_Pam_mode_is_the_oracle_polynomial_and_close_to_the_cosine()
    {
        float previous = 2f;
        double worst = 0;
        for (int i = 0; i <= 200; i++)
        {
            float x = i / 200f;
            float c = WarmupCosineSchedule.HalfCosine<P>(x);
            float ieee = WarmupCosineSchedule.HalfCosine<IeeeArithmetic>(x);
            double truth = 0.5 * (1 + Math.Cos(Math.PI * x));
            Assert.True(Math.Abs(ieee - truth) < 2e-6, $"Ieee half-cosine at {x}: {ieee} vs {truth}");
            worst = Math.Max(worst, Math.Abs(c - truth));
            Assert.True(c <= previous, $"Pam half-cosine rises at x = {x}: {previous} -> {c}");
            previous = c;

            float w = Pam.Mul(3.14159265f, x - 0.5f), z = Pam.Mul(w, w);
            float poly = -1f / 39916800f;
            foreach (float coef in new[] { 1f / 362880f, -1f / 5040f, 1f / 120f, -1f / 6f, 1f })
                poly = Pam.Mul(poly, z) + coef;
            float expected = Math.Clamp(Pam.Mul(1f - Pam.Mul(w, poly), 0.5f), 0f, 1f);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(c));
        }
        Assert.True(worst < 0.08, $"Pam half-cosine strays {worst} from the cosine");
        _out.WriteLine($"Pam half-cosine: worst distance to 0.5(1 + cos pi x) = {worst:G4}; C(0) = {WarmupCosineSchedule.HalfCosine<P>(0f)}, C(1) = {WarmupCosineSchedule.HalfCosine<P>(1f)}");
        var sched = new WarmupCosineSchedule(1e-3f, 1e-4f, 10, 110);
        Assert.Equal(Pam.Mul(1e-3f, Pam.Div(3f, 10f)), sched.At<P>(2));
        Assert.Equal(1e-4f, sched.At<P>(500));
    }
}
