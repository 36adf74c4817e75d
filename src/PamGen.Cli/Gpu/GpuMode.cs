using System;

namespace PamGen.Cli.Gpu;

/// <summary>The elementwise arithmetics a generated kernel is checked and timed in.</summary>
internal enum GpuMode
{
    /// <summary>Real float32 arithmetic (<see cref="IeeeArithmetic"/>).</summary>
    Ieee,

    /// <summary>PAM without offset (<see cref="PamArithmetic{TOptions}"/> with <see cref="PamDefaults"/>).</summary>
    Pam,

    /// <summary>PAM with the paper's offset c = 1.0552 (<see cref="PaperOffset"/>).</summary>
    PamPaperOffset,

    /// <summary>PAM with the exact derivative of the piecewise affine operations (<see cref="ExactBackward"/>).</summary>
    PamExactBackward,
}

/// <summary>Work generic over the arithmetic, run for a <see cref="GpuMode"/> value.</summary>
internal interface IGpuModeAction<out TResult>
{
    /// <summary>Runs the work in <typeparamref name="TArith"/>.</summary>
    TResult Run<TArith>() where TArith : struct, IArithmetic;
}

/// <summary>Dispatch from a <see cref="GpuMode"/> value to its arithmetic type.</summary>
internal static class GpuModes
{
    /// <summary>Every mode, in report order.</summary>
    internal static readonly GpuMode[] All = { GpuMode.Ieee, GpuMode.Pam, GpuMode.PamPaperOffset, GpuMode.PamExactBackward };

    /// <summary>Whether NUMERICS.md binds the mode bit for bit on every backend (PAM is integer arithmetic; IEEE
    /// transcendental functions and FMA contraction are the device's own).</summary>
    internal static bool IsBitExactEverywhere(GpuMode mode) => mode != GpuMode.Ieee;

    /// <summary>Runs <paramref name="action"/> in the arithmetic of <paramref name="mode"/>.</summary>
    internal static TResult Dispatch<TResult>(GpuMode mode, IGpuModeAction<TResult> action) => mode switch
    {
        GpuMode.Ieee => action.Run<IeeeArithmetic>(),
        GpuMode.Pam => action.Run<PamArithmetic<PamDefaults>>(),
        GpuMode.PamPaperOffset => action.Run<PamArithmetic<PaperOffset>>(),
        GpuMode.PamExactBackward => action.Run<PamArithmetic<ExactBackward>>(),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode; use Ieee, Pam, PamPaperOffset or PamExactBackward."),
    };
}
