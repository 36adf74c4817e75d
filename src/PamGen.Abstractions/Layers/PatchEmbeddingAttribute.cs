namespace PamGen;

/// <summary>Splits square images into patches and projects each: [batch, Channels, ImageSize, ImageSize] → [batch, patches, Dim].</summary>
public sealed class PatchEmbeddingAttribute : LayerAttribute
{
    /// <summary>Image side length; a multiple of <see cref="Patch"/>.</summary>
    public int ImageSize { get; set; }
    /// <summary>Patch side length.</summary>
    public int Patch { get; set; }
    /// <summary>Input channels.</summary>
    public int Channels { get; set; } = 1;
    /// <summary>Embedding width.</summary>
    public int Dim { get; set; }
}
