using System;

namespace PamGen;

/// <summary>
/// Declares a <see cref="ForwardAttribute"/> parameter as a batch of channels-first images [batch, Channels,
/// Height, Width] (floats), for <see cref="Conv2dAttribute"/>, <see cref="MaxPoolAttribute"/> and
/// <see cref="PatchEmbeddingAttribute"/> layers, e.g. <c>[Forward] static TensorExpr Model([Image(1, 8, 8)] TensorExpr pixels)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ImageAttribute : Attribute
{
    /// <summary>Declares the image size.</summary>
    /// <param name="channels">Channels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    public ImageAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
}
