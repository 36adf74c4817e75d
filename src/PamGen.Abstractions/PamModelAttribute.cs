using System;

namespace PamGen;

/// <summary>
/// Declares a PamGen model: a <c>partial</c> class whose layer members (methods carrying a layer attribute such as
/// <see cref="LinearAttribute"/>) are composed by exactly one <see cref="ForwardAttribute"/> method. The source
/// generator emits the constructor (seeded initialisation), forward and backward passes, parameter enumeration,
/// zero-grad and the AdamW step.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PamModelAttribute : Attribute
{
    /// <summary>Seed of the parameter initialisation and of dropout masks.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Token id that marks padding in every token input (−1, the default: none). Padding positions are masked as
    /// attention keys, left out of <see cref="ModelBuiltins.MeanPool"/>, and, for per-position outputs, add no loss
    /// (as <c>TransformerConfig.PadToken</c> in the runtime's hand-assembled transformers).
    /// </summary>
    public int PadToken { get; set; } = -1;
}
