namespace PamGen;

/// <summary>
/// Multi-head attention with query, key, value and output projections: [batch, seq, Dim] → [batch, seq, Dim]. Declared
/// with one tensor it is self-attention; declared and called with two, <c>Attn(x, memory)</c>, the keys and values come
/// from <c>memory</c> [batch, memorySeq, Dim] (cross-attention).
/// </summary>
public sealed class MultiHeadAttentionAttribute : LayerAttribute
{
    /// <summary>Declares an attention layer.</summary>
    /// <param name="dim">Model width; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads.</param>
    public MultiHeadAttentionAttribute(int dim, int heads)
    {
        Dim = dim;
        Heads = heads;
    }

    /// <summary>Model width.</summary>
    public int Dim { get; }
    /// <summary>Number of heads.</summary>
    public int Heads { get; }
    /// <summary>Whether a position attends only to itself and earlier positions.</summary>
    public bool Causal { get; set; }
}
