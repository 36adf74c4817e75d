namespace PamGen.Cli.Audit;

/// <summary>
/// Sorts an instruction that <see cref="PamGen.Diagnostics.JitDisassembly.IsForbiddenMnemonic"/> already flagged
/// into the audit's report columns. Detection stays in one place (the runtime's JitDisassembly); this only names.
/// </summary>
internal static class InstructionCategories
{
    public static InstructionClass Of(string mnemonic)
    {
        var m = mnemonic.ToLowerInvariant();
        if (m.Contains("rcp") || m.Contains("rsqrt") || m.StartsWith("frecp") || m.StartsWith("frsqrt")) return InstructionClass.Reciprocal;
        if (m.Contains("sqrt")) return InstructionClass.SquareRoot;
        if (m.Contains("div")) return InstructionClass.Divide;
        if (m.StartsWith("vfm") || m.StartsWith("vfnm") || m is "fmla" or "fmls" or "fmadd" or "fmsub" or "fnmadd" or "fnmsub" or "fnmla" or "fnmls")
        {
            return InstructionClass.FusedMultiplyAdd;
        }
        return InstructionClass.Multiply;   // mul*, dot products, scalef, fscale
    }
}
