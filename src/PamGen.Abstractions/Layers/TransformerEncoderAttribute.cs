namespace PamGen;

/// <summary>A stack of pre-norm transformer encoder blocks (self-attention and feed-forward, each residual).</summary>
public sealed class TransformerEncoderAttribute : LayerAttribute
{
    /// <summary>Number of blocks.</summary>
    public int Layers { get; set; } = 1;
    /// <summary>Model width.</summary>
    public int Dim { get; set; }
    /// <summary>Attention heads; <see cref="Dim"/> must be a multiple.</summary>
    public int Heads { get; set; } = 1;
    /// <summary>Feed-forward hidden width.</summary>
    public int Hidden { get; set; }
    /// <summary>
    /// Dropout probability in [0, 1) on each sub-layer's output before its residual sum (as in the runtime's
    /// transformers); 0 (the default) adds no dropout. Active only in training passes.
    /// </summary>
    public float Dropout { get; set; }
}
