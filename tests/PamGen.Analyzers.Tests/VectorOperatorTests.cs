using System.Threading.Tasks;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>PAM0101: <c>*</c>, <c>/</c>, <c>*=</c>, <c>/=</c> on vectors and matrices of floating-point elements.</summary>
public class VectorOperatorTests
{
    [Theory]
    [InlineData("System.Numerics.Vector<float>")]
    [InlineData("System.Numerics.Vector<double>")]
    [InlineData("System.Runtime.Intrinsics.Vector64<float>")]
    [InlineData("System.Runtime.Intrinsics.Vector128<float>")]
    [InlineData("System.Runtime.Intrinsics.Vector128<double>")]
    [InlineData("System.Runtime.Intrinsics.Vector256<float>")]
    [InlineData("System.Runtime.Intrinsics.Vector512<float>")]
    [InlineData("System.Numerics.Vector2")]
    [InlineData("System.Numerics.Vector3")]
    [InlineData("System.Numerics.Vector4")]
    [InlineData("System.Numerics.Quaternion")]
    public Task Every_operator_on_floating_vectors_is_flagged(string type) => AnalyzerTest.VerifyAsync($$"""
        using PamGen;
        class C
        {
            [MultiplicationFree]
            void F({{type}} a, {{type}} b)
            {
                var p = {|PAM0101:a * b|};
                var q = {|PAM0101:a / b|};
                {|PAM0101:a *= b|};
                {|PAM0101:a /= b|};
                var s = a + b - a;
            }
        }
        """);

    [Fact]
    public Task Vector_by_scalar_and_matrices_are_flagged() => AnalyzerTest.VerifyAsync("""
        using System.Numerics;
        using System.Runtime.Intrinsics;
        using PamGen;
        class C
        {
            [MultiplicationFree]
            void F(Vector256<float> v, float s, Matrix4x4 m, Matrix3x2 n, Vector4 w)
            {
                var a = {|PAM0101:v * s|};
                var b = {|PAM0101:v / s|};
                var c = {|PAM0101:m * m|};
                var d = {|PAM0101:n * n|};
                var e = {|PAM0101:m * 2f|};
                var f = {|PAM0101:w * 0.5f|};
            }
        }
        """);

    [Theory]
    [InlineData("System.Numerics.Vector<int>")]
    [InlineData("System.Runtime.Intrinsics.Vector128<int>")]
    [InlineData("System.Runtime.Intrinsics.Vector256<short>")]
    [InlineData("System.Runtime.Intrinsics.Vector512<uint>")]
    public Task Integer_vectors_are_never_flagged(string type) => AnalyzerTest.VerifyAsync($$"""
        using PamGen;
        [assembly: MultiplicationFree]
        class C
        {
            void F({{type}} a, {{type}} b)
            {
                var p = a * b;
                var q = a / b;
                a *= b;
            }
        }
        """);

    [Fact]
    public Task Vector_operators_outside_scope_are_not_flagged() => AnalyzerTest.VerifyAsync("""
        using System.Runtime.Intrinsics;
        class C
        {
            Vector256<float> F(Vector256<float> a, Vector256<float> b) => a * b / a;
        }
        """);
}
