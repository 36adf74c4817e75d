using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// A small deterministic generator (SplitMix64) whose floats are made from bit patterns, so drawing numbers needs
/// no floating-point multiply: a uniform in [0, 1) is a mantissa under exponent 0 minus one, and a normal is the
/// Irwin–Hall sum of twelve uniforms minus six (mean 0, variance 1, tails cut at ±6).
/// </summary>
[MultiplicationFree]
public struct SeededRandom
{
    private ulong _state;

    /// <summary>Starts a stream from <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>The SplitMix64 finaliser: a stateless hash, used for counter-based streams (dropout masks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform float in [0, 1) from 23 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float UniformFromBits(ulong bits) => BitConverter.Int32BitsToSingle((int)(bits >> 41) | 0x3F800000) - 1f;

    /// <summary>A uniform float in [0, 1).</summary>
    public float NextUniform() => UniformFromBits(NextUInt64());

    /// <summary>An integer in [0, <paramref name="bound"/>).</summary>
    public int NextInt(int bound) => (int)(NextUInt64() % (ulong)bound);

    /// <summary>An approximately standard normal float (Irwin–Hall, twelve uniforms).</summary>
    public float NextNormal()
    {
        float s = 0f;
        for (int i = 0; i < 12; i++) s += NextUniform();
        return s - 6f;
    }
}
