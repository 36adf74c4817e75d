using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;

namespace PamGen.Cli.Audit;

/// <summary>
/// A two-layer perceptron (16 → 32 ReLU → 4, softmax cross-entropy, plain SGD) on seeded random data: the
/// stand-in training step until the real sample models exist. Every multiplicative operation goes through
/// the mode <c>TArith</c> (<see cref="Gemm.Compute{TArith}"/> for the matmuls and their gradients,
/// <c>TArith.Exp/Log/Div/Mul</c> elsewhere); everything else is additions, subtractions, maxima and integer
/// index arithmetic. The SGD update runs through the mode's Vector256 operations. Data and weights are built from integer bit patterns, so setting up involves no
/// floating-point multiplication either.
/// </summary>
[MultiplicationFree]
internal sealed class TinyMlpWorkload : IAuditWorkload
{
    private const int Batch = 8, Inputs = 16, Hidden = 32, Classes = 4;

    public string Name => "tiny-mlp";

    public IReadOnlyList<string> DisassemblyFilters { get; } = Array.Empty<string>();

    public float Train<TArith>(int steps, int seed) where TArith : struct, IArithmetic
    {
        var random = new Random(seed);
        var x = RandomValues(random, Batch * Inputs, exponent: 126);   // |x| in [0.5, 1)
        var labels = new int[Batch];
        for (var i = 0; i < Batch; i++) labels[i] = random.Next(Classes);
        var w1 = RandomValues(random, Inputs * Hidden, exponent: 123); // |w| in [1/16, 1/8)
        var b1 = new float[Hidden];
        var w2 = RandomValues(random, Hidden * Classes, exponent: 123);
        var b2 = new float[Classes];
        var learningRate = BitConverter.Int32BitsToSingle(0x3DCCCCCD);  // 0.1f, written as bits on purpose

        var h = new float[Batch * Hidden];
        var logits = new float[Batch * Classes];
        var dLogits = new float[Batch * Classes];
        var dH = new float[Batch * Hidden];
        var dW1 = new float[Inputs * Hidden];
        var dW2 = new float[Hidden * Classes];
        var db1 = new float[Hidden];
        var db2 = new float[Classes];

        var loss = 0f;
        for (var step = 0; step < steps; step++)
        {
            // Forward: h = relu(x·W1 + b1), logits = h·W2 + b2.
            Gemm.Compute<TArith>(GemmOp.None, GemmOp.None, Batch, Hidden, Inputs, x, w1, h);
            AddBiasRelu(h, b1, Batch, Hidden);
            Gemm.Compute<TArith>(GemmOp.None, GemmOp.None, Batch, Classes, Hidden, h, w2, logits);
            AddBias(logits, b2, Batch, Classes);

            // Softmax cross-entropy: dLogits = (softmax - onehot) / batch.
            loss = SoftmaxCrossEntropy<TArith>(logits, labels, dLogits, Batch, Classes);

            // Backward: dW2 = hᵀ·dLogits, dh = dLogits·W2ᵀ masked by relu, dW1 = xᵀ·dh.
            Gemm.Compute<TArith>(GemmOp.Transpose, GemmOp.None, Hidden, Classes, Batch, h, dLogits, dW2);
            ColumnSums(dLogits, db2, Batch, Classes);
            Gemm.Compute<TArith>(GemmOp.None, GemmOp.Transpose, Batch, Hidden, Classes, dLogits, w2, dH);
            ReluBackward(dH, h);
            Gemm.Compute<TArith>(GemmOp.Transpose, GemmOp.None, Inputs, Hidden, Batch, x, dH, dW1);
            ColumnSums(dH, db1, Batch, Hidden);

            Sgd<TArith>(w1, dW1, learningRate);
            Sgd<TArith>(b1, db1, learningRate);
            Sgd<TArith>(w2, dW2, learningRate);
            Sgd<TArith>(b2, db2, learningRate);
        }
        return loss;
    }

    /// <summary>Random floats of magnitude in [2^(exponent-127), 2^(exponent-126)) and random sign, from bits only.</summary>
    private static float[] RandomValues(Random random, int count, int exponent)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var sign = random.Next(2) << 31;
            var bits = sign | (exponent << 23) | random.Next(1 << 23);
            values[i] = BitConverter.Int32BitsToSingle(bits);
        }
        return values;
    }

    private static void AddBiasRelu(float[] h, float[] bias, int rows, int cols)
    {
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                h[i * cols + j] = MathF.Max(h[i * cols + j] + bias[j], 0f);
    }

    private static void AddBias(float[] y, float[] bias, int rows, int cols)
    {
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                y[i * cols + j] += bias[j];
    }

    private static float SoftmaxCrossEntropy<TArith>(float[] logits, int[] labels, float[] grad, int rows, int cols)
        where TArith : struct, IArithmetic
    {
        float batch = rows;
        var total = 0f;
        for (var i = 0; i < rows; i++)
        {
            var row = logits.AsSpan(i * cols, cols);
            var max = float.NegativeInfinity;
            foreach (var v in row) max = MathF.Max(max, v);
            var sum = 0f;
            for (var j = 0; j < cols; j++)
            {
                grad[i * cols + j] = TArith.Exp(row[j] - max);
                sum += grad[i * cols + j];
            }
            for (var j = 0; j < cols; j++)
            {
                var p = TArith.Div(grad[i * cols + j], sum);
                if (j == labels[i]) total -= TArith.Log(p);
                grad[i * cols + j] = TArith.Div(j == labels[i] ? p - 1f : p, batch);
            }
        }
        return TArith.Div(total, batch);
    }

    private static void ColumnSums(float[] m, float[] sums, int rows, int cols)
    {
        Array.Clear(sums);
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                sums[j] += m[i * cols + j];
    }

    private static void ReluBackward(float[] dh, float[] h)
    {
        for (var i = 0; i < dh.Length; i++)
            if (h[i] <= 0f) dh[i] = 0f;
    }

    /// <summary>p −= lr·g, eight lanes at a time through the mode's Vector256 Mul (so vector kernels are audited too), then a scalar tail.</summary>
    private static void Sgd<TArith>(float[] parameters, float[] gradients, float learningRate) where TArith : struct, IArithmetic
    {
        var i = 0;
        var rate = Vector256.Create(learningRate);
        for (; i <= parameters.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var p = Vector256.Create<float>(parameters.AsSpan(i));
            var g = Vector256.Create<float>(gradients.AsSpan(i));
            (p - TArith.Mul(rate, g)).CopyTo(parameters.AsSpan(i));
        }
        for (; i < parameters.Length; i++) parameters[i] -= TArith.Mul(learningRate, gradients[i]);
    }
}
