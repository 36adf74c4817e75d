using PamGen.Cli.Audit;
using PamGen.Diagnostics;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>The runtime's detector flags each multiply-class form and the audit files it in the right column; integer forms are never flagged.</summary>
public class InstructionCategoryTests
{
    [Theory]
    [InlineData("vmulss", "Multiply")]
    [InlineData("mulsd", "Multiply")]
    [InlineData("vmulps", "Multiply")]
    [InlineData("VMULPD", "Multiply")]
    [InlineData("vdpps", "Multiply")]
    [InlineData("vscalefps", "Multiply")]
    [InlineData("fmul", "Multiply")]
    [InlineData("vdivss", "Divide")]
    [InlineData("divpd", "Divide")]
    [InlineData("fdiv", "Divide")]
    [InlineData("vfmadd231ps", "FusedMultiplyAdd")]
    [InlineData("vfnmsub213ss", "FusedMultiplyAdd")]
    [InlineData("vfmaddsub132pd", "FusedMultiplyAdd")]
    [InlineData("fmla", "FusedMultiplyAdd")]
    [InlineData("fmadd", "FusedMultiplyAdd")]
    [InlineData("vsqrtps", "SquareRoot")]
    [InlineData("sqrtss", "SquareRoot")]
    [InlineData("fsqrt", "SquareRoot")]
    [InlineData("vrcpps", "Reciprocal")]
    [InlineData("vrsqrt14ps", "Reciprocal")]
    [InlineData("rsqrtss", "Reciprocal")]
    [InlineData("frecpe", "Reciprocal")]
    public void Floating_point_forms_are_flagged_and_filed(string mnemonic, string column)
    {
        Assert.True(JitDisassembly.IsForbiddenMnemonic(mnemonic), $"{mnemonic} is not flagged");
        Assert.Equal(column, InstructionCategories.Of(mnemonic).ToString());
    }

    [Theory]
    [InlineData("imul")]
    [InlineData("mul")]
    [InlineData("mulx")]
    [InlineData("vpmulld")]
    [InlineData("vpmullw")]
    [InlineData("pmaddwd")]
    [InlineData("vpmaddubsw")]
    [InlineData("div")]
    [InlineData("idiv")]
    [InlineData("madd")]
    [InlineData("vaddss")]
    [InlineData("vsubps")]
    [InlineData("vmaxps")]
    [InlineData("vcvtsi2ss")]
    [InlineData("vpaddd")]
    public void Integer_and_other_instructions_are_not_flagged(string mnemonic) =>
        Assert.False(JitDisassembly.IsForbiddenMnemonic(mnemonic), $"{mnemonic} is flagged");
}
