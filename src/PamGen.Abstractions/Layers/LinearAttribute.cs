namespace PamGen;

/// <summary>Fully connected layer <c>y = x Wᵀ + b</c> on the last dimension: [..., In] → [..., Out].</summary>
public sealed class LinearAttribute : LayerAttribute
{
    /// <summary>Declares a linear layer.</summary>
    /// <param name="inFeatures">Width of the input's last dimension.</param>
    /// <param name="outFeatures">Width of the output's last dimension.</param>
    public LinearAttribute(int inFeatures, int outFeatures)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Width of the input's last dimension.</summary>
    public int InFeatures { get; }
    /// <summary>Width of the output's last dimension.</summary>
    public int OutFeatures { get; }
    /// <summary>Whether the layer adds a bias (default true).</summary>
    public bool Bias { get; set; } = true;
}
