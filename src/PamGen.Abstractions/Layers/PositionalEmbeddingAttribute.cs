namespace PamGen;

/// <summary>A learned positional embedding added to a [batch, seq, Dim] tensor.</summary>
public sealed class PositionalEmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares a positional embedding.</summary>
    /// <param name="maxSeq">Longest sequence covered.</param>
    /// <param name="dim">Width.</param>
    public PositionalEmbeddingAttribute(int maxSeq, int dim)
    {
        MaxSeq = maxSeq;
        Dim = dim;
    }

    /// <summary>Longest sequence covered.</summary>
    public int MaxSeq { get; }
    /// <summary>Width.</summary>
    public int Dim { get; }
}
