namespace PamGen;

/// <summary>
/// Compile-time options of <see cref="PamArithmetic{TOptions}"/> (NUMERICS.md §4): the offset and which
/// backward rule the gradient helpers use. Implemented by small empty structs whose members return constants,
/// so the JIT folds them into each kernel instantiation.
/// </summary>
public interface IPamOptions
{
    /// <summary>The offset <c>k</c> (<see cref="PamOffset.Bits"/>); must lie within ±<see cref="PamOffset.MaxAbsBits"/>.</summary>
    static abstract int OffsetBits { get; }

    /// <summary>True: gradients use the exact derivative of the piecewise affine function; false: the paper's approximate backward.</summary>
    static abstract bool ExactBackward { get; }
}

/// <summary>The paper's default PAM mode: no offset, approximate backward. Users write <c>PamArithmetic&lt;PamDefaults&gt;</c>.</summary>
public readonly struct PamDefaults : IPamOptions
{
    /// <inheritdoc />
    public static int OffsetBits => 0;
    /// <inheritdoc />
    public static bool ExactBackward => false;
}

/// <summary>PAM with the paper's offset <c>c = 1.0552</c> (<see cref="PamOffset.Paper"/>), approximate backward.</summary>
public readonly struct PaperOffset : IPamOptions
{
    /// <summary>bits(1.0552f) − bits(1.0f).</summary>
    public const int Bits = 463051;
    /// <inheritdoc />
    public static int OffsetBits => Bits;
    /// <inheritdoc />
    public static bool ExactBackward => false;
}

/// <summary>PAM without offset, with the exact derivative of the piecewise affine functions in the backward pass.</summary>
public readonly struct ExactBackward : IPamOptions
{
    /// <inheritdoc />
    public static int OffsetBits => 0;
    /// <inheritdoc />
    static bool IPamOptions.ExactBackward => true;
}

/// <summary>PAM with the paper's offset and the exact backward.</summary>
public readonly struct PaperOffsetExactBackward : IPamOptions
{
    /// <inheritdoc />
    public static int OffsetBits => PaperOffset.Bits;
    /// <inheritdoc />
    static bool IPamOptions.ExactBackward => true;
}
