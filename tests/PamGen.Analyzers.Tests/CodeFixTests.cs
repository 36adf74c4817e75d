using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>
/// The Pam replacement fix: operators, compound forms, known calls and vector operands; trivia kept; the
/// testing library also applies Fix All in document, project and solution scope to each case.
/// </summary>
public class CodeFixTests
{
    [Fact]
    public Task Multiply_and_divide_become_pam_calls_with_a_using() => CodeFixTest.VerifyAsync(
        """
        class C
        {
            [PamGen.MultiplicationFree]
            float F(float a, float b) => {|PAM0100:a * b|} + {|PAM0100:a / b|};
        }
        """,
        """
        using PamGen;

        class C
        {
            [PamGen.MultiplicationFree]
            float F(float a, float b) => Pam.Mul(a, b) + Pam.Div(a, b);
        }
        """);

    [Fact]
    public Task Nested_products_parentheses_and_comments_are_handled() => CodeFixTest.VerifyAsync(
        """
        using PamGen;

        class C
        {
            [MultiplicationFree]
            float F(float a, float b, float c)
            {
                var x = /* keep */ {|PAM0100:{|PAM0100:a * b|} * c|}; // trailing
                var y = {|PAM0100:(a + b) / c|};
                return {|PAM0100:x * 2|} + y;
            }
        }
        """,
        """
        using PamGen;

        class C
        {
            [MultiplicationFree]
            float F(float a, float b, float c)
            {
                var x = /* keep */ Pam.Mul(Pam.Mul(a, b), c); // trailing
                var y = Pam.Div(a + b, c);
                return Pam.Mul(x, 2) + y;
            }
        }
        """);

    [Fact]
    public Task Compound_assignments_become_assignments_of_pam_calls() => CodeFixTest.VerifyAsync(
        """
        using PamGen;

        class C
        {
            float _scale;
            [MultiplicationFree]
            void F(float[] v, int i, float g)
            {
                {|PAM0100:v[i] *= g|};
                {|PAM0100:_scale /= 2f|};
                {|PAM0100:this._scale *= g|};
            }
        }
        """,
        """
        using PamGen;

        class C
        {
            float _scale;
            [MultiplicationFree]
            void F(float[] v, int i, float g)
            {
                v[i] = Pam.Mul(v[i], g);
                _scale = Pam.Div(_scale, 2f);
                this._scale = Pam.Mul(this._scale, g);
            }
        }
        """);

    [Fact]
    public Task Known_calls_become_their_pam_equivalents() => CodeFixTest.VerifyAsync(
        """
        using System;
        using PamGen;

        class C
        {
            [MultiplicationFree]
            float F(float x) =>
                {|PAM0102:MathF.Exp(x)|} + {|PAM0102:MathF.Log(x)|} + {|PAM0102:MathF.Log2(x)|}
                + {|PAM0102:MathF.Pow(x, 0.5f)|} + {|PAM0102:MathF.Sqrt(x)|} + {|PAM0102:float.Exp2(x)|};
        }
        """,
        """
        using System;
        using PamGen;

        class C
        {
            [MultiplicationFree]
            float F(float x) =>
                Pam.Exp(x) + Pam.Log(x) + Pam.Log2(x)
                + Pam.Pow(x, 0.5f) + Pam.Sqrt(x) + Pam.Exp2(x);
        }
        """);

