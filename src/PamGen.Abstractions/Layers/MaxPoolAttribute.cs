namespace PamGen;

/// <summary>2-D max pooling over square windows: [batch, c, h, w] → [batch, c, h', w'].</summary>
public sealed class MaxPoolAttribute : LayerAttribute
{
    /// <summary>Declares a max pool.</summary>
    /// <param name="kernel">Window side.</param>
    public MaxPoolAttribute(int kernel) => Kernel = kernel;

    /// <summary>Window side.</summary>
    public int Kernel { get; }
    /// <summary>Stride (default: the window side).</summary>
    public int Stride { get; set; }
}
