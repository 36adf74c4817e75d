using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PamGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace PamGen.Analyzers.Tests;

/// <summary>PAM0103 (Info): calls from multiplication-free code into unverified float-valued code; severity from .editorconfig.</summary>
public class UnverifiedCallTests
{
    private const string Source = """
        using System;
        using PamGen;
        static class Helpers
        {
            public static float Scale(float x) => x * 3f;
            public static int Count(int n) => n * 2;
            [MultiplicationFree] public static float Checked(float x) => x + x;
        }
        [MultiplicationFree]
        static class Verified
        {
            public static float Twice(float x) => x + x;
        }
        class C
        {
            [MultiplicationFree]
            float F(float x, Func<float, float> f)
            {
                var a = {|#0:Helpers.Scale(x)|};
                var b = Helpers.Count(3);
                var c = Helpers.Checked(x) + Verified.Twice(x);
                var d = Pam.Mul(x, x) + Pam.Exp(x) + Local(x);
                var e = {|#1:f(x)|};
                return a + b + c + d + e;
                static float Local(float v) => v + 1f;
            }
        }
        """;

    [Fact]
    public Task Unverified_float_calls_are_reported_as_info() => Verify(null, DiagnosticSeverity.Info);

    [Fact]
    public Task Editorconfig_raises_the_severity_to_warning() =>
        Verify("dotnet_diagnostic.PAM0103.severity = warning", DiagnosticSeverity.Warning);

    [Fact]
    public Task Editorconfig_raises_the_severity_to_error() =>
        Verify("dotnet_diagnostic.PAM0103.severity = error", DiagnosticSeverity.Error);

    [Fact]
    public Task Editorconfig_can_silence_a_rule() => new AnalyzerTest("""
        using PamGen;
        class C { [MultiplicationFree] float F(float x) => x * x; }
        """)
    {
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.PAM0100.severity = none\n") } },
    }.RunAsync();

    [Fact]
    public Task Function_pointer_calls_with_float_values_are_unverified() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        unsafe class C
        {
            [MultiplicationFree]
            float F(float x, delegate*<float, float> f, delegate*<int, int> g) => {|PAM0103:f(x)|} + g(2);
        }
        """);

    [Fact]
    public Task Mode_generic_calls_through_IArithmetic_are_verified() => AnalyzerTest.VerifyAsync("""
        using PamGen;
        [MultiplicationFree]
        static class Kernel
        {
            static float Dot<TArith>(float[] a, float[] b) where TArith : struct, IArithmetic
            {
                var acc = 0f;
                for (var i = 0; i < a.Length; i++) acc += TArith.Mul(a[i], b[i]);
                return acc + Gemm.Dot<TArith>(a[0], b[0]);
            }
        }
        """);

    private static Task Verify(string? editorconfigLine, DiagnosticSeverity severity)
    {
        var test = new AnalyzerTest(Source);
        if (editorconfigLine is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n[*.cs]\n{editorconfigLine}\n"));
        }
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("PAM0103", severity).WithLocation(0));
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("PAM0103", severity).WithLocation(1));
        return test.RunAsync();
    }
}
