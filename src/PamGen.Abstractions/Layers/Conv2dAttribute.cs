namespace PamGen;

/// <summary>2-D convolution: [batch, InChannels, h, w] → [batch, OutChannels, h', w'].</summary>
public sealed class Conv2dAttribute : LayerAttribute
{
    /// <summary>Declares a convolution.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">Square kernel side.</param>
    public Conv2dAttribute(int inChannels, int outChannels, int kernel)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Square kernel side.</summary>
    public int Kernel { get; }
    /// <summary>Stride (default 1).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Zero padding on each side (default 0).</summary>
    public int Padding { get; set; }
}
