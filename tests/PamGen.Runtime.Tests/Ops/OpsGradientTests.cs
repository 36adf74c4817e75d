using System;
using Xunit;
using I = PamGen.IeeeArithmetic;

namespace PamGen.Tests;

/// <summary>Every backward against central finite differences in <c>Ieee</c> mode, on odd shapes (1, 7, 33, 257).</summary>
public class OpsGradientTests
{
    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(7, 33, 1, true)]
    [InlineData(33, 7, 257, false)]
    [InlineData(1, 257, 7, true)]
    public void Linear_backward_matches_finite_differences(int n, int inDim, int outDim, bool bias)
    {
        var x = GradCheck.Random(n * inDim, 1);
        var w = GradCheck.Random(outDim * inDim, 2, 0.3f);
        var b = bias ? GradCheck.Random(outDim, 3) : Array.Empty<float>();
        var outp = new float[n * outDim];
        var check = new GradCheck().Input("input", x, out var dx).Input("weight", w, out var dw);
        float[] db = Array.Empty<float>();
        if (bias) check.Input("bias", b, out db);
        check.Run(() => { Linear.Forward<I>(outp, x, w, b, n, inDim, outDim); return outp; },
            g => Linear.Backward<I>(dx, dw, db, g, x, w, n, inDim, outDim), 4);
    }

    [Theory]
    [InlineData(GemmOp.None, GemmOp.None, 1, 7, 33)]
    [InlineData(GemmOp.None, GemmOp.Transpose, 7, 1, 33)]
    [InlineData(GemmOp.Transpose, GemmOp.None, 33, 7, 1)]
    [InlineData(GemmOp.Transpose, GemmOp.Transpose, 7, 33, 7)]
    [InlineData(GemmOp.Transpose, GemmOp.None, 7, 1, 257)]
    public void MatMul_backward_matches_finite_differences_for_every_transpose_case(GemmOp opA, GemmOp opB, int m, int n, int k)
    {
        const int batch = 2;
        var a = GradCheck.Random(batch * m * k, 5);
        var b = GradCheck.Random(batch * k * n, 6);
        var c = new float[batch * m * n];
        new GradCheck().Input("a", a, out var da).Input("b", b, out var db).Run(
            () => { MatMul.Forward<I>(c, a, b, opA, opB, batch, m, n, k); return c; },
            g => MatMul.Backward<I>(da, db, g, a, b, opA, opB, batch, m, n, k), 7);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(1.5f)]
    public void Embedding_backward_matches_finite_differences(float scale)
    {
        const int batch = 2, seq = 7, dim = 33, vocab = 5, maxSeq = 9;
        var tokens = new int[batch * seq];
        var rng = new SeededRandom(8);
        for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(vocab);
        var wte = GradCheck.Random(vocab * dim, 9);
        var wpe = GradCheck.Random(maxSeq * dim, 10);
        var o = new float[batch * seq * dim];
        new GradCheck().Input("wte", wte, out var dwte).Input("wpe", wpe, out var dwpe).Run(
            () => { Embedding.Forward<I>(o, tokens, wte, wpe, batch, seq, dim, scale); return o; },
            g => Embedding.Backward<I>(dwte, dwpe, g, tokens, batch, seq, dim, scale), 11);
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(7, 33)]
    [InlineData(2, 257)]
    public void LayerNorm_backward_matches_finite_differences(int n, int dim)
    {
        var x = GradCheck.Random(n * dim, 12);
        var gamma = GradCheck.Random(dim, 13);
        var beta = GradCheck.Random(dim, 14);
        var o = new float[n * dim];
        var mean = new float[n];
        var std = new float[n];
        new GradCheck().Input("input", x, out var dx).Input("gamma", gamma, out var dg).Input("beta", beta, out var dbeta).Run(
            () => { LayerNorm.Forward<I>(o, mean, std, x, gamma, beta, n, dim); return o; },
            g => LayerNorm.Backward<I>(dx, dg, dbeta, g, x, gamma, mean, std, n, dim), 15, h: 3e-3);
    }

    [Theory]
    [InlineData(1, 1, false, false)]
    [InlineData(7, 33, false, false)]
    [InlineData(7, 7, true, false)]
    [InlineData(14, 7, true, true)]
    [InlineData(3, 257, false, true)]
    public void Softmax_backward_matches_finite_differences_with_masks(int rows, int cols, bool causal, bool padding)
    {
        var x = GradCheck.Random(rows * cols, 16, 2f);
        int qLen = causal ? cols : rows;
        int rowsPerBatch = causal ? cols : rows;
        byte[] keep = padding ? PaddingMask(rows / rowsPerBatch, cols, 17) : Array.Empty<byte>();
        var y = new float[rows * cols];
        new GradCheck().Input("input", x, out var dx).Run(
            () => { Softmax.Forward<I>(y, x, rows, cols, new SoftmaxMask(causal, qLen, keep, rowsPerBatch)); return y; },
            g => Softmax.Backward<I>(dx, g, y, rows, cols), 18);
    }

    [Theory]
    [InlineData(2, 7, 7, 12, 3, true, true)]
    [InlineData(1, 1, 1, 4, 1, true, false)]
    [InlineData(2, 5, 7, 8, 2, false, true)]
    [InlineData(1, 33, 7, 6, 2, false, false)]
    public void Attention_backward_matches_finite_differences(int batch, int tq, int tk, int dim, int heads, bool causal, bool padding)
    {
        var q = GradCheck.Random(batch * tq * dim, 19);
        var k = GradCheck.Random(batch * tk * dim, 20);
        var v = GradCheck.Random(batch * tk * dim, 21);
        byte[] keep = padding ? PaddingMask(batch, tk, 22) : Array.Empty<byte>();
        var o = new float[batch * tq * dim];
        var probs = new float[batch * heads * tq * tk];
        var scratch = new float[Attention.ScratchSize(heads, tq, tk)];
        new GradCheck().Input("q", q, out var dq).Input("k", k, out var dk).Input("v", v, out var dv).Run(
            () => { Attention.Forward<I, I>(o, probs, q, k, v, keep, batch, tq, tk, dim, heads, causal); return o; },
            g => Attention.Backward<I, I>(dq, dk, dv, scratch, g, probs, q, k, v, batch, tq, tk, dim, heads), 23);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(257)]
    public void Relu_and_Gelu_backward_match_finite_differences(int n)
    {
        var x = GradCheck.AwayFromZero(n, 24);
        var y = new float[n];
        new GradCheck().Input("input", x, out var dx).Run(
            () => { Relu.Forward(y, x); return y; }, g => Relu.Backward(dx, g, x), 25);
        var x2 = GradCheck.Random(n, 26, 2f);
        var y2 = new float[n];
        new GradCheck().Input("input", x2, out var dx2).Run(
            () => { Gelu.Forward<I>(y2, x2); return y2; }, g => Gelu.Backward<I>(dx2, g, x2), 27, h: 3e-3);
    }

    [Fact]
    public void Dropout_and_Residual_backward_match_finite_differences()
    {
        var x = GradCheck.Random(257, 28);
        var y = new float[257];
        new GradCheck().Input("input", x, out var dx).Run(
            () => { Dropout.Forward<I>(y, x, 0.3f, 99); return y; }, g => Dropout.Backward<I>(dx, g, 0.3f, 99), 29);
        var a = GradCheck.Random(33, 30);
        var b = GradCheck.Random(33, 31);
        var s = new float[33];
        new GradCheck().Input("a", a, out var da).Input("b", b, out var db).Run(
            () => { Residual.Forward(s, a, b); return s; }, g => Residual.Backward(da, db, g), 32);
    }

    [Theory]
    [InlineData(2, 7, 33, true)]
    [InlineData(1, 1, 7, false)]
    public void MeanPool_backward_matches_finite_differences(int batch, int seq, int dim, bool padding)
    {
        var x = GradCheck.Random(batch * seq * dim, 33);
        byte[] keep = padding ? PaddingMask(batch, seq, 34) : Array.Empty<byte>();
        var o = new float[batch * dim];
        new GradCheck().Input("input", x, out var dx).Run(
            () => { MeanPool.Forward<I>(o, x, keep, batch, seq, dim); return o; },
            g => MeanPool.Backward<I>(dx, g, keep, batch, seq, dim), 35);
    }

    [Theory]
    [InlineData(2, 3, 7, 7, 4, 3, 3, 1, 1)]
    [InlineData(1, 1, 7, 9, 5, 2, 3, 2, 0)]
    [InlineData(1, 2, 1, 1, 33, 1, 1, 1, 0)]
    public void Conv2d_backward_matches_finite_differences(int batch, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad)
    {
        var s = new Conv2dShape(batch, cin, h, w, cout, kh, kw, stride, pad);
        var x = GradCheck.Random(batch * cin * h * w, 36);
        var wt = GradCheck.Random(cout * s.PatchSize, 37, 0.5f);
        var bias = GradCheck.Random(cout, 38);
        var o = new float[batch * cout * s.OutHeight * s.OutWidth];
        var scratch = new float[s.ScratchSize];
        new GradCheck().Input("input", x, out var dx).Input("weight", wt, out var dw).Input("bias", bias, out var db).Run(
            () => { Conv2d.Forward<I>(o, scratch, x, wt, bias, s); return o; },
            g => Conv2d.Backward<I>(dx, dw, db, scratch, g, x, wt, s), 39);
    }

    [Theory]
    [InlineData(2, 3, 7, 7, 2, 2)]
    [InlineData(1, 1, 9, 5, 3, 1)]
    public void MaxPool2d_backward_matches_finite_differences(int batch, int channels, int height, int width, int kernel, int stride)
    {
        var x = GradCheck.Distinct(batch * channels * height * width, 40);
        var o = new float[batch * channels * MaxPool2d.OutSize(height, kernel, stride) * MaxPool2d.OutSize(width, kernel, stride)];
        new GradCheck().Input("input", x, out var dx).Run(
            () => { MaxPool2d.Forward(o, x, batch, channels, height, width, kernel, stride); return o; },
            g => MaxPool2d.Backward(dx, g, x, batch, channels, height, width, kernel, stride), 41);
    }

    [Theory]
    [InlineData(7, 33, 0f)]
    [InlineData(7, 257, 0.1f)]
    [InlineData(1, 1, 0f)]
    public void CrossEntropy_backward_matches_finite_differences(int n, int classes, float smoothing)
    {
        var x = GradCheck.Random(n * classes, 42, 2f);
        var targets = new int[n];
        var rng = new SeededRandom(43);
        for (int i = 0; i < n; i++) targets[i] = i == 3 ? -100 : rng.NextInt(classes);
        var losses = new float[n];
        var probs = new float[n * classes];
        var outp = new float[1];
        new GradCheck().Input("logits", x, out var dx).Run(
            () => { outp[0] = CrossEntropy.Forward<I>(losses, probs, x, targets, n, classes, smoothing); return outp; },
            _ => CrossEntropy.Backward<I>(dx, probs, targets, n, classes, smoothing), 44, unitWeights: true, samples: 2000);
    }

    [Fact]
    public void CrossEntropy_loss_equals_the_textbook_formula()
    {
        const int n = 5, classes = 7;
        const float eps = 0.2f;
        var x = GradCheck.Random(n * classes, 45, 3f);
        var targets = new[] { 0, 6, -100, 3, 3 };
        var losses = new float[n];
        float mean = CrossEntropy.Forward<I>(losses, new float[n * classes], x, targets, n, classes, eps);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (targets[i] < 0) { Assert.Equal(0f, losses[i]); continue; }
            double max = double.NegativeInfinity, sum = 0, loss = 0;
            for (int j = 0; j < classes; j++) max = Math.Max(max, x[i * classes + j]);
            for (int j = 0; j < classes; j++) sum += Math.Exp(x[i * classes + j] - max);
            for (int j = 0; j < classes; j++)
            {
                double logp = x[i * classes + j] - max - Math.Log(sum);
                double q = (j == targets[i] ? 1 - eps : 0) + eps / classes;
                loss -= q * logp;
            }
            Assert.True(Math.Abs(loss - losses[i]) <= 1e-5 * Math.Max(1, loss), $"row {i}: {losses[i]} vs {loss}");
            total += loss;
        }
        Assert.True(Math.Abs(total / 4 - mean) <= 1e-5 * Math.Max(1, total), $"mean {mean} vs {total / 4}");
    }

    internal static byte[] PaddingMask(int batches, int cols, ulong seed)
    {
        // Each batch row keeps a random prefix of at least one column (right padding).
        var rng = new SeededRandom(seed);
        var keep = new byte[batches * cols];
        for (int b = 0; b < batches; b++)
        {
            int len = 1 + rng.NextInt(cols);
            for (int j = 0; j < len; j++) keep[b * cols + j] = 1;
        }
        return keep;
    }
}
