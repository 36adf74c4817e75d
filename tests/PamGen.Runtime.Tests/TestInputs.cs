using System;
using System.Collections.Generic;
using System.Linq;

namespace PamGen.Tests;

/// <summary>Seeded random and edge-case inputs. Tests print the seed in every failure message.</summary>
internal static class TestInputs
{
    /// <summary>A fresh seed per run (so every run tests new values), reported on failure to reproduce it.</summary>
    public static int FreshSeed() => Environment.TickCount ^ Guid.NewGuid().GetHashCode();

    /// <summary>Log-uniform magnitude over ±<paramref name="binaryOrders"/> binary orders, random sign.</summary>
    public static float LogUniform(Random random, double binaryOrders = 60)
    {
        float value = (float)Math.Pow(2, (random.NextDouble() * 2 - 1) * binaryOrders);
        return random.Next(2) == 0 ? value : -value;
    }

    /// <summary>Every special class of NUMERICS.md §1 and the boundaries around it.</summary>
    public static readonly float[] EdgeValues = BuildEdgeValues();

    private static float[] BuildEdgeValues()
    {
        var values = new List<float>
        {
            0f, -0f, float.Epsilon, -float.Epsilon, BitConverter.Int32BitsToSingle(0x007FFFFF),   // zero, subnormals
            1.17549435e-38f, -1.17549435e-38f, BitConverter.Int32BitsToSingle(0x00800001),       // smallest normals
            float.MaxValue, -float.MaxValue, BitConverter.Int32BitsToSingle(0x7F7FFFFE),
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7F800001),
            BitConverter.Int32BitsToSingle(unchecked((int)0xFFFFFFFF)),
            1f, -1f, 1.5f, 2f, 0.5f, 3f, -7f, 1e-20f, 1e20f, 1e-30f, 1e30f, 0.1f,
            126f, 127f, 127.999f, 128f, 129f, -126f, -126.5f, -127f, -149f, -150f, 200f, -200f, 1e9f, -1e9f,
            5.4210109e-20f, 1.8446744e19f, 9.2233720e18f, 1.0842022e-19f,                            // ±2^±64-ish
        };
        // The vector kernels' quick windows (PamWindow; Mul's y and Div's y are shifted by a binade): their ends and neighbours.
        foreach (int exponent in new[] { -33, -32, -31, 31, 32, 33 })
        {
            int bits = (127 + exponent) << 23;
            values.AddRange(new[] { BitConverter.Int32BitsToSingle(bits), BitConverter.Int32BitsToSingle(bits - 1), BitConverter.Int32BitsToSingle(bits + 1) });
            values.AddRange(new[] { -BitConverter.Int32BitsToSingle(bits), -BitConverter.Int32BitsToSingle(bits - 1) });
        }
        return values.ToArray();
    }

    /// <summary>
    /// <paramref name="count"/> inputs mixing log-uniform values with edge values. The magnitude range is chosen
    /// per block of 16 (one Vector512), so whole vectors land in each of the kernels' regimes: the quick range
    /// (±4 binary orders and up to ±32), the normal range (±70) and beyond it (±140: under- and overflow).
    /// </summary>
    public static float[] Mixed(Random random, int count, double edgeFraction = 0.2)
    {
        var values = new float[count];
        double orders = 4;
        for (int i = 0; i < count; i++)
        {
            if (i % 16 == 0) orders = random.Next(4) switch { 0 => 4, 1 => 31.9, 2 => 70, _ => 140 };
            values[i] = random.NextDouble() < edgeFraction ? EdgeValues[random.Next(EdgeValues.Length)] : LogUniform(random, orders);
        }
        return values;
    }

    public static int Bits(float x) => BitConverter.SingleToInt32Bits(x);

    public static string Describe(float x) => $"{x:R} (0x{Bits(x):X8})";
}
