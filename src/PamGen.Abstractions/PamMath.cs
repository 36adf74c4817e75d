using System;

namespace PamGen;

/// <summary>
/// The functions a <see cref="PamKernelAttribute"/> body may call; bring them into scope with
/// <c>using static PamGen.PamMath;</c>. Called directly they compute in float32 (double internally); inside a
/// generated kernel each is the arithmetic mode's operation.
/// </summary>
public static class PamMath
{
    /// <summary>e^x.</summary>
    public static float Exp(float x) => (float)Math.Exp(x);
    /// <summary>ln x.</summary>
    public static float Log(float x) => (float)Math.Log(x);
    /// <summary>2^x.</summary>
    public static float Exp2(float x) => (float)Math.Pow(2.0, x);
    /// <summary>log2 x.</summary>
    public static float Log2(float x) => (float)(Math.Log(x) / Math.Log(2.0));
    /// <summary>√x.</summary>
    public static float Sqrt(float x) => (float)Math.Sqrt(x);
    /// <summary>x^y.</summary>
    public static float Pow(float x, float y) => (float)Math.Pow(x, y);
    /// <summary>|x|.</summary>
    public static float Abs(float x) => Math.Abs(x);
    /// <summary>The larger of a and b (<c>a &gt;= b ? a : b</c>).</summary>
    public static float Max(float a, float b) => a >= b ? a : b;
    /// <summary>The smaller of a and b (<c>a &lt;= b ? a : b</c>).</summary>
    public static float Min(float a, float b) => a <= b ? a : b;
}
