using System.Text.RegularExpressions;

namespace PamGen.Cli.Audit;

/// <summary>
/// Classifies an x64 or arm64 mnemonic from the JIT's disassembly. Only floating-point forms count: the
/// patterns require a floating-point suffix (ss/sd/ps/pd/sh/ph) on x64 and the f prefix on arm64, so integer
/// multiplies (<c>imul</c>, <c>mulx</c>, <c>vpmulld</c>, <c>pmaddwd</c>, arm64 <c>mul</c>/<c>madd</c>) never do.
/// </summary>
internal static partial class InstructionClassifier
{
    public static InstructionClass Classify(string mnemonic)
    {
        var m = mnemonic.ToLowerInvariant();
        if (X64Multiply().IsMatch(m) || X87Multiply().IsMatch(m)) return InstructionClass.Multiply;
        if (X64Divide().IsMatch(m) || X87Divide().IsMatch(m)) return InstructionClass.Divide;
        if (X64Fma().IsMatch(m)) return InstructionClass.FusedMultiplyAdd;
        if (X64Sqrt().IsMatch(m) || m == "fsqrt") return InstructionClass.SquareRoot;
        if (X64Reciprocal().IsMatch(m)) return InstructionClass.Reciprocal;
        return m switch
        {
            "fmul" or "fmulx" or "fnmul" => InstructionClass.Multiply,
            "fdiv" => InstructionClass.Divide,
            "fmadd" or "fmsub" or "fnmadd" or "fnmsub" or "fmla" or "fmls" => InstructionClass.FusedMultiplyAdd,
            "frecpe" or "frecps" or "frsqrte" or "frsqrts" or "frecpx" => InstructionClass.Reciprocal,
            _ => InstructionClass.None,
        };
    }

    // mulss/mulsd/mulps/mulpd (VEX/EVEX v-forms, AVX512-FP16 sh/ph), dot products, scalef (multiply by 2^n).
    [GeneratedRegex("^(v?mul(ss|sd|ps|pd|sh|ph)|v?dp(ps|pd)|vscalef(ss|sd|ps|pd|sh|ph))$")]
    private static partial Regex X64Multiply();

    [GeneratedRegex("^v?div(ss|sd|ps|pd|sh|ph)$")]
    private static partial Regex X64Divide();

    [GeneratedRegex("^vf(n)?m(add|sub|addsub|subadd)(132|213|231)(ss|sd|ps|pd|sh|ph)$")]
    private static partial Regex X64Fma();

    [GeneratedRegex("^v?sqrt(ss|sd|ps|pd|sh|ph)$")]
    private static partial Regex X64Sqrt();

    [GeneratedRegex("^v?(rcp|rsqrt)(14|28)?(ss|sd|ps|pd|sh|ph)$")]
    private static partial Regex X64Reciprocal();

    // x87 forms (fmul, fmulp, fimul) never appear in RyuJIT x64 output, but a mis-set target would show them.
    [GeneratedRegex("^fi?mulp?$")]
    private static partial Regex X87Multiply();

    [GeneratedRegex("^fi?divr?p?$")]
    private static partial Regex X87Divide();
}
