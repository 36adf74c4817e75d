using System.Threading.Tasks;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>PAM0102: calls of framework APIs that multiply or divide in floating point.</summary>
public class MultiplyingCallTests
{
    [Theory]
    [InlineData("MathF.Exp(x)")]
    [InlineData("MathF.Log(x)")]
    [InlineData("MathF.Log2(x)")]
    [InlineData("MathF.Log(x, 3f)")]
    [InlineData("MathF.Pow(x, x)")]
    [InlineData("MathF.Sqrt(x)")]
    [InlineData("MathF.Sin(x)")]
    [InlineData("MathF.Tanh(x)")]
    [InlineData("MathF.Atan2(x, x)")]
    [InlineData("MathF.Cbrt(x)")]
    [InlineData("MathF.FusedMultiplyAdd(x, x, x)")]
    [InlineData("MathF.ScaleB(x, 3)")]
    [InlineData("MathF.ReciprocalEstimate(x)")]
    [InlineData("MathF.IEEERemainder(x, x)")]
    [InlineData("MathF.Round(x, 2)")]
    [InlineData("(float)Math.Exp(x)")]
    [InlineData("(float)Math.Sqrt(x)")]
    [InlineData("(float)Math.Pow(x, 2)")]
    [InlineData("(float)Math.FusedMultiplyAdd(x, x, x)")]
    [InlineData("(float)Math.Round(1.5, 1)")]
    [InlineData("float.Exp2(x)")]
    [InlineData("float.Hypot(x, x)")]
    [InlineData("float.Lerp(x, x, x)")]
    [InlineData("(float)double.Exp10(x)")]
    [InlineData("(float)System.Half.Sqrt((System.Half)x)")]
    public Task Scalar_math_that_multiplies_is_flagged(string call) => AnalyzerTest.VerifyAsync($$"""
        using System;
        using PamGen;
        class C
        {
            [MultiplicationFree]
            float F(float x) => {|PAM0102:{{call}}|};
        }
        """.Replace("{|PAM0102:(float)", "(float){|PAM0102:"));

    [Theory]
    [InlineData("MathF.Abs(x)")]
    [InlineData("MathF.Min(x, x)")]
    [InlineData("MathF.Max(x, x)")]
    [InlineData("Math.Clamp(x, 0f, 1f)")]
    [InlineData("MathF.Floor(x)")]
    [InlineData("MathF.Ceiling(x)")]
    [InlineData("MathF.Round(x)")]
    [InlineData("MathF.Round(x, MidpointRounding.AwayFromZero)")]
    [InlineData("MathF.Sign(x)")]
    [InlineData("MathF.Truncate(x)")]
    [InlineData("MathF.CopySign(x, x)")]
    [InlineData("MathF.MaxMagnitude(x, x)")]
    [InlineData("BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) + 1)")]
    [InlineData("x.CompareTo(x)")]
    [InlineData("float.IsNaN(x) ? 0f : x")]
    [InlineData("Convert.ToSingle(Convert.ToInt32(x))")]
    [InlineData("Math.BigMul(3, 4)")]
    [InlineData("Math.Abs(-3)")]
    public Task Allowlisted_members_are_never_flagged(string call) => AnalyzerTest.VerifyAsync($$"""
        using System;
        using PamGen;
        class C
        {
            [MultiplicationFree]
            float F(float x) => (float)({{call}});
        }
        """);

    [Theory]
    [InlineData("Vector128.Multiply(a, a)")]
    [InlineData("Vector128.Divide(a, a)")]
    [InlineData("Vector128.Sqrt(a)")]
    [InlineData("Vector128.FusedMultiplyAdd(a, a, a)")]
    [InlineData("Vector128.Create(Vector128.Dot(a, a))")]
    [InlineData("Vector128.Exp(a)")]
    [InlineData("Sse.Multiply(a, a)")]
    [InlineData("Sse.Divide(a, a)")]
    [InlineData("Sse.Sqrt(a)")]
    [InlineData("Sse.Reciprocal(a)")]
    [InlineData("Sse.ReciprocalSqrt(a)")]
    [InlineData("Sse41.DotProduct(a, a, 0xFF)")]
    [InlineData("Fma.MultiplyAdd(a, a, a)")]
    [InlineData("Sse.MultiplyScalar(a, a)")]
    [InlineData("AdvSimd.Multiply(a, a)")]
    public Task Vector_and_intrinsic_multiplies_are_flagged(string call) => AnalyzerTest.VerifyAsync($$"""
        using System.Runtime.Intrinsics;
        using System.Runtime.Intrinsics.Arm;
        using System.Runtime.Intrinsics.X86;
        using PamGen;
        class C
        {
            [MultiplicationFree]
            Vector128<float> F(Vector128<float> a) => {|PAM0102:{{call}}|};
        }
        """.Replace("{|PAM0102:Vector128.Create(", "Vector128.Create({|PAM0102:").Replace("a))|}", "a)|})"));