    [Fact]
    public Task Tensor_primitives_over_float_spans_become_pam_span_kernels() => CodeFixTest.VerifyAsync(
        """
        using System.Numerics.Tensors;
        using PamGen;

        class C
        {
            [MultiplicationFree]
            void F(float[] x, float[] y, float[] d, double[] e)
            {
                {|PAM0102:TensorPrimitives.Multiply(x, y, d)|};
                {|PAM0102:TensorPrimitives.Multiply<float>(x, 0.5f, d)|};
                {|PAM0102:TensorPrimitives.Divide(x, y, d)|};
                {|PAM0102:TensorPrimitives.Exp(x, d)|};
                {|PAM0102:TensorPrimitives.Log2(x, d)|};
                {|PAM0102:TensorPrimitives.Sqrt(x, d)|};
                {|PAM0102:TensorPrimitives.Multiply(e, e, e)|}; // double: no PAM form, left as is
                {|PAM0102:TensorPrimitives.Sigmoid(x, d)|};     // no Pam kernel, left as is
            }
        }
        """,
        """
        using System.Numerics.Tensors;
        using PamGen;

        class C
        {
            [MultiplicationFree]
            void F(float[] x, float[] y, float[] d, double[] e)
            {
                Pam.Mul(x, y, d);
                Pam.Mul(x, 0.5f, d);
                Pam.Div(x, y, d);
                Pam.Exp(x, d);
                Pam.Log2(x, d);
                Pam.Sqrt(x, d);
                {|PAM0102:TensorPrimitives.Multiply(e, e, e)|}; // double: no PAM form, left as is
                {|PAM0102:TensorPrimitives.Sigmoid(x, d)|};     // no Pam kernel, left as is
            }
        }
        """);

    [Fact]
    public Task Vector256_and_Vector512_operands_become_the_pam_mode_vector_operations() => CodeFixTest.VerifyAsync(
        """
        using System.Runtime.Intrinsics;
        using PamGen;

        class C
        {
            [MultiplicationFree]
            Vector256<float> F(Vector256<float> a, Vector512<float> b, float[] d)
            {
                var w = {|PAM0101:b / b|};
                return {|PAM0101:a * a|};
            }
        }
        """,
        """
        using System.Runtime.Intrinsics;
        using PamGen;

        class C
        {
            [MultiplicationFree]
            Vector256<float> F(Vector256<float> a, Vector512<float> b, float[] d)
            {
                var w = PamArithmetic<PamDefaults>.Div(b, b);
                return PamArithmetic<PamDefaults>.Mul(a, a);
            }
        }
        """);

    [Fact]
    public Task No_fix_is_offered_for_double_side_effecting_targets_or_unknown_calls()
    {
        // Double code has no float32 PAM form without a deliberate precision decision; a[i++] *= g cannot be
        // repeated; MathF.Sin and Vector128 have no Pam equivalent. The fixed state equals the input.
        const string source = """
            using System;
            using System.Runtime.Intrinsics;
            using PamGen;

            class C
            {
                [MultiplicationFree]
                double F(double a, float[] v, int i, float g, Vector128<float> q)
                {
                    {|PAM0100:v[i++] *= g|};
                    var s = {|PAM0102:MathF.Sin(g)|} + {|PAM0102:Math.Exp(a)|};
                    var r = {|PAM0101:q * q|};
                    return {|PAM0100:a * a|};
                }
            }
            """;
        return CodeFixTest.VerifyAsync(source, source);
    }

    [Fact]
    public Task Fix_all_in_project_and_solution_rewrites_every_document()
    {
        var test = new CodeFixTest();
        test.TestState.Sources.Add(("/0/A.cs", SourceText.From("""
            [assembly: PamGen.MultiplicationFree]
            class A { float F(float x) => {|PAM0100:x * x|}; }
            """)));
        test.TestState.Sources.Add(("/0/B.cs", SourceText.From("""
            class B
            {
                float G(float x) => {|PAM0100:x / x|} - {|PAM0100:x * x|};
            }
            """)));
        test.FixedState.Sources.Add(("/0/A.cs", SourceText.From("""
            using PamGen;

            [assembly: PamGen.MultiplicationFree]
            class A { float F(float x) => Pam.Mul(x, x); }
            """)));
        test.FixedState.Sources.Add(("/0/B.cs", SourceText.From("""
            using PamGen;

            class B
            {
                float G(float x) => Pam.Div(x, x) - Pam.Mul(x, x);
            }
            """)));
        return test.RunAsync();
    }
}
