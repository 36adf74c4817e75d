using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// Every edge rule of NUMERICS.md §1 for every operation: ±0, subnormals, the underflow and overflow boundaries,
/// ±∞ and NaN. Each row is checked on the scalar oracle and on both vector widths (all lanes), bit for bit.
/// </summary>
public class PamEdgeCaseTests
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private static readonly float Sub = BitConverter.Int32BitsToSingle(0x00400000);    // a subnormal: counts as zero
    private static readonly float MinN = BitConverter.Int32BitsToSingle(0x00800000);   // 2^-126
    private const float Max = float.MaxValue;

    public static TheoryData<string, float, float, float> Rows() => new()
    {
        // Mul: zeros and subnormals give signed zero
        { "Mul", 0f, 3f, 0f }, { "Mul", -0f, 3f, -0f }, { "Mul", 0f, -3f, -0f }, { "Mul", -0f, -3f, 0f },
        { "Mul", Sub, 3f, 0f }, { "Mul", -Sub, 1e10f, -0f }, { "Mul", 1e-40f, 1e10f, 0f },
        // Mul: underflow boundary
        { "Mul", MinN, 1f, MinN }, { "Mul", MinN, 0.5f, 0f }, { "Mul", -MinN, 0.75f, -0f }, { "Mul", 1e-20f, -1e-20f, -0f },
        { "Mul", MinN, 1.5f, BitConverter.Int32BitsToSingle(0x00C00000) },
        // Mul: overflow boundary
        { "Mul", Max, 1f, Max }, { "Mul", Max, 2f, Inf }, { "Mul", -Max, 2f, -Inf }, { "Mul", 1e20f, 1e20f, Inf },
        { "Mul", 1.7014118e38f, 1.9999999f, Max },
        // Mul: infinities and NaN
        { "Mul", Inf, 2f, Inf }, { "Mul", Inf, -2f, -Inf }, { "Mul", -Inf, -Inf, Inf }, { "Mul", Inf, MinN, Inf },
        { "Mul", Inf, 0f, NaN }, { "Mul", -0f, -Inf, NaN }, { "Mul", Inf, Sub, NaN },
        { "Mul", NaN, 1f, NaN }, { "Mul", 1f, NaN, NaN }, { "Mul", NaN, 0f, NaN }, { "Mul", Inf, NaN, NaN },

        // Div: zeros, infinities, NaN
        { "Div", 0f, 3f, 0f }, { "Div", -0f, 3f, -0f }, { "Div", Sub, 3f, 0f }, { "Div", 0f, Inf, 0f },
        { "Div", 3f, 0f, Inf }, { "Div", -3f, 0f, -Inf }, { "Div", 3f, -0f, -Inf }, { "Div", 3f, Sub, Inf }, { "Div", Inf, 0f, Inf },
        { "Div", 0f, 0f, NaN }, { "Div", Sub, -0f, NaN }, { "Div", Inf, Inf, NaN }, { "Div", -Inf, Inf, NaN },
        { "Div", Inf, 3f, Inf }, { "Div", -Inf, 3f, -Inf }, { "Div", 3f, Inf, 0f }, { "Div", -3f, Inf, -0f },
        { "Div", NaN, 1f, NaN }, { "Div", 1f, NaN, NaN }, { "Div", NaN, 0f, NaN },
        // Div: underflow and overflow boundaries
        { "Div", MinN, 1f, MinN }, { "Div", MinN, 2f, 0f }, { "Div", -MinN, 1.5f, -0f }, { "Div", 1e-30f, 1e30f, 0f },
        { "Div", Max, 1f, Max }, { "Div", Max, 0.5f, Inf }, { "Div", 1e30f, -1e-30f, -Inf },

        // Exp2 (second operand unused)
        { "Exp2", 0f, 0f, 1f }, { "Exp2", -0f, 0f, 1f }, { "Exp2", Sub, 0f, 1f }, { "Exp2", -Sub, 0f, 1f },
        { "Exp2", -Inf, 0f, 0f }, { "Exp2", Inf, 0f, Inf }, { "Exp2", NaN, 0f, NaN },
        { "Exp2", -126f, 0f, MinN }, { "Exp2", -126.00001f, 0f, 0f }, { "Exp2", -127f, 0f, 0f }, { "Exp2", -1e9f, 0f, 0f },
        { "Exp2", 128f, 0f, Inf }, { "Exp2", 127.99999f, 0f, BitConverter.Int32BitsToSingle(0x7F7FFFC0) }, { "Exp2", 1e9f, 0f, Inf },
        { "Exp2", 127f, 0f, 1.7014118e38f },

        // Log2
        { "Log2", 0f, 0f, -Inf }, { "Log2", -0f, 0f, -Inf }, { "Log2", Sub, 0f, -Inf }, { "Log2", Inf, 0f, Inf },
        { "Log2", -Inf, 0f, Inf }, { "Log2", NaN, 0f, NaN }, { "Log2", 1f, 0f, 0f }, { "Log2", -1f, 0f, 0f },
        { "Log2", MinN, 0f, -126f }, { "Log2", Max, 0f, 128f }, { "Log2", 0.5f, 0f, -1f }, { "Log2", -8f, 0f, 3f },

        // Exp = Exp2(Mul(x, log2 e))
        { "Exp", 0f, 0f, 1f }, { "Exp", -Inf, 0f, 0f }, { "Exp", Inf, 0f, Inf }, { "Exp", NaN, 0f, NaN },
        { "Exp", 1000f, 0f, Inf }, { "Exp", -1000f, 0f, 0f }, { "Exp", Sub, 0f, 1f },
        // Log = Div(Log2(x), log2 e)
        { "Log", 1f, 0f, 0f }, { "Log", 0f, 0f, -Inf }, { "Log", Sub, 0f, -Inf }, { "Log", Inf, 0f, Inf }, { "Log", NaN, 0f, NaN },

        // Pow = Exp2(Mul(Log2(x), y)); Pow(0, y) = 0
        { "Pow", 0f, 2f, 0f }, { "Pow", 0f, -2f, 0f }, { "Pow", 0f, 0f, 0f }, { "Pow", -0f, 3f, 0f }, { "Pow", Sub, -1f, 0f },
        { "Pow", 2f, 3f, 8f }, { "Pow", 4f, 0.5f, 2f }, { "Pow", 7f, 0f, 1f }, { "Pow", 2f, 200f, Inf }, { "Pow", 2f, -200f, 0f },
        { "Pow", Inf, 1f, Inf }, { "Pow", Inf, -1f, 0f }, { "Pow", Inf, 0f, NaN },
        { "Pow", NaN, 1f, NaN }, { "Pow", 1f, NaN, NaN }, { "Pow", 0f, NaN, NaN },

        // Sqrt = Exp2(Log2(x)·2^-1)
        { "Sqrt", 0f, 0f, 0f }, { "Sqrt", -0f, 0f, 0f }, { "Sqrt", Sub, 0f, 0f }, { "Sqrt", Inf, 0f, Inf }, { "Sqrt", NaN, 0f, NaN },
        { "Sqrt", 4f, 0f, 2f }, { "Sqrt", 0.25f, 0f, 0.5f }, { "Sqrt", -4f, 0f, 2f }, { "Sqrt", Max, 0f, 1.8446744e19f },
        { "Sqrt", MinN, 0f, BitConverter.Int32BitsToSingle(0x20000000) },   // Log2 = −126, halved −63: 2^-63
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Scalar_and_vector_forms_follow_the_edge_rules(string op, float a, float b, float expected)
    {
        int expectedBits = TestInputs.Bits(expected);
        float scalar = Scalar(op, a, b);
        Assert.True(TestInputs.Bits(scalar) == expectedBits,
            $"{op}({TestInputs.Describe(a)}, {TestInputs.Describe(b)}) = {TestInputs.Describe(scalar)}, expected {TestInputs.Describe(expected)}");
        if (op == "Pow") return;   // Pow has no vector form

        Vector512<float> v512 = Wide512(op, Vector512.Create(a), Vector512.Create(b));
        Vector256<float> v256 = Wide256(op, Vector256.Create(a), Vector256.Create(b));
        for (int lane = 0; lane < Vector512<float>.Count; lane++)
            Assert.True(TestInputs.Bits(v512[lane]) == expectedBits, $"Vector512 {op}({a:R}, {b:R}) lane {lane} = {TestInputs.Describe(v512[lane])}");
        for (int lane = 0; lane < Vector256<float>.Count; lane++)
            Assert.True(TestInputs.Bits(v256[lane]) == expectedBits, $"Vector256 {op}({a:R}, {b:R}) lane {lane} = {TestInputs.Describe(v256[lane])}");
    }

    [Fact]
    public void Ieee_product_is_never_used_to_decide_an_edge_the_paper_code_got_wrong()
    {
        // The released CUDA code computes a*b to decide the cases: PAM(1e-40, 1e10) gave 5.9e-29 and ∞ cases NaN.
        Assert.Equal(0f, Pam.Mul(1e-40f, 1e10f));
        Assert.Equal(Inf, Pam.Mul(1e30f, 1e30f));
        Assert.Equal(-Inf, Pam.Div(-1e30f, 1e-30f));
    }

    private static float Scalar(string op, float a, float b) => op switch
    {
        "Mul" => Pam.Mul(a, b),
        "Div" => Pam.Div(a, b),
        "Exp2" => Pam.Exp2(a),
        "Log2" => Pam.Log2(a),
        "Exp" => Pam.Exp(a),
        "Log" => Pam.Log(a),
        "Pow" => Pam.Pow(a, b),
        "Sqrt" => Pam.Sqrt(a),
        _ => throw new ArgumentException(op),
    };

    private static Vector512<float> Wide512(string op, Vector512<float> a, Vector512<float> b) => op switch
    {
        "Mul" => PamArithmetic<PamDefaults>.Mul(a, b),
        "Div" => PamArithmetic<PamDefaults>.Div(a, b),
        "Exp2" => PamArithmetic<PamDefaults>.Exp2(a),
        "Log2" => PamArithmetic<PamDefaults>.Log2(a),
        "Exp" => PamArithmetic<PamDefaults>.Exp(a),
        "Log" => PamArithmetic<PamDefaults>.Log(a),
        "Sqrt" => PamArithmetic<PamDefaults>.Sqrt(a),
        _ => throw new ArgumentException(op),
    };

    private static Vector256<float> Wide256(string op, Vector256<float> a, Vector256<float> b) => op switch
    {
        "Mul" => PamArithmetic<PamDefaults>.Mul(a, b),
        "Div" => PamArithmetic<PamDefaults>.Div(a, b),
        "Exp2" => PamArithmetic<PamDefaults>.Exp2(a),
        "Log2" => PamArithmetic<PamDefaults>.Log2(a),
        "Exp" => PamArithmetic<PamDefaults>.Exp(a),
        "Log" => PamArithmetic<PamDefaults>.Log(a),
        "Sqrt" => PamArithmetic<PamDefaults>.Sqrt(a),
        _ => throw new ArgumentException(op),
    };
}
