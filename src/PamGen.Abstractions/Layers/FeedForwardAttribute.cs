namespace PamGen;

/// <summary>Two linear layers with a GELU between them: [..., Dim] → [..., Hidden] → [..., Dim].</summary>
public sealed class FeedForwardAttribute : LayerAttribute
{
    /// <summary>Declares a feed-forward block.</summary>
    /// <param name="dim">Input and output width.</param>
    /// <param name="hidden">Hidden width.</param>
    public FeedForwardAttribute(int dim, int hidden)
    {
        Dim = dim;
        Hidden = hidden;
    }

    /// <summary>Input and output width.</summary>
    public int Dim { get; }
    /// <summary>Hidden width.</summary>
    public int Hidden { get; }
}
