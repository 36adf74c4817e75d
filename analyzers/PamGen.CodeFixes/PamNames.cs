namespace PamGen.CodeFixes;

/// <summary>
/// The PamGen runtime members the fixes write, fully qualified (the simplifier shortens them and adds
/// <c>using PamGen;</c>). Kept in one place: if the runtime renames its mode types, only this file changes.
/// </summary>
internal static class PamNames
{
    /// <summary>The scalar PAM oracle: <c>Mul(float, float)</c>, <c>Div</c>, <c>Exp</c>, <c>Exp2</c>, <c>Log</c>, <c>Log2</c>, <c>Pow</c>, <c>Sqrt</c>.</summary>
    public const string Scalar = "global::PamGen.Pam";

    /// <summary>The default Pam mode, whose static Mul/Div take Vector256/Vector512 of float (IArithmetic's vector members).</summary>
    public const string VectorMode = "global::PamGen.PamArithmetic<global::PamGen.PamDefaults>";
}
