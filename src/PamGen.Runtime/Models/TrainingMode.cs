namespace PamGen;

/// <summary>
/// The three training modes of NUMERICS.md §4. Each picks the arithmetic of the matmuls and of everything else
/// (elementwise work, reductions' products, the optimizer):
/// <c>Ieee</c> = (float32, float32), <c>PamMatmul</c> = (PAM, float32), <c>Pam</c> = (PAM, PAM).
/// </summary>
public enum TrainingMode
{
    /// <summary>Ordinary float32 everywhere (the control).</summary>
    Ieee,
    /// <summary>PAM matmuls, float32 for everything else.</summary>
    PamMatmul,
    /// <summary>Fully multiplication-free: PAM matmuls and PAM elementwise operations and optimizer.</summary>
    Pam,
}
