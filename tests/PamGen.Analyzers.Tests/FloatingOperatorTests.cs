using System.Threading.Tasks;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>PAM0100: <c>*</c>, <c>/</c>, <c>*=</c>, <c>/=</c> on floating-point scalars.</summary>
public class FloatingOperatorTests
{
    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    [InlineData("System.Half")]
    [InlineData("decimal")]
    [InlineData("System.Runtime.InteropServices.NFloat")]
    [InlineData("System.Numerics.Complex")]
    [InlineData("float?")]
    public Task Every_operator_on_every_floating_type_is_flagged(string type) => AnalyzerTest.VerifyAsync($$"""
        using PamGen;
        class C
        {
            [MultiplicationFree]
            void F({{type}} a, {{type}} b)
            {
                var p = {|PAM0100:a * b|};
                var q = {|PAM0100:a / b|};
                {|PAM0100:a *= b|};
                {|PAM0100:a /= b|};
                var s = a + b - a;
            }
        }
        """);

    [Fact]
    public Task Mixed_float_and_integer_operands_are_flagged() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        class C
        {
            [MultiplicationFree]
            void F(float x, int n)
            {
                var a = {|PAM0100:x * n|};
                var b = {|PAM0100:n / x|};
                var c = {|PAM0100:x * 2|};
                {|PAM0100:x *= n|};
            }
        }
        """);

    [Theory]
    [InlineData("int")]
    [InlineData("long")]
    [InlineData("uint")]
    [InlineData("byte")]
    [InlineData("nint")]
    [InlineData("System.Numerics.BigInteger")]
    [InlineData("System.Int128")]
    public Task Integer_arithmetic_is_never_flagged(string type) => AnalyzerTest.VerifyAsync($$"""
        using PamGen;
        [assembly: MultiplicationFree]
        class C
        {
            void F({{type}} a, {{type}} b)
            {
                var p = a * b;
                var q = a / b;
                a *= b;
                a /= b;
            }
        }
        """);

    [Fact]
    public Task Unmarked_code_and_constants_are_not_flagged() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        class C
        {
            float F(float a, float b) => a * b / a;

            [MultiplicationFree]
            float G(float a)
            {
                const float Scale = 2f * 3f / 4f;   // folded by the compiler: no run-time multiply
                return a + Scale;
            }
        }
        """);

    [Fact]
    public Task Generic_math_is_flagged_only_for_floating_point_type_parameters() => AnalyzerTest.VerifyAsync("""
        using System.Numerics;
        using PamGen;
        [MultiplicationFree]
        static class C
        {
            static T Float<T>(T a, T b) where T : IFloatingPointIeee754<T> => {|PAM0100:a * b|};
            static T Number<T>(T a, T b) where T : INumber<T> => a * b;
            static T Integer<T>(T a, T b) where T : IBinaryInteger<T> => a / b;
        }
        """);

    [Fact]
    public Task User_defined_operators_are_flagged_when_their_type_holds_floats() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        readonly struct Pair
        {
            public readonly float X, Y;
            public Pair(float x, float y) { X = x; Y = y; }
            public static Pair operator *(Pair a, Pair b) => new(a.X * b.X, a.Y * b.Y);
        }
        readonly struct Fixed
        {
            public readonly int Raw;
            public Fixed(int raw) { Raw = raw; }
            public static Fixed operator *(Fixed a, Fixed b) => new((a.Raw * b.Raw) >> 16);
        }
        readonly struct Checked
        {
            public readonly float X;
            public Checked(float x) { X = x; }
            [MultiplicationFree]
            public static Checked operator *(Checked a, Checked b) => new(Pam.Mul(a.X, b.X));
        }
        class C
        {
            [MultiplicationFree]
            void F(Pair p, Fixed f, Checked c, System.TimeSpan t)
            {
                var a = {|PAM0100:p * p|};
                var b = f * f;
                var d = c * c;
                var e = {|PAM0100:t * 1.5|};
            }
        }
        """);
}
