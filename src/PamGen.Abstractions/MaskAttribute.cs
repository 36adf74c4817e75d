using System;

namespace PamGen;

/// <summary>
/// Declares a <see cref="ForwardAttribute"/> parameter as the padding mask of another input's sequence: one byte per
/// position, [batch, seq], 1 = real and 0 = padding. Masked positions are left out as attention keys and of
/// <see cref="ModelBuiltins.MeanPool"/>, e.g.
/// <c>[Forward] static TensorExpr Model(TensorExpr features, [Mask(nameof(features))] TensorExpr keep)</c>.
/// The generated <c>Forward</c> takes it as <c>ReadOnlySpan&lt;byte&gt;</c>. (For token inputs,
/// <see cref="PamModelAttribute.PadToken"/> derives the mask from the tokens instead.)
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class MaskAttribute : Attribute
{
    /// <summary>Declares the mask of input <paramref name="of"/>.</summary>
    /// <param name="of">The name of the masked [Forward] parameter (use <c>nameof</c>).</param>
    public MaskAttribute(string of) => Of = of;

    /// <summary>The name of the masked [Forward] parameter.</summary>
    public string Of { get; }
}
