using System;

namespace PamGen;

/// <summary>
/// Linear warm-up then cosine decay: <c>lr = Mul(base, Div(t + 1, warmup))</c> during warm-up, then
/// <c>lr = min + Mul(base − min, C(x))</c> with progress <c>x = Div(t − warmup, total − warmup)</c> and
/// <c>C(x) = ½(1 + cos πx)</c>.
/// <para>
/// <c>C</c> is evaluated without any cosine routine, from the identity <c>C(x) = ½ − ½·sin(π(x − ½))</c> and a
/// degree-11 odd Taylor polynomial of sin on [−π/2, π/2] (truncation error below 6e-8) in Horner form, every
/// product through the mode's <c>Mul</c> and the halving an exact power-of-two <c>Mul</c>. In <c>Ieee</c> mode it is
/// the cosine to float32 rounding; in <c>Pam</c> mode it is the same polynomial evaluated with PAM products,
/// clamped to [0, 1] (monotone decay; tests bound its distance to the true curve).
/// </para>
/// </summary>
/// <param name="BaseRate">Peak learning rate.</param>
/// <param name="MinRate">Final learning rate.</param>
/// <param name="WarmupSteps">Steps of linear warm-up.</param>
/// <param name="TotalSteps">Steps after which the rate stays at <paramref name="MinRate"/>.</param>
[MultiplicationFree]
public readonly record struct WarmupCosineSchedule(float BaseRate, float MinRate, int WarmupSteps, int TotalSteps)
{
    private const float Pi = 3.14159265f;
    // Taylor coefficients of sin(w)/w in z = w²: 1, −1/3!, 1/5!, −1/7!, 1/9!, −1/11!.
    private const float C3 = -1f / 6f, C5 = 1f / 120f, C7 = -1f / 5040f, C9 = 1f / 362880f, C11 = -1f / 39916800f;

    /// <summary>The learning rate at 0-based step <paramref name="t"/>.</summary>
    public float At<TElem>(int t) where TElem : struct, IArithmetic
    {
        if (t < 0) throw new ArgumentOutOfRangeException(nameof(t), t, "Steps count from 0.");
        if (t < WarmupSteps) return TElem.Mul(BaseRate, TElem.Div(t + 1, WarmupSteps));
        int span = Math.Max(1, TotalSteps - WarmupSteps);
        if (t - WarmupSteps >= span) return MinRate;
        float x = TElem.Div(t - WarmupSteps, span);
        return MinRate + TElem.Mul(BaseRate - MinRate, HalfCosine<TElem>(x));
    }

    /// <summary><c>½(1 + cos πx)</c> for x in [0, 1], multiplication-free in PAM modes (see the type remarks).</summary>
    public static float HalfCosine<TElem>(float x) where TElem : struct, IArithmetic
    {
        float w = TElem.Mul(Pi, x - 0.5f);
        float z = TElem.Mul(w, w);
        float poly = C11;
        poly = TElem.Mul(poly, z) + C9;
        poly = TElem.Mul(poly, z) + C7;
        poly = TElem.Mul(poly, z) + C5;
        poly = TElem.Mul(poly, z) + C3;
        poly = TElem.Mul(poly, z) + 1f;
        float sin = TElem.Mul(w, poly);
        float c = TElem.Mul(1f - sin, 0.5f);
        return Math.Clamp(c, 0f, 1f);
    }
}
