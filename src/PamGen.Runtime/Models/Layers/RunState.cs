using System;

namespace PamGen;

/// <summary>What the layers of one model share during a pass: the step, train/eval, padding masks and scratch.</summary>
internal sealed class RunState
{
    public RunState(ulong seed) => Seed = seed;

    public ulong Seed { get; }
    /// <summary>The current training step (1-based; 0 before the first).</summary>
    public int Step { get; set; }
    /// <summary>
    /// Whether the layers run their fused passes (GELU, bias + dropout + residual, or the attention scale in GEMM
    /// epilogues) or every operation as its own pass; see <see cref="TrainingOptions.FuseOperations"/>.
    /// </summary>
    public bool Fuse { get; init; } = true;
    /// <summary>Dropout is active only while training.</summary>
    public bool Training { get; set; }
    /// <summary>[batch, source length], 1 = real token; empty = no padding.</summary>
    public byte[] SourceKeep { get; set; } = Array.Empty<byte>();
    /// <summary>[batch, target length], 1 = real token; empty = no padding.</summary>
    public byte[] TargetKeep { get; set; } = Array.Empty<byte>();
    /// <summary>Shared scratch for attention (sized for the largest use).</summary>
    public Tensor Scratch { get; set; } = null!;

    /// <summary>A distinct dropout stream per (step, layer).</summary>
    public ulong DropoutSeed(int layerId) => SeededRandom.Mix(Seed ^ SeededRandom.Mix(((ulong)(uint)Step << 24) ^ (ulong)(uint)layerId));
}

/// <summary>A model stage with its own output activation: forward, then backward in reverse order.</summary>
internal interface ILayer
{
    Tensor Output { get; }
    void Forward();
    void Backward();
}