    [Fact]
    public Task Wider_vectors_and_system_numerics_are_flagged() => AnalyzerTest.VerifyAsync("""
        using System.Numerics;
        using System.Runtime.Intrinsics;
        using System.Runtime.Intrinsics.X86;
        using PamGen;
        [MultiplicationFree]
        class C
        {
            void F(Vector256<float> a, Vector512<double> b, Vector<float> c, Vector3 v, Matrix4x4 m, Quaternion q, Complex z)
            {
                var a1 = {|PAM0102:Vector256.Multiply(a, a)|};
                var a2 = {|PAM0102:Avx.Multiply(a, a)|};
                var a3 = {|PAM0102:Avx.Divide(a, a)|};
                var a4 = {|PAM0102:Fma.MultiplyAddNegated(a, a, a)|};
                var b1 = {|PAM0102:Vector512.Sqrt(b)|};
                var b2 = {|PAM0102:Avx512F.Scale(b, b)|};
                var c1 = {|PAM0102:Vector.Multiply(c, c)|};
                var c2 = {|PAM0102:Vector.Dot(c, c)|};
                var v1 = {|PAM0102:Vector3.Dot(v, v)|};
                var v2 = {|PAM0102:Vector3.Normalize(v)|};
                var v3 = {|PAM0102:v.Length()|};
                var v4 = {|PAM0102:Vector3.Transform(v, m)|};
                var m1 = {|PAM0102:Matrix4x4.CreateRotationX(1f)|};
                var m2 = {|PAM0102:Matrix4x4.Multiply(m, m)|};
                var q1 = {|PAM0102:Quaternion.Slerp(q, q, 0.5f)|};
                var z1 = {|PAM0102:Complex.Abs(z)|};
                var z2 = {|PAM0102:Complex.Exp(z)|};
                var ok1 = Vector256.Add(a, a);
                var ok2 = Vector256.Max(a, a);
                var ok3 = Avx.Add(a, a);
                var ok4 = Vector3.Min(v, v);
                var ok5 = Matrix4x4.CreateTranslation(v);
            }
        }
        """);

    [Fact]
    public Task Integer_intrinsics_are_never_flagged() => AnalyzerTest.VerifyAsync("""
        using System.Runtime.Intrinsics;
        using System.Runtime.Intrinsics.X86;
        using PamGen;
        [MultiplicationFree]
        class C
        {
            void F(Vector256<int> a, Vector128<short> s, Vector128<long> l)
            {
                var a1 = Vector256.Multiply(a, a);
                var a2 = Avx2.MultiplyLow(a, a);
                var a3 = Sse2.MultiplyAddAdjacent(s, s);
                var a4 = Vector128.Divide(l, l);
            }
        }
        """);

    [Fact]
    public Task Tensor_primitives_that_multiply_are_flagged() => AnalyzerTest.VerifyAsync("""
        using System;
        using System.Numerics.Tensors;
        using PamGen;
        [MultiplicationFree]
        class C
        {
            void F(float[] x, float[] y, float[] d, int[] i, int[] j)
            {
                {|PAM0102:TensorPrimitives.Multiply(x, y, d)|};
                {|PAM0102:TensorPrimitives.Multiply<float>(x, 2f, d)|};
                {|PAM0102:TensorPrimitives.Divide(x, y, d)|};
                {|PAM0102:TensorPrimitives.MultiplyAdd(x, y, d, d)|};
                {|PAM0102:TensorPrimitives.FusedMultiplyAdd(x, y, d, d)|};
                {|PAM0102:TensorPrimitives.Exp(x, d)|};
                {|PAM0102:TensorPrimitives.SoftMax(x, d)|};
                {|PAM0102:TensorPrimitives.Sigmoid(x, d)|};
                var dot = {|PAM0102:TensorPrimitives.Dot(x, y)|};
                var norm = {|PAM0102:TensorPrimitives.Norm(x)|};
                var sim = {|PAM0102:TensorPrimitives.CosineSimilarity(x, y)|};
                TensorPrimitives.Add(x, y, d);
                TensorPrimitives.Subtract(x, y, d);
                TensorPrimitives.Max(x, y, d);
                var sum = TensorPrimitives.Sum(x);
                TensorPrimitives.Multiply<int>(i, j, i);
            }
        }
        """);

    [Fact]
    public Task Linq_average_is_flagged_even_over_integers() => AnalyzerTest.VerifyAsync("""
        using System.Linq;
        using PamGen;
        [MultiplicationFree]
        class C
        {
            void F(float[] x, int[] i)
            {
                var a = {|PAM0102:x.Average()|};
                var b = {|PAM0102:i.Average()|};
                var c = {|PAM0102:Enumerable.Average(x, v => v + 1f)|};
                var d = (from v in x select {|PAM0100:v * 2f|}).Sum();
                var e = x.Sum() + x.Max() - x.Min();
                var f = x.Select(v => {|PAM0102:System.MathF.Exp(v)|}).ToArray();
            }
        }
        """);

    [Fact]
    public Task Ieee_mode_and_ieee_instantiations_of_verified_code_are_flagged() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        [MultiplicationFree]
        class C
        {
            float F(float a) => {|PAM0102:IeeeArithmetic.Mul(a, a)|} + {|PAM0102:Gemm.Dot<IeeeArithmetic>(a, a)|};
            float G<TArith>(float a) where TArith : struct, IArithmetic =>
                TArith.Mul(a, a) + Gemm.Dot<TArith>(a, a) + Gemm.Dot<PamArithmetic<PamDefaults>>(a, a) + Pam.Exp(a);
        }
        """);
}
