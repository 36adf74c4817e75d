using System;

namespace PamGen;

/// <summary>Residual connection <c>out = a + b</c>: an addition, the same in every mode.</summary>
[MultiplicationFree]
public static class Residual
{
    /// <summary>Forward pass.</summary>
    public static void Forward(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Relu.RequireSame(output.Length, a.Length, "Residual.Forward");
        Relu.RequireSame(a.Length, b.Length, "Residual.Forward");
        for (int i = 0; i < a.Length; i++) output[i] = a[i] + b[i];
    }

    /// <summary>Backward pass: <c>da += dout</c>, <c>db += dout</c>.</summary>
    public static void Backward(Span<float> dA, Span<float> dB, ReadOnlySpan<float> dOutput)
    {
        Relu.RequireSame(dA.Length, dOutput.Length, "Residual.Backward");
        Relu.RequireSame(dB.Length, dOutput.Length, "Residual.Backward");
        for (int i = 0; i < dOutput.Length; i++)
        {
            dA[i] += dOutput[i];
            dB[i] += dOutput[i];
        }
    }
}
