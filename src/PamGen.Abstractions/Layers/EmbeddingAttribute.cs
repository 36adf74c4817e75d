namespace PamGen;

/// <summary>
/// Token embedding plus a learned positional embedding: token ids [batch, seq] → [batch, seq, Dim].
/// Applied to the model's input, which then is a sequence of token ids.
/// </summary>
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares a token embedding.</summary>
    /// <param name="vocab">Vocabulary size (token ids lie in [0, vocab)).</param>
    /// <param name="dim">Embedding width.</param>
    public EmbeddingAttribute(int vocab, int dim)
    {
        Vocab = vocab;
        Dim = dim;
    }

    /// <summary>Vocabulary size.</summary>
    public int Vocab { get; }
    /// <summary>Embedding width.</summary>
    public int Dim { get; }
    /// <summary>Longest sequence the positional table covers (default 64).</summary>
    public int MaxSeq { get; set; } = 64;
}
