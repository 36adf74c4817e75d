using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>Residual connection <c>out = a + b</c>: an addition, the same in every mode.</summary>
[MultiplicationFree]
public static class Residual
{
    /// <summary>Forward pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Relu.RequireSame(output.Length, a.Length, "Residual.Forward");
        Relu.RequireSame(a.Length, b.Length, "Residual.Forward");
        int body = Vec.Body(a.Length);
        for (int i = 0; i < body; i += Vec.Width) Vec.Store(Vec.Load(a, i) + Vec.Load(b, i), output, i);
        for (int i = body; i < a.Length; i++) output[i] = a[i] + b[i];
    }

    /// <summary>Backward pass: <c>da += dout</c>, <c>db += dout</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Span<float> dA, Span<float> dB, ReadOnlySpan<float> dOutput)
    {
        Relu.RequireSame(dA.Length, dOutput.Length, "Residual.Backward");
        Relu.RequireSame(dB.Length, dOutput.Length, "Residual.Backward");
        int body = Vec.Body(dOutput.Length);
        for (int i = 0; i < body; i += Vec.Width)
        {
            var g = Vec.Load(dOutput, i);
            Vec.Store(Vec.Load(dA, i) + g, dA, i);
            Vec.Store(Vec.Load(dB, i) + g, dB, i);
        }
        for (int i = body; i < dOutput.Length; i++)
        {
            dA[i] += dOutput[i];
            dB[i] += dOutput[i];
        }
    }
}
