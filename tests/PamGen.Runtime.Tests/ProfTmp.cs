using System;
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;
using I = PamGen.IeeeArithmetic;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;
namespace PamGen.Tests;
public class ProfTmp
{
    private readonly ITestOutputHelper _o;
    public ProfTmp(ITestOutputHelper o) => _o = o;
    double T(Action a) { a(); var sw = Stopwatch.StartNew(); for (int i = 0; i < 3; i++) a(); return sw.Elapsed.TotalMilliseconds / 3; }
    [Fact]
    public void Prof()
    {
        const int B = 16, Tn = 128, C = 256, H = 4, F = 1024, N = B * Tn;
        var x = GradCheck.Random(N * C, 1); var w = GradCheck.Random(C * C, 2); var w2 = GradCheck.Random(F * C, 3); var bias = new float[F];
        var y = new float[N * C]; var yf = new float[N * F]; var xf = GradCheck.Random(N * F, 4);
        var dx = new float[N * C]; var dw = new float[C * C]; var db = new float[C]; var dw2 = new float[F * C]; var dbf = new float[F];
        var probs = new float[B * H * Tn * Tn]; var scratch = new float[Attention.ScratchSize(Tn, Tn, C / H)];
        var mean = new float[N]; var std = new float[N]; var gam = GradCheck.Random(C, 5);
        _o.WriteLine($"linear CxC fwd I {T(() => Linear.Forward<I>(y, x, w, bias.AsSpan(0, C), N, C, C)):F1} P {T(() => Linear.Forward<P>(y, x, w, bias.AsSpan(0, C), N, C, C)):F1}");
        _o.WriteLine($"linear CxC bwd I {T(() => Linear.Backward<I>(dx, dw, db, y, x, w, N, C, C)):F1} P {T(() => Linear.Backward<P>(dx, dw, db, y, x, w, N, C, C)):F1}");
        _o.WriteLine($"linear C->F fwd I {T(() => Linear.Forward<I>(yf, x, w2, bias, N, C, F)):F1} P {T(() => Linear.Forward<P>(yf, x, w2, bias, N, C, F)):F1}");
        _o.WriteLine($"linear C->F bwd I {T(() => Linear.Backward<I>(dx, dw2, dbf, yf, x, w2, N, C, F)):F1} P {T(() => Linear.Backward<P>(dx, dw2, dbf, yf, x, w2, N, C, F)):F1}");
        _o.WriteLine($"attn fwd I {T(() => Attention.Forward<I, I>(y, probs, scratch, x, x, x, default, B, Tn, Tn, C, H, false)):F1} P {T(() => Attention.Forward<P, P>(y, probs, scratch, x, x, x, default, B, Tn, Tn, C, H, false)):F1}");
        _o.WriteLine($"attn bwd I {T(() => Attention.Backward<I, I>(dx, dx, dx, scratch, y, probs, x, x, x, B, Tn, Tn, C, H)):F1} P {T(() => Attention.Backward<P, P>(dx, dx, dx, scratch, y, probs, x, x, x, B, Tn, Tn, C, H)):F1}");
        _o.WriteLine($"ln fwd I {T(() => LayerNorm.Forward<I>(y, mean, std, x, gam, gam, N, C)):F1} P {T(() => LayerNorm.Forward<P>(y, mean, std, x, gam, gam, N, C)):F1}");
        _o.WriteLine($"ln bwd I {T(() => LayerNorm.Backward<I>(dx, db, db, y, x, gam, mean, std, N, C)):F1} P {T(() => LayerNorm.Backward<P>(dx, db, db, y, x, gam, mean, std, N, C)):F1}");
        _o.WriteLine($"gelu fwd I {T(() => Gelu.Forward<I>(yf, xf)):F1} P {T(() => Gelu.Forward<P>(yf, xf)):F1}");
        _o.WriteLine($"gelu bwd I {T(() => Gelu.Backward<I>(yf, xf, xf)):F1} P {T(() => Gelu.Backward<P>(yf, xf, xf)):F1}");
        _o.WriteLine($"dropout fwd I {T(() => Dropout.Forward<I>(y, x, 0.1f, 3)):F1} P {T(() => Dropout.Forward<P>(y, x, 0.1f, 3)):F1}");
        _o.WriteLine($"residual fwd {T(() => Residual.Forward(y, x, x)):F1}");
        var p = GradCheck.Random(3_400_000, 6); var m = new float[p.Length]; var v = new float[p.Length]; var g = GradCheck.Random(p.Length, 7);
        _o.WriteLine($"adamw I {T(() => AdamW.Update<I>(p, m, v, g, 1e-3f, 1e-5f, new AdamWOptions())):F1} P {T(() => AdamW.Update<P>(p, m, v, g, 1e-3f, 1e-5f, new AdamWOptions())):F1}");
        _o.WriteLine($"zero {T(() => { m.AsSpan().Clear(); }):F1}");
    }
}
