namespace PamGen;

/// <summary>
/// A stack of pre-norm transformer decoder blocks (causal self-attention, cross-attention to an encoder memory, GELU
/// feed-forward, each residual), declared and called with the target sequence and the memory:
/// <c>[TransformerDecoder(Dim = 16, Heads = 2, Hidden = 32)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);</c>.
/// </summary>
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
    /// <summary>
    /// Dropout probability in [0, 1) on each sub-layer's output before its residual sum (as in the runtime's
    /// transformers); 0 (the default) adds no dropout. Active only in training passes.
    /// </summary>
    public float Dropout { get; set; }
}
