using System.Threading.Tasks;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>Where <c>[MultiplicationFree]</c> applies: assembly, type, nested and partial types, members, lambdas and local functions.</summary>
public class ScopeTests
{
    [Fact]
    public Task Attribute_on_the_assembly_covers_every_type() => AnalyzerTest.VerifyAsync(
        """
        [assembly: PamGen.MultiplicationFree]
        class A { float F(float x) => {|PAM0100:x * x|}; }
        """,
        """
        struct B { float G(float x) => {|PAM0100:x / x|}; }
        """);

    [Fact]
    public Task Attribute_on_a_type_covers_members_nested_types_and_initializers() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        [MultiplicationFree]
        class Outer
        {
            static readonly float Scale = {|PAM0100:Init() * 2f|};
            float P => {|PAM0100:Scale * Scale|};
            Outer() { var x = {|PAM0100:Scale / 3f|}; }
            static float Init() => 1f;
            struct Inner
            {
                float F(float x) => {|PAM0100:x * x|};
                class Deeper { float G(float x) => {|PAM0100:x / x|}; }
            }
        }
        class Sibling { float F(float x) => x * x; }
        """);

    [Fact]
    public Task Attribute_on_one_part_of_a_partial_type_covers_all_parts_in_every_file() => AnalyzerTest.VerifyAsync(
        """
        [PamGen.MultiplicationFree]
        partial class P { float F(float x) => {|PAM0100:x * x|}; }
        """,
        """
        partial class P { float G(float x) => {|PAM0100:x / x|}; }
        """);

    [Fact]
    public Task Attribute_on_a_method_constructor_or_property_covers_only_that_member() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        class C
        {
            float _f;
            [MultiplicationFree] C(float x) { _f = {|PAM0100:x * x|}; }
            C(double x) { _f = (float)(x * x); }
            [MultiplicationFree] float Prop { get => {|PAM0100:_f * _f|}; set => _f = {|PAM0100:value / 2f|}; }
            float Other => _f * _f;
            [MultiplicationFree] float M(float x) => {|PAM0100:x * x|};
            float N(float x) => x * x;
        }
        """);

    [Fact]
    public Task Lambdas_and_local_functions_inside_marked_code_are_checked() => AnalyzerTest.VerifyAsync("""
        using System;
        using PamGen;
        class C
        {
            [MultiplicationFree]
            float F(float x)
            {
                Func<float, float> square = v => {|PAM0100:v * v|};
                Func<float, float> half = delegate (float v) { return {|PAM0100:v / 2f|}; };
                float Cube(float v) => {|PAM0100:{|PAM0100:v * v|} * v|};
                static float Inverse(float v) => {|PAM0100:1f / v|};
                return {|PAM0103:square(x)|} + {|PAM0103:half(x)|} + Cube(x) + Inverse(x);
            }
        }
        """);

    [Fact]
    public Task A_marked_lambda_or_local_function_is_checked_inside_unmarked_code() => AnalyzerTest.VerifyAsync("""
        using System;
        using PamGen;
        class C
        {
            float F(float x)
            {
                var unchecked1 = x * x;
                Func<float, float> square = [MultiplicationFree] (float v) => {|PAM0100:v * v|};
                [MultiplicationFree] float Half(float v) => {|PAM0100:v / 2f|};
                float Free(float v) => v * v;
                return square(x) + Half(x) + Free(x);
            }
        }
        """);
}
