namespace PamGen.Analyzers;

/// <summary>Keys of the diagnostic properties that tell the code fix what to write (absent: no fix is offered).</summary>
internal static class FixProperties
{
    /// <summary>The Pam member to call: Mul, Div, Exp, Exp2, Log, Log2, Pow, Sqrt.</summary>
    public const string Member = "PamMember";
    /// <summary>The shape of the flagged code: one of <see cref="FixForms"/>.</summary>
    public const string Form = "PamForm";
    /// <summary>The operand type: one of <see cref="FixTargets"/>.</summary>
    public const string Target = "PamTarget";
}

/// <summary>Values of <see cref="FixProperties.Form"/>.</summary>
internal static class FixForms
{
    public const string Binary = "Binary";
    public const string Compound = "Compound";
    public const string Call = "Call";
}

/// <summary>Values of <see cref="FixProperties.Target"/>.</summary>
internal static class FixTargets
{
    public const string Scalar = "Scalar";
    public const string Vector256 = "Vector256";
    public const string Vector512 = "Vector512";
}
