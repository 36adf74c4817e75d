using System;

namespace PamGen;

/// <summary>
/// Inverted dropout with a counter-based mask: element <c>i</c> is kept when the uniform drawn from
/// <c>hash(seed, i)</c> is at least <c>p</c>, so forward and backward agree without storing the mask and the
/// result does not depend on threading. Kept values are <c>Mul(x, Div(1, 1 − p))</c> (NUMERICS.md §3).
/// </summary>
[MultiplicationFree]
public static class Dropout
{
    /// <summary>Whether element <paramref name="index"/> is kept under <paramref name="seed"/> and drop probability <paramref name="p"/>.</summary>
    public static bool Keep(ulong seed, int index, float p)
        => SeededRandom.UniformFromBits(SeededRandom.Mix(seed ^ SeededRandom.Mix((ulong)index + 0x632BE59BD9B4E019UL))) >= p;

    /// <summary>Forward pass.</summary>
    public static void Forward<TElem>(Span<float> output, ReadOnlySpan<float> input, float p, ulong seed) where TElem : struct, IArithmetic
    {
        Relu.RequireSame(output.Length, input.Length, "Dropout.Forward");
        CheckP(p);
        float scale = TElem.Div(1f, 1f - p);
        for (int i = 0; i < input.Length; i++) output[i] = Keep(seed, i, p) ? TElem.Mul(input[i], scale) : 0f;
    }

    /// <summary>Backward pass; accumulates into <paramref name="dInput"/>.</summary>
    public static void Backward<TElem>(Span<float> dInput, ReadOnlySpan<float> dOutput, float p, ulong seed) where TElem : struct, IArithmetic
    {
        Relu.RequireSame(dInput.Length, dOutput.Length, "Dropout.Backward");
        CheckP(p);
        float scale = TElem.Div(1f, 1f - p);
        for (int i = 0; i < dOutput.Length; i++) if (Keep(seed, i, p)) dInput[i] += TElem.Mul(dOutput[i], scale);
    }

    private static void CheckP(float p)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
    }
}
