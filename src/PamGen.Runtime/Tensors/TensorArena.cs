using System;
using System.Collections.Generic;

namespace PamGen;

/// <summary>
/// One allocation per model for every parameter, gradient, optimizer moment, activation and buffer (llm.c style).
/// Declare tensors first, then call <see cref="Allocate"/> once. The layout is
/// <c>[parameters | parameter grads | AdamW m | AdamW v | activations | activation grads | buffers]</c>,
/// so the optimizer, clipping and zeroing each work on one contiguous span.
/// </summary>
[MultiplicationFree]
public sealed class TensorArena
{
    private readonly List<Tensor> _parameters = new();
    private readonly List<Tensor> _activations = new();
    private readonly List<Tensor> _buffers = new();
    private readonly HashSet<string> _names = new();
    private float[]? _data;
    private int _paramCount, _actCount, _bufferCount;

    /// <summary>Parameters in declaration order.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;
    /// <summary>Activations in declaration (forward) order.</summary>
    public IReadOnlyList<Tensor> Activations => _activations;
    /// <summary>Buffers in declaration order.</summary>
    public IReadOnlyList<Tensor> Buffers => _buffers;
    /// <summary>Total parameter elements.</summary>
    public int ParameterCount => _paramCount;
    /// <summary>Whether <see cref="Allocate"/> has run.</summary>
    public bool IsAllocated => _data is not null;

    /// <summary>Declares a parameter (and its gradient).</summary>
    /// <param name="name">Unique name.</param>
    /// <param name="decay">Whether AdamW applies weight decay.</param>
    /// <param name="init">How <see cref="InitializeParameters{TArith}"/> fills it.</param>
    /// <param name="std">Standard deviation for <see cref="ParameterInit.Normal"/>.</param>
    /// <param name="shape">Dimensions.</param>
    public Tensor Parameter(string name, bool decay, ParameterInit init, float std, params int[] shape)
    {
        var t = Declare(name, shape, TensorKind.Parameter);
        t.Decay = decay;
        t.Init = init;
        t.InitStd = std;
        t.Grad = new Tensor(name + ".grad", shape, TensorKind.Parameter);
        _parameters.Add(t);
        _paramCount = checked(_paramCount + t.Length);
        return t;
    }

    /// <summary>
    /// Declares a parameter (and its gradient) that the caller initialises itself after <see cref="Allocate"/>
    /// (generated models do); <see cref="InitializeParameters{TArith}"/> leaves it zero.
    /// </summary>
    public Tensor Parameter(string name, bool decay, params int[] shape) => Parameter(name, decay, ParameterInit.Zeros, 0f, shape);

    /// <summary>Declares an activation (and its gradient).</summary>
    public Tensor Activation(string name, params int[] shape)
    {
        var t = Declare(name, shape, TensorKind.Activation);
        t.Grad = new Tensor(name + ".grad", shape, TensorKind.Activation);
        _activations.Add(t);
        _actCount = checked(_actCount + t.Length);
        return t;
    }

    /// <summary>Declares a buffer without gradient (saved statistics, scratch).</summary>
    public Tensor Buffer(string name, params int[] shape)
    {
        var t = Declare(name, shape, TensorKind.Buffer);
        _buffers.Add(t);
        _bufferCount = checked(_bufferCount + t.Length);
        return t;
    }

    private Tensor Declare(string name, int[] shape, TensorKind kind)
    {
        if (_data is not null) throw new InvalidOperationException($"Cannot declare '{name}': the arena is already allocated.");
        if (!_names.Add(name)) throw new ArgumentException($"A tensor named '{name}' already exists in this arena; names must be unique.", nameof(name));
        return new Tensor(name, (int[])shape.Clone(), kind);
    }

