namespace PamGen;

/// <summary>Inverted dropout in training; the identity in inference.</summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Declares a dropout layer.</summary>
    /// <param name="probability">Drop probability in [0, 1).</param>
    public DropoutAttribute(float probability) => Probability = probability;

    /// <summary>Drop probability in [0, 1).</summary>
    public float Probability { get; }
}
