namespace PamGen.Generators;

/// <summary>Names of the pipeline steps, asserted on by the caching tests.</summary>
public static class TrackingNames
{
    /// <summary>Parsed <c>[PamKernel]</c> methods.</summary>
    public const string KernelSpecs = nameof(KernelSpecs);
    /// <summary>Parsed <c>[PamModel]</c> classes.</summary>
    public const string ModelSpecs = nameof(ModelSpecs);
    /// <summary>Placement checks of <c>[Forward]</c> methods (diagnostics only).</summary>
    public const string ForwardPlacement = nameof(ForwardPlacement);
    /// <summary>Whether the compilation references ILGPU (gates the <c>*.Ilgpu.g.cs</c> kernels).</summary>
    public const string ReferencesIlgpu = nameof(ReferencesIlgpu);
}