    /// <summary>Allocates the single backing array and binds every declared tensor into it.</summary>
    public void Allocate()
    {
        if (_data is not null) throw new InvalidOperationException("The arena is already allocated.");
        long total = 4L * _paramCount + 2L * _actCount + _bufferCount;
        if (total > Array.MaxLength) throw new InvalidOperationException($"The arena needs {total} floats, more than one array can hold.");
        _data = new float[total];
        int p = 0, g = _paramCount;
        foreach (var t in _parameters)
        {
            t.Bind(_data, p);
            t.Grad!.Bind(_data, g);
            p += t.Length;
            g += t.Length;
        }
        int a = 4 * _paramCount, ag = a + _actCount;
        foreach (var t in _activations)
        {
            t.Bind(_data, a);
            t.Grad!.Bind(_data, ag);
            a += t.Length;
            ag += t.Length;
        }
        int b = 4 * _paramCount + 2 * _actCount;
        foreach (var t in _buffers)
        {
            t.Bind(_data, b);
            b += t.Length;
        }
    }

    private float[] Data => _data ?? throw new InvalidOperationException("The arena is not allocated yet: call Allocate().");

    /// <summary>All parameters, contiguous in declaration order.</summary>
    public Span<float> ParameterData => Data.AsSpan(0, _paramCount);
    /// <summary>All parameter gradients, in the same layout as <see cref="ParameterData"/>.</summary>
    public Span<float> ParameterGrads => Data.AsSpan(_paramCount, _paramCount);
    /// <summary>AdamW first moments, in the same layout as <see cref="ParameterData"/>.</summary>
    public Span<float> FirstMoments => Data.AsSpan(2 * _paramCount, _paramCount);
    /// <summary>AdamW second moments, in the same layout as <see cref="ParameterData"/>.</summary>
    public Span<float> SecondMoments => Data.AsSpan(3 * _paramCount, _paramCount);
    /// <summary>All activation gradients, contiguous.</summary>
    public Span<float> ActivationGrads => Data.AsSpan(4 * _paramCount + _actCount, _actCount);

    /// <summary>Initialises every parameter from one seeded stream, in declaration order.</summary>
    public void InitializeParameters<TArith>(ulong seed) where TArith : struct, IArithmetic
    {
        var rng = new SeededRandom(seed);
        foreach (var p in _parameters)
        {
            switch (p.Init)
            {
                case ParameterInit.Zeros: p.Span.Clear(); break;
                case ParameterInit.Ones: p.Span.Fill(1f); break;
                default: Initializers.Normal<TArith>(p.Span, p.InitStd, ref rng); break;
            }
        }
        FirstMoments.Clear();
        SecondMoments.Clear();
    }

    /// <summary>The first activation (in forward order) holding a NaN or ±∞, or null.</summary>
    public string? FirstNonFiniteActivation()
    {
        foreach (var t in _activations) if (!NonFiniteException.AllFinite(t.Span)) return t.Name;
        return null;
    }

    /// <summary>The first activation gradient in backward (reverse) order holding a NaN or ±∞, or null.</summary>
    public string? FirstNonFiniteActivationGrad()
    {
        for (int i = _activations.Count - 1; i >= 0; i--)
            if (!NonFiniteException.AllFinite(_activations[i].GradSpan)) return "gradient of " + _activations[i].Name;
        return null;
    }

    /// <summary>Zeroes every parameter and activation gradient (before a backward pass, which accumulates).</summary>
    public void ZeroGrads()
    {
        Clear(ParameterGrads);
        Clear(ActivationGrads);
    }

    /// <summary>Zeroes every parameter gradient on all worker threads (before a backward pass, which accumulates).</summary>
    public void ZeroParameterGrads() => Clear(ParameterGrads);

    /// <summary>Zeroes every activation gradient on all worker threads (at the start of a backward pass).</summary>
    public void ZeroActivationGrads() => Clear(ActivationGrads);

    /// <summary>Zeroes a span on every <see cref="RowParallel"/> thread (one core's stores do not saturate the memory bus).</summary>
    private static unsafe void Clear(Span<float> span)
    {
        fixed (float* p = span)
            RowParallel.For(span.Length, 1 << 16, 16, new ClearBody(p));
    }

    private readonly unsafe struct ClearBody(float* data) : IRangeBody
    {
        public void Run(int start, int end) => new Span<float>(data + start, end - start).Clear();
    }
}
