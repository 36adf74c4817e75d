using System;

namespace PamGen;

/// <summary>
/// A named float32 tensor: a shape and a window into its arena's single allocation (llm.c style).
/// Parameters and activations carry a gradient tensor of the same shape; buffers (saved statistics, scratch) do not.
/// </summary>
[MultiplicationFree]
public sealed class Tensor
{
    private float[]? _data;
    private int _offset;

    internal Tensor(string name, int[] shape, TensorKind kind)
    {
        Name = name;
        Shape = shape;
        Kind = kind;
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape {Shapes.Format(shape)}.", nameof(shape));
            length *= d;
        }
        if (length > int.MaxValue) throw new ArgumentException($"Tensor '{name}' of shape {Shapes.Format(shape)} exceeds {int.MaxValue} elements.", nameof(shape));
        Length = (int)length;
    }

    /// <summary>The tensor's name, unique in its arena (e.g. <c>encoder.1.attn.q</c>); errors report it.</summary>
    public string Name { get; }
    /// <summary>The dimensions, outermost first (row-major).</summary>
    public int[] Shape { get; }
    /// <summary>The number of elements.</summary>
    public int Length { get; }
    /// <summary>What the tensor holds.</summary>
    public TensorKind Kind { get; }
    /// <summary>The gradient of the same shape (parameters and activations), or null for buffers.</summary>
    public Tensor? Grad { get; internal set; }
    /// <summary>Whether AdamW applies weight decay to this parameter.</summary>
    public bool Decay { get; internal set; }
    /// <summary>How the parameter is initialised.</summary>
    internal ParameterInit Init { get; set; }
    /// <summary>The standard deviation of <see cref="ParameterInit.Normal"/>.</summary>
    internal float InitStd { get; set; }

    /// <summary>The elements; valid once the arena is allocated.</summary>
    public Span<float> Span => _data is null
        ? throw new InvalidOperationException($"Tensor '{Name}' is not allocated yet: call TensorArena.Allocate() after declaring every tensor.")
        : _data.AsSpan(_offset, Length);

    /// <summary>The gradient's elements; throws for tensors without a gradient.</summary>
    public Span<float> GradSpan => (Grad ?? throw new InvalidOperationException($"Tensor '{Name}' ({Kind}) has no gradient.")).Span;

    /// <summary>The shape written as <c>[2, 3]</c>.</summary>
    public string ShapeText => Shapes.Format(Shape);

    /// <summary>Where the tensor starts inside its arena region (parameters: inside <see cref="TensorArena.ParameterData"/>).</summary>
    internal int Offset => _offset;

    internal void Bind(float[] data, int offset)
    {
        _data = data;
        _offset = offset;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming both shapes when this tensor's shape differs from <paramref name="expected"/>.</summary>
    public void RequireShape(string operation, params int[] expected)
    {
        if (!Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{operation}: '{Name}' has shape {ShapeText} but {Shapes.Format(expected)} is required.", Name);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ShapeText} ({Kind})";
}

/// <summary>How a parameter starts.</summary>
public enum ParameterInit
{
    /// <summary>All zeros (biases, LayerNorm β).</summary>
    Zeros,
    /// <summary>All ones (LayerNorm γ).</summary>
    Ones,
    /// <summary>Seeded normal with the tensor's standard deviation, scaled through the mode's <c>Mul</c>.</summary>
    Normal,
}

/// <summary>What a tensor in an arena holds; each kind lives in its own contiguous region.</summary>
public enum TensorKind
{
    /// <summary>A trained parameter (with a gradient and optimizer state).</summary>
    Parameter,
    /// <summary>An activation kept for the backward pass (with a gradient).</summary>
    Activation,
    /// <summary>A saved statistic or scratch space (no gradient).</summary>
    Buffer,
}
