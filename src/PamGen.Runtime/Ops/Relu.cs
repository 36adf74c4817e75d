using System;

namespace PamGen;

/// <summary>Rectified linear unit, <c>out = max(x, 0)</c>: a select, the same in every mode.</summary>
[MultiplicationFree]
public static class Relu
{
    /// <summary>Forward pass: <paramref name="output"/>[n] = max(<paramref name="input"/>, 0).</summary>
    public static void Forward(Span<float> output, ReadOnlySpan<float> input)
    {
        RequireSame(output.Length, input.Length, "Relu.Forward");
        for (int i = 0; i < input.Length; i++) output[i] = input[i] > 0f ? input[i] : 0f;
    }

    /// <summary>Backward pass: <c>dx += x &gt; 0 ? dy : 0</c>.</summary>
    public static void Backward(Span<float> dInput, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input)
    {
        RequireSame(dInput.Length, input.Length, "Relu.Backward");
        RequireSame(dOutput.Length, input.Length, "Relu.Backward");
        for (int i = 0; i < input.Length; i++) if (input[i] > 0f) dInput[i] += dOutput[i];
    }

    internal static void RequireSame(int a, int b, string op)
    {
        if (a != b) throw new ArgumentException($"{op}: buffers of shapes [{a}] and [{b}] must have the same length.");
    }
}
