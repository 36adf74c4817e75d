namespace PamGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Minimal stand-ins for PamGen.Runtime types, added to test compilations as source: the tests do not
/// reference the runtime (it is net10.0 with its own analyzer wiring), and only the metadata names matter
/// to the rules. Bodies do nothing interesting; code-fix outputs only have to compile against them.
/// </summary>
internal static class PamStubs
{
    public const string Source = """
        namespace PamGen
        {
            using System.Runtime.Intrinsics;

            public static class Pam
            {
                public static float Mul(float a, float b) => a;
                public static float Div(float a, float b) => a;
                public static float Exp(float x) => x;
                public static float Exp2(float x) => x;
                public static float Log(float x) => x;
                public static float Log2(float x) => x;
                public static float Pow(float x, float y) => x;
                public static float Sqrt(float x) => x;
                public static void Mul(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.Span<float> destination) { }
                public static void Mul(System.ReadOnlySpan<float> x, float y, System.Span<float> destination) { }
                public static void Div(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.Span<float> destination) { }
                public static void Div(System.ReadOnlySpan<float> x, float y, System.Span<float> destination) { }
                public static void Exp(System.ReadOnlySpan<float> x, System.Span<float> destination) { }
                public static void Exp2(System.ReadOnlySpan<float> x, System.Span<float> destination) { }
                public static void Log(System.ReadOnlySpan<float> x, System.Span<float> destination) { }
                public static void Log2(System.ReadOnlySpan<float> x, System.Span<float> destination) { }
                public static void Sqrt(System.ReadOnlySpan<float> x, System.Span<float> destination) { }
            }

            public interface IArithmetic
            {
                static abstract float Mul(float a, float b);
            }

            public readonly struct IeeeArithmetic : IArithmetic
            {
                public static float Mul(float a, float b) => a;
            }

            public readonly struct PamDefaults { }

            public readonly struct PamArithmetic<TOptions> : IArithmetic where TOptions : struct
            {
                public static float Mul(float a, float b) => a;
                public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a;
                public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a;
                public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a;
                public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a;
            }

            public static class Gemm
            {
                public static float Dot<TArith>(float a, float b) where TArith : struct, IArithmetic => TArith.Mul(a, b);
            }
        }
        """;
}
