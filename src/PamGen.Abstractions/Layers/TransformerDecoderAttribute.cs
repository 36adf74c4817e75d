namespace PamGen;

/// <summary>A stack of pre-norm transformer decoder blocks (causal self-attention, cross-attention, feed-forward).</summary>
public sealed class TransformerDecoderAttribute : LayerAttribute
{
    /// <summary>Number of blocks.</summary>
    public int Layers { get; set; } = 1;
    /// <summary>Model width.</summary>
    public int Dim { get; set; }
    /// <summary>Attention heads; <see cref="Dim"/> must be a multiple.</summary>
    public int Heads { get; set; } = 1;
    /// <summary>Feed-forward hidden width.</summary>
    public int Hidden { get; set; }
}
