using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The span kernels give the scalar oracle's bits on every path (Vector512, Vector256, scalar — each forced, even
/// where the hardware has the wider one), for lengths 0…70 and a few thousand, on random and edge inputs; and
/// they validate their arguments like TensorPrimitives.
/// </summary>
public class PamSimdPathTests
{
    private static readonly SimdPath[] Paths = { SimdPath.Scalar, SimdPath.Vector256, SimdPath.Vector512, SimdPath.Best };
    private static readonly int[] Lengths = Enumerable.Range(0, 71).Concat(new[] { 1000, 3001, 4099, 70_001 }).ToArray();   // 70 001: non-temporal stores
    private static readonly double[] EdgeFractions = { 0.0, 0.02, 0.3 };   // all ordinary (fast path), rare and frequent edges

    /// <summary>A span kernel as (x, y, destination, k, path) and its scalar oracle.</summary>
    private sealed record Kernel(string Name, Action<float[], float[], float[], int, SimdPath> Run, Func<float, float, int, float> Oracle, bool UsesY);

    private static readonly Dictionary<string, Kernel> Kernels = new Kernel[]
    {
        new("Mul", (x, y, d, k, p) => Pam.Binary<MulOp>(x, y, d, k, p), Pam.Mul, true),
        new("Div", (x, y, d, k, p) => Pam.Binary<DivOp>(x, y, d, k, p), Pam.Div, true),
        new("MulScalar", (x, y, d, k, p) => Pam.BinaryScalar<MulOp>(x, y[0], d, k, p), null!, true),
        new("DivScalar", (x, y, d, k, p) => Pam.BinaryScalar<DivOp>(x, y[0], d, k, p), null!, true),
        new("Exp2", (x, y, d, k, p) => Pam.Unary<Exp2Op>(x, d, k, p), (a, b, k) => Pam.Exp2(a), false),
        new("Log2", (x, y, d, k, p) => Pam.Unary<Log2Op>(x, d, k, p), (a, b, k) => Pam.Log2(a), false),
        new("Exp", (x, y, d, k, p) => Pam.Unary<ExpOp>(x, d, k, p), (a, b, k) => Pam.Exp(a, k), false),
        new("Log", (x, y, d, k, p) => Pam.Unary<LogOp>(x, d, k, p), (a, b, k) => Pam.Log(a, k), false),
        new("Sqrt", (x, y, d, k, p) => Pam.Unary<SqrtOp>(x, d, k, p), (a, b, k) => Pam.Sqrt(a), false),
    }.ToDictionary(kernel => kernel.Name);

