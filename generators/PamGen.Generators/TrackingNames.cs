namespace PamGen.Generators;

/// <summary>Names of the pipeline steps, asserted on by the caching tests.</summary>
public static class TrackingNames
{
    /// <summary>Parsed <c>[PamKernel]</c> methods.</summary>
    public const string KernelSpecs = nameof(KernelSpecs);
    /// <summary>Parsed <c>[PamModel]</c> classes.</summary>
    public const string ModelSpecs = nameof(ModelSpecs);
}
