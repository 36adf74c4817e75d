using System;

namespace PamGen;

/// <summary>Instantiates the PAM modes (PamMatmul = (PAM, float32), Pam = (PAM, PAM)).</summary>
internal static class ModeSupport
{
    public static TransformerClassifier CreateClassifier(TrainingMode mode, TransformerConfig c, TrainingOptions o, int batch, int seq)
        => throw new NotSupportedException($"Training mode {mode} needs PamArithmetic, which is not merged into this branch yet.");

    public static TransformerSeq2Seq CreateSeq2Seq(TrainingMode mode, TransformerConfig c, TrainingOptions o, int batch, int ts, int tt)
        => throw new NotSupportedException($"Training mode {mode} needs PamArithmetic, which is not merged into this branch yet.");
}
