using System;
using System.Collections.Generic;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// Central finite differences against an operation's backward. The scalar objective is
/// <c>L = Σ w·out</c> summed in float64 with fixed random weights w (or w = 1 for scalar losses), evaluated with the
/// float32 forward; only the outputs an input touches change between the two evaluations, so float32 rounding of the
/// untouched outputs cancels exactly.
/// </summary>
internal sealed class GradCheck
{
    private readonly List<(string Name, float[] Value, float[] Grad)> _inputs = new();

    public static float[] Random(int n, ulong seed, float scale = 1f)
    {
        var rng = new SeededRandom(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.NextNormal() * scale;
        return a;
    }

    /// <summary>Values bounded away from 0 by 0.1 (for kinks at 0).</summary>
    public static float[] AwayFromZero(int n, ulong seed)
    {
        var a = Random(n, seed);
        for (int i = 0; i < n; i++) a[i] = a[i] >= 0 ? a[i] + 0.1f : a[i] - 0.1f;
        return a;
    }

    /// <summary>Distinct values spaced 0.05 apart in random order (for max kinks).</summary>
    public static float[] Distinct(int n, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (i - n / 2) * 0.05f;
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
        return a;
    }

    public GradCheck Input(string name, float[] value, out float[] grad)
    {
        grad = new float[value.Length];
        _inputs.Add((name, value, grad));
        return this;
    }

    /// <summary>
    /// Runs forward, backward with dOut = w, then compares sampled gradient elements of every input with central
    /// differences (the largest gradient element and random others); fails naming the worst element.
    /// </summary>
    public void Run(Func<float[]> forward, Action<float[]> backward, ulong seed, bool unitWeights = false,
        int samples = 24, double h = 1e-2, double rtol = 2e-2, double atolFraction = 2e-3)
    {
        float[] out0 = forward();
        float[] w = unitWeights ? Ones(out0.Length) : Random(out0.Length, seed ^ 0xABCDEF);
        foreach (var (_, _, g) in _inputs) Array.Clear(g);
        backward(w);

        double Loss()
        {
            float[] o = forward();
            double s = 0;
            for (int i = 0; i < o.Length; i++) s += (double)w[i] * o[i];
            return s;
        }

        var rng = new SeededRandom(seed + 17);
        string worst = "";
        double worstExcess = double.NegativeInfinity;
        foreach (var (name, x, g) in _inputs)
        {
            double scale = 0;
            int largest = 0;
            for (int j = 0; j < g.Length; j++)
                if (Math.Abs(g[j]) > scale) { scale = Math.Abs(g[j]); largest = j; }
            int count = Math.Min(samples, x.Length);
            for (int s = 0; s < count; s++)
            {
                int i = x.Length <= samples ? s : s == 0 ? largest : rng.NextInt(x.Length);
                float keep = x[i];
                x[i] = (float)(keep + h);
                double plus = Loss();
                x[i] = (float)(keep - h);
                double minus = Loss();
                x[i] = keep;
                double fd = (plus - minus) / ((double)(float)(keep + h) - (float)(keep - h));
                double err = Math.Abs(g[i] - fd);
                double allowed = rtol * Math.Abs(fd) + atolFraction * scale + 1e-6;
                if (err - allowed > worstExcess)
                {
                    worstExcess = err - allowed;
                    worst = $"{name}[{i}]: backward {g[i]:G9}, finite difference {fd:G9}, |error| {err:G3} (allowed {allowed:G3})";
                }
            }
        }
        forward(); // leave outputs consistent with the unperturbed inputs
        Assert.True(worstExcess <= 0, "Worst gradient element: " + worst);
    }

    private static float[] Ones(int n)
    {
        var a = new float[n];
        Array.Fill(a, 1f);
        return a;
    }
}
