using System;

namespace PamGen;

/// <summary>
/// Seeded parameter initialisers. The random draws are multiplication-free (<see cref="SeededRandom"/>) and the
/// scaling goes through the mode's arithmetic (<c>TArith.Mul</c> by the standard deviation), so a <c>Pam</c> model
/// is initialised without a float multiply as well.
/// </summary>
[MultiplicationFree]
public static class Initializers
{
    /// <summary>Fills with <c>Mul(z, std)</c>, z approximately standard normal.</summary>
    public static void Normal<TArith>(Span<float> values, float std, ref SeededRandom rng) where TArith : struct, IArithmetic
    {
        for (int i = 0; i < values.Length; i++) values[i] = TArith.Mul(rng.NextNormal(), std);
    }

    /// <summary>Fills with <c>Mul(2u − 1, bound)</c>, u uniform in [0, 1): uniform in [−bound, bound).</summary>
    public static void Uniform<TArith>(Span<float> values, float bound, ref SeededRandom rng) where TArith : struct, IArithmetic
    {
        for (int i = 0; i < values.Length; i++)
        {
            float u = rng.NextUniform();
            values[i] = TArith.Mul(u + u - 1f, bound);
        }
    }

    /// <summary>The standard deviation <c>1/√fanIn</c> formed with the mode's <c>Div</c> and <c>Sqrt</c>.</summary>
    public static float FanInStd<TArith>(int fanIn) where TArith : struct, IArithmetic
        => TArith.Div(1f, TArith.Sqrt(fanIn));

    /// <summary>Fills with a constant (LayerNorm γ = 1, biases = 0).</summary>
    public static void Constant(Span<float> values, float value) => values.Fill(value);
}
