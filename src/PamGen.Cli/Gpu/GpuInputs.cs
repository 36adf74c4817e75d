using System;

namespace PamGen.Cli.Gpu;

/// <summary>Seeded kernel inputs that reach every edge rule of NUMERICS.md: zeros of both signs, subnormals,
/// values near the smallest normal and near overflow, infinities and NaN, over a log-uniform bulk of both signs.</summary>
internal static class GpuInputs
{
    private static readonly float[] Specials =
    {
        0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, -float.MaxValue,
        float.Epsilon, -float.Epsilon, 1e-40f, -3e-39f, 1.1754944e-38f, -1.1754942e-38f, 1e30f, -1e-30f, 1f, -1f, 0.5f, 2f,
    };

    /// <summary><paramref name="n"/> values: specials at the start (where n allows), then every 97th element zero,
    /// the rest ±2^u with u uniform in [-<paramref name="octaves"/>, <paramref name="octaves"/>] and a random mantissa.</summary>
    internal static float[] Create(int n, int seed, int octaves)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (i < Specials.Length) { values[i] = Specials[i]; continue; }
            if (i % 97 == 0) { values[i] = random.Next(2) == 0 ? 0f : -0f; continue; }
            double magnitude = Math.Pow(2, (random.NextDouble() * 2 - 1) * octaves);
            values[i] = (float)(random.Next(2) == 0 ? magnitude : -magnitude);
        }
        return values;
    }
}
