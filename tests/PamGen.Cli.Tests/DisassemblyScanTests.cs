using PamGen.Cli.Audit;
using PamGen.Diagnostics;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>A listing parsed by the runtime's JitDisassembly and counted per method and column by the audit.</summary>
public class DisassemblyScanTests
{
    // Shaped like the JIT's DOTNET_JitDisasm output (headers, comments, labels, blank lines, instructions).
    private const string Listing = """
        ; Assembly listing for method PamGen.Gemm:Compute[PamGen.IeeeArithmetic](int,int):float (FullOpts)
        ; Emitting BLENDED_CODE for generic X64 + VEX + EVEX on Unix
        ; FullOpts code

        G_M000_IG01:                ;; offset=0x0000
               push     rbp
               imul     eax, ecx
               vmulss   xmm1, xmm1, xmm2
               vfmadd231ss xmm0, xmm1, xmm2
               vmulss   xmm2, xmm0, dword ptr [rsi+4*r8+0x10]
               ; vmulss in a comment does not count
        G_M000_IG02:                ;; offset=0x0020
               vdivss   xmm0, xmm1, xmm2
               ret

        ; Total bytes of code 60

        ; Assembly listing for method PamGen.Pam:Exp2(float):float (FullOpts)
        G_M001_IG01:
               vpmulld  ymm0, ymm0, ymm1
               vaddss   xmm0, xmm0, xmm1
               vsqrtss  xmm0, xmm0, xmm0
               ret
        """;

    [Fact]
    public void Counts_float_instructions_per_method_and_names_methods_without_tier()
    {
        var scan = DisassemblyScan.From(JitDisassembly.Parse(Listing));

        Assert.Equal(2, scan.MethodCount);
        Assert.Equal("PamGen.Gemm:Compute[PamGen.IeeeArithmetic](int,int):float", scan.Methods[0].Method);
        Assert.Equal("PamGen.Pam:Exp2(float):float", scan.Methods[1].Method);
        Assert.Equal(4, scan.Methods[0].Total);
        Assert.Equal(1, scan.Methods[1].Total);
        Assert.Equal(2, scan.Count(InstructionClass.Multiply));
        Assert.Equal(1, scan.Count(InstructionClass.FusedMultiplyAdd));
        Assert.Equal(1, scan.Count(InstructionClass.Divide));
        Assert.Equal(1, scan.Count(InstructionClass.SquareRoot));
        Assert.Equal(0, scan.Count(InstructionClass.Reciprocal));
        Assert.Equal(5, scan.Total);
    }

    [Fact]
    public void Empty_output_has_no_methods() => Assert.Equal(0, DisassemblyScan.From(JitDisassembly.Parse("")).MethodCount);
}