    public static TheoryData<string, int> KernelsAndOffsets()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in Kernels.Keys)
        {
            data.Add(name, 0);
            if (name is "Mul" or "Div" or "MulScalar" or "DivScalar" or "Exp" or "Log") data.Add(name, PamOffset.Paper.Bits);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelsAndOffsets))]
    public void Every_path_gives_the_oracle_bits(string name, int k)
    {
        Kernel kernel = Kernels[name];
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        foreach (double edgeFraction in EdgeFractions)
            foreach (int length in Lengths)
            {
                float[] x = TestInputs.Mixed(random, length, edgeFraction);
                // y: one element per x, or a single element for the scalar-operand kernels (and unused by unary ones).
                float[] y = TestInputs.Mixed(random, YLength(name, length), edgeFraction);

                var expected = new float[length];
                for (int i = 0; i < length; i++)
                    expected[i] = name switch
                    {
                        "MulScalar" => Pam.Mul(x[i], y[0], k),
                        "DivScalar" => Pam.Div(x[i], y[0], k),
                        _ => kernel.Oracle(x[i], kernel.UsesY ? y[i] : 0f, k),
                    };

                foreach (SimdPath path in Paths)
                {
                    var destination = new float[length];
                    kernel.Run(x, y, destination, k, path);
                    AssertSameBits(expected, destination, x, y, $"{name} k={k} {path} length {length} edges {edgeFraction} seed {seed}");
                }
            }
    }

    [Theory]
    [MemberData(nameof(KernelsAndOffsets))]
    public void In_place_equals_out_of_place(string name, int k)
    {
        Kernel kernel = Kernels[name];
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        foreach (SimdPath path in Paths)
            foreach (int length in new[] { 0, 1, 15, 16, 17, 63, 1000 })
            {
                float[] x = TestInputs.Mixed(random, length, 0.05);
                float[] y = TestInputs.Mixed(random, YLength(name, length), 0.05);
                var expected = new float[length];
                kernel.Run(x, y, expected, k, path);

                float[] inPlaceX = (float[])x.Clone();
                kernel.Run(inPlaceX, y, inPlaceX, k, path);
                AssertSameBits(expected, inPlaceX, x, y, $"{name} in place of x, {path}, length {length}, seed {seed}");

                if (kernel.UsesY && !name.EndsWith("Scalar", StringComparison.Ordinal))
                {
                    float[] inPlaceY = (float[])y.Clone();
                    kernel.Run(x, inPlaceY, inPlaceY, k, path);
                    AssertSameBits(expected, inPlaceY, x, y, $"{name} in place of y, {path}, length {length}, seed {seed}");
                }
            }
    }

    [Fact]
    public void Spans_at_every_alignment_equal_the_oracle_in_and_out_of_place()
    {
        // The Vector512 loop aligns the destination: below 256 KB by deferring the first vector's store, above by
        // a scalar head and non-temporal stores. Every start offset, in and out of place, must give the oracle's bits.
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        float[] x = TestInputs.Mixed(random, 80_000, 0.001), y = TestInputs.Mixed(random, 80_000, 0.001);
        foreach (int length in new[] { 32, 33, 47, 100, 1000, 70_000 })
            foreach (int offset in new[] { 0, 1, 2, 3, 5, 15 })
                foreach (int k in new[] { 0, PaperOffset.Bits })
                {
                    ReadOnlySpan<float> xs = x.AsSpan(offset, length), ys = y.AsSpan(3, length);
                    var expected = new float[length];
                    for (int i = 0; i < length; i++) expected[i] = Pam.Mul(xs[i], ys[i], k);
                    string context = $"length {length}, offset {offset}, k {k}, seed {seed}";

                    var destination = new float[length + 16];
                    Pam.Binary<MulOp>(xs, ys, destination.AsSpan(offset, length), k, SimdPath.Vector512);
                    AssertSameBits(expected, destination.AsSpan(offset, length).ToArray(), xs.ToArray(), ys.ToArray(), context);

                    float[] inPlace = (float[])x.Clone();
                    Pam.Binary<MulOp>(inPlace.AsSpan(offset, length), ys, inPlace.AsSpan(offset, length), k, SimdPath.Vector512);
                    AssertSameBits(expected, inPlace.AsSpan(offset, length).ToArray(), xs.ToArray(), ys.ToArray(), "in place, " + context);
                }
    }

    [Fact]
    public void Public_span_kernels_equal_their_forced_paths()
    {
        var random = new Random(TestInputs.FreshSeed());
        float[] x = TestInputs.Mixed(random, 1037, 0.05), y = TestInputs.Mixed(random, 1037, 0.05);
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        void Same(Action<float[]> reference, Action<float[]> api, string name)
        {
            reference(expected);
            api(actual);
            AssertSameBits(expected, actual, x, y, name);
        }
        Same(d => Pam.Binary<MulOp>(x, y, d, 0, SimdPath.Scalar), d => Pam.Mul(x, y, d), "Mul");
        Same(d => Pam.Binary<MulOp>(x, y, d, PaperOffset.Bits, SimdPath.Scalar), d => Pam.Mul(x, y, d, PamOffset.Paper), "Mul offset");
        Same(d => Pam.BinaryScalar<MulOp>(x, 0.3f, d, 0, SimdPath.Scalar), d => Pam.Mul(x, 0.3f, d), "Mul scalar");
        Same(d => Pam.BinaryScalar<MulOp>(x, 0.3f, d, PaperOffset.Bits, SimdPath.Scalar), d => Pam.Mul(x, 0.3f, d, PamOffset.Paper), "Mul scalar offset");
        Same(d => Pam.Binary<DivOp>(x, y, d, 0, SimdPath.Scalar), d => Pam.Div(x, y, d), "Div");
        Same(d => Pam.Binary<DivOp>(x, y, d, PaperOffset.Bits, SimdPath.Scalar), d => Pam.Div(x, y, d, PamOffset.Paper), "Div offset");
        Same(d => Pam.BinaryScalar<DivOp>(x, 3f, d, 0, SimdPath.Scalar), d => Pam.Div(x, 3f, d), "Div scalar");
        Same(d => Pam.BinaryScalar<DivOp>(x, 3f, d, PaperOffset.Bits, SimdPath.Scalar), d => Pam.Div(x, 3f, d, PamOffset.Paper), "Div scalar offset");
        Same(d => Pam.Unary<Exp2Op>(x, d, 0, SimdPath.Scalar), d => Pam.Exp2(x, d), "Exp2");
        Same(d => Pam.Unary<Log2Op>(x, d, 0, SimdPath.Scalar), d => Pam.Log2(x, d), "Log2");
        Same(d => Pam.Unary<ExpOp>(x, d, 0, SimdPath.Scalar), d => Pam.Exp(x, d), "Exp");
        Same(d => Pam.Unary<ExpOp>(x, d, PaperOffset.Bits, SimdPath.Scalar), d => Pam.Exp(x, d, PamOffset.Paper), "Exp offset");
        Same(d => Pam.Unary<LogOp>(x, d, 0, SimdPath.Scalar), d => Pam.Log(x, d), "Log");
        Same(d => Pam.Unary<LogOp>(x, d, PaperOffset.Bits, SimdPath.Scalar), d => Pam.Log(x, d, PamOffset.Paper), "Log offset");
        Same(d => Pam.Unary<SqrtOp>(x, d, 0, SimdPath.Scalar), d => Pam.Sqrt(x, d), "Sqrt");
    }

    [Fact]
    public void Mode_vector_forms_equal_scalar_forms_lane_by_lane()
    {
        int seed = TestInputs.FreshSeed();
        var random = new Random(seed);
        for (int round = 0; round < 2000; round++)
        {
            float[] a = TestInputs.Mixed(random, 16, round % 3 == 0 ? 0.0 : 0.2), b = TestInputs.Mixed(random, 16, round % 3 == 0 ? 0.0 : 0.2);
            CheckLanes<PamArithmetic<PaperOffset>>(a, b, seed);
            CheckLanes<PamArithmetic<PamDefaults>>(a, b, seed);
        }
    }

    private static void CheckLanes<TArith>(float[] a, float[] b, int seed) where TArith : struct, IArithmetic
    {
        var va = Vector512.Create(a); var vb = Vector512.Create(b);
        var ha = Vector256.Create(a); var hb = Vector256.Create(b);
        (string, Vector512<float>, Vector256<float>, Func<float, float, float>)[] ops =
        {
            ("Mul", TArith.Mul(va, vb), TArith.Mul(ha, hb), TArith.Mul),
            ("Div", TArith.Div(va, vb), TArith.Div(ha, hb), TArith.Div),
            ("Exp2", TArith.Exp2(va), TArith.Exp2(ha), (x, _) => TArith.Exp2(x)),
            ("Log2", TArith.Log2(va), TArith.Log2(ha), (x, _) => TArith.Log2(x)),
            ("Exp", TArith.Exp(va), TArith.Exp(ha), (x, _) => TArith.Exp(x)),
            ("Log", TArith.Log(va), TArith.Log(ha), (x, _) => TArith.Log(x)),
            ("Sqrt", TArith.Sqrt(va), TArith.Sqrt(ha), (x, _) => TArith.Sqrt(x)),
        };
        foreach (var (name, wide, narrow, scalar) in ops)
            for (int lane = 0; lane < 16; lane++)
            {
                int expected = TestInputs.Bits(scalar(a[lane], b[lane]));
                if (TestInputs.Bits(wide[lane]) != expected)
                    Assert.Fail($"{typeof(TArith).Name} Vector512 {name}({TestInputs.Describe(a[lane])}, {TestInputs.Describe(b[lane])}) = {TestInputs.Describe(wide[lane])}, scalar {TestInputs.Describe(scalar(a[lane], b[lane]))}, seed {seed}");
                if (lane < 8 && TestInputs.Bits(narrow[lane]) != expected)
                    Assert.Fail($"{typeof(TArith).Name} Vector256 {name}({TestInputs.Describe(a[lane])}, {TestInputs.Describe(b[lane])}) = {TestInputs.Describe(narrow[lane])}, seed {seed}");
            }
    }

    [Fact]
    public void Length_mismatch_names_y()
    {
        var e = Assert.Throws<ArgumentException>(() => Pam.Mul(new float[4], new float[3], new float[4]));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("4", e.Message);
        Assert.Contains("3", e.Message);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Pam.Div(new float[2], new float[5], new float[5])).ParamName);
    }

    [Fact]
    public void Short_destination_names_destination()
    {
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Pam.Mul(new float[4], new float[4], new float[3])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Pam.Mul(new float[4], 2f, new float[3])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Pam.Div(new float[4], 2f, new float[0])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Pam.Exp2(new float[4], new float[3])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Pam.Sqrt(new float[1], Span<float>.Empty)).ParamName);
    }

    [Fact]
    public void Destination_overlapping_an_input_at_an_offset_is_rejected()
    {
        var buffer = new float[40];
        var e = Assert.Throws<ArgumentException>(() => Pam.Mul(buffer.AsSpan(0, 32), buffer.AsSpan(0, 32), buffer.AsSpan(1, 32)));
        Assert.Equal("destination", e.ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Pam.Log2(buffer.AsSpan(4, 20), buffer.AsSpan(0, 20))).ParamName);
    }

    [Fact]
    public void Longer_destination_keeps_its_tail()
    {
        var destination = new float[20];
        Array.Fill(destination, 42f);
        Pam.Mul(new float[] { 3f, 1.5f }, new float[] { 7f, 1.5f }, destination);
        Assert.Equal(new[] { 20f, 2f, 42f }, destination[..3]);
        Assert.All(destination[2..], v => Assert.Equal(42f, v));
    }

    private static int YLength(string name, int length) =>
        Kernels[name].UsesY && !name.EndsWith("Scalar", StringComparison.Ordinal) ? length : 1;

    private static void AssertSameBits(float[] expected, float[] actual, float[] x, float[] y, string context)
    {
        int mismatches = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
            if (TestInputs.Bits(expected[i]) != TestInputs.Bits(actual[i]))
            {
                mismatches++;
                if (first < 0) first = i;
            }
        if (mismatches == 0) return;
        string yValue = y.Length == 0 ? "-" : TestInputs.Describe(y[Math.Min(first, y.Length - 1)]);
        Assert.Fail($"{context}: {mismatches} elements differ; first at {first}: x = {TestInputs.Describe(x[first])}, y = {yValue}, " +
                    $"got {TestInputs.Describe(actual[first])}, oracle {TestInputs.Describe(expected[first])}");
    }
}
