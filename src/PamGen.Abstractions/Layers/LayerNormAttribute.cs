namespace PamGen;

/// <summary>Layer normalisation over the last dimension with learned scale and shift: [..., Dim] → [..., Dim].</summary>
public sealed class LayerNormAttribute : LayerAttribute
{
    /// <summary>Declares a layer norm.</summary>
    /// <param name="dim">Normalised width.</param>
    public LayerNormAttribute(int dim) => Dim = dim;

    /// <summary>Normalised width.</summary>
    public int Dim { get; }
}
