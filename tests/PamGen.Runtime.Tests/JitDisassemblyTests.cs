using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using PamGen.Diagnostics;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// NUMERICS.md §4 from the JIT's own output: the probe (tests/PamGen.JitProbe) compiles <see cref="Pam"/>, the
/// PAM vector forms and the <c>PamArithmetic</c> instantiations of generic kernels under
/// <c>DOTNET_JitDisasm</c>; not one floating-point multiply, divide, square root, FMA or reciprocal may appear.
/// The <c>IeeeArithmetic</c> instantiations of the same kernels must show some, so the check can fail.
/// Integer multiplies (<c>imul</c>, <c>vpmul*</c>) are allowed: they are not floating-point (see <see cref="JitDisassembly"/>).
/// </summary>
public class JitDisassemblyTests
{
    /// <summary>What the probe lists: <c>DOTNET_JitDisasm</c> patterns. Add a pattern here when the probe probes more.</summary>
    private static readonly string[] Patterns =
    {
        "PamGen.Pam:*", "PamGen.PamVector256:*", "PamGen.PamVector512:*", "*PamArithmetic*:*",
        "*Gemm*:*", "*PamExact:*", "*ProbeKernels:*",
    };

    /// <summary>The GEMM kernel family this CPU runs (the probe exercises the widest one).</summary>
    private static string GemmKernels => Vector512.IsHardwareAccelerated ? "PamGen.GemmKernels512" : Vector256.IsHardwareAccelerated ? "PamGen.GemmKernels256" : "PamGen.GemmKernelsScalar";

    /// <summary>Headers that must be in the <c>pam</c> listing, so that an empty or partial listing cannot pass.</summary>
    private static readonly string[] ExpectedPamMethods =
    {
        "PamGen.Pam:Mul(float,float):float",
        "PamGen.Pam:Div(float,float,int):float",
        "PamGen.Pam:Exp2(float):float",
        "PamGen.Pam:Log2(float):float",
        "PamGen.Pam:Sqrt(float):float",
        "PamGen.Pam:Pow(float,float,int):float",
        "PamGen.Pam:MulGradAExact(float,float,float,int):float",
        "PamGen.Pam:DivGradBExact(float,float,float,int):float",
        "PamGen.Pam:Binary[PamGen.MulOp]",
        "PamGen.Pam:Unary[PamGen.ExpOp]",
        "PamGen.PamVector512:MulGeneral(",
        "PamGen.PamVector256:DivGeneral(",
        "PamGen.PamVector512:Log2(",
        "PamGen.PamArithmetic`1[PamGen.PamDefaults]:Mul(System.Runtime.Intrinsics.Vector512`1[float]",
        "PamGen.Gemm:Compute[PamGen.PamArithmetic`1[PamGen.PamDefaults]]",
        "PamGen.Gemm:Compute[PamGen.PamArithmetic`1[PamGen.PaperOffsetExactBackward]]",
        "PamGen.GemmPacking:NormalizeRuns(",
        "PamGen.GemmJob`2[PamGen.PamArithmetic`1[PamGen.PamDefaults],PamGen.NoEpilogue]:RunTask(",
        "ProbeKernels:Elementwise[PamGen.PamArithmetic`1[PamGen.PamDefaults]]",
        "ProbeKernels:ElementwiseBackward[PamGen.PamArithmetic`1[PamGen.PaperOffsetExactBackward]]",
    };

    [Fact]
    public void Pam_code_contains_no_floating_point_multiply()
    {
        JitDisassembly listing = JitDisassembly.Capture(ProbePath(), Patterns, new[] { "pam" });
        Assert.True(listing.ExitCode == 0, $"probe failed ({listing.ExitCode}):\n{listing.ProcessOutput}");
        var gemmKernels = new[] { "PamDense(", "PamMaskAB(", "PamGeneral(" }.Select(k => $"{GemmKernels}:{k}");
        if (Vector512.IsHardwareAccelerated) gemmKernels = gemmKernels.Append("PamGen.GemmKernels512:PamSparseA(");
        foreach (string header in ExpectedPamMethods.Concat(gemmKernels))
            Assert.True(listing.MethodsNamed(header).Any(), $"the listing has no method {header}; it lists {listing.Methods.Count} methods:\n" +
                string.Join("\n", listing.Methods.Select(m => m.Name).Take(40)));
        Assert.All(listing.Methods, m => Assert.True(m.Instructions.Count > 0, $"{m.Name} has no instructions"));

        var offenders = listing.MethodsWithForbiddenInstructions.ToList();
        Assert.True(offenders.Count == 0,
            $"{offenders.Count} of {listing.Methods.Count} PAM methods execute floating-point multiplies:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Ieee_instantiations_of_the_same_kernels_do_multiply()
    {
        JitDisassembly listing = JitDisassembly.Capture(ProbePath(), Patterns, new[] { "ieee" });
        Assert.True(listing.ExitCode == 0, $"probe failed ({listing.ExitCode}):\n{listing.ProcessOutput}");
        foreach (string header in new[] { $"{GemmKernels}:Ieee(", "ProbeKernels:Elementwise[PamGen.IeeeArithmetic]", "ProbeKernels:ElementwiseBackward[PamGen.IeeeArithmetic]" })
        {
            JitDisassembly.Method method = Assert.Single(listing.MethodsNamed(header));
            Assert.True(method.ForbiddenInstructions.Count > 0, $"{method} shows no float multiply: the probe cannot see them");
        }
        // The GEMM dispatches from Compute into its micro-kernels; the Ieee ones must show their FMAs.
        var gemm = listing.Methods.Where(m => m.Name.Contains("Gemm", StringComparison.Ordinal)).ToList();
        Assert.True(gemm.Sum(m => m.ForbiddenInstructions.Count) > 0,
            $"no float multiply in the {gemm.Count} Ieee GEMM methods listed: the probe cannot see them\n" + string.Join("\n", gemm.Select(m => m.Name)));
    }

    [Theory]
    [InlineData("vmulss", true)] [InlineData("vmulps", true)] [InlineData("vmulsd", true)] [InlineData("mulps", true)]
    [InlineData("mulss", true)] [InlineData("vfmadd213ps", true)] [InlineData("vfmsub231ss", true)] [InlineData("vfnmadd231ps", true)]
    [InlineData("divss", true)] [InlineData("vdivps", true)] [InlineData("vsqrtps", true)] [InlineData("sqrtss", true)]
    [InlineData("rcpps", true)] [InlineData("vrcp14ps", true)] [InlineData("vrsqrt14ps", true)] [InlineData("rsqrtss", true)]
    [InlineData("VMULPS", true)] [InlineData("fmul", true)] [InlineData("fmla", true)] [InlineData("fdiv", true)]
    [InlineData("vpmulld", false)] [InlineData("vpmuludq", false)] [InlineData("imul", false)] [InlineData("mul", false)]
    [InlineData("vpmaddwd", false)] [InlineData("vpaddd", false)] [InlineData("vaddps", false)] [InlineData("vroundss", false)]
    [InlineData("vcvtdq2ps", false)] [InlineData("vpcmpltud", false)] [InlineData("vmovups", false)]
    public void Forbidden_mnemonics_are_float_multiply_divide_sqrt_fma_and_reciprocal(string mnemonic, bool forbidden) =>
        Assert.Equal(forbidden, JitDisassembly.IsForbiddenMnemonic(mnemonic));

    [Fact]
    public void Parser_splits_methods_and_skips_labels_and_comments()
    {
        const string text = """
            ; Assembly listing for method A:B(float):float (FullOpts)
            ; optimized code
            G_M000_IG01:                ;; offset=0x0000
                   vpmulld  ymm0, ymm0, ymm1
                   vaddss   xmm0, xmm0, xmm1
            RWD00  	dd	3F800000h
            ; Total bytes of code 12

            ; Assembly listing for method C:D(float):float (FullOpts)
            G_M001_IG01:
                   vmulss   xmm0, xmm0, xmm1 ; a comment
                   lock     cmpxchg [rdi], rsi
            """;
        JitDisassembly listing = JitDisassembly.Parse(text);
        Assert.Equal(new[] { "A:B(float):float (FullOpts)", "C:D(float):float (FullOpts)" }, listing.Methods.Select(m => m.Name));
        Assert.Equal(new[] { "vpmulld", "vaddss" }, listing.Methods[0].Instructions.Select(i => i.Mnemonic));
        Assert.Empty(listing.Methods[0].ForbiddenInstructions);
        Assert.Equal(new[] { "vmulss", "cmpxchg" }, listing.Methods[1].Instructions.Select(i => i.Mnemonic));
        Assert.Equal("vmulss   xmm0, xmm0, xmm1", Assert.Single(listing.Methods[1].ForbiddenInstructions).Text);
    }

    /// <summary>The probe's dll, built beside this project through its ReferenceOutputAssembly=false reference.</summary>
    private static string ProbePath()
    {
        string configuration = typeof(JitDisassemblyTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null && !File.Exists(Path.Combine(directory.FullName, "PamGen.sln"))) directory = directory.Parent;
        Assert.True(directory != null, $"no PamGen.sln above {AppContext.BaseDirectory}");
        string probeBin = Path.Combine(directory!.FullName, "tests", "PamGen.JitProbe", "bin");
        string expected = Path.Combine(probeBin, configuration, "net10.0", "PamGen.JitProbe.dll");
        if (File.Exists(expected)) return expected;
        string? newest = Directory.Exists(probeBin)
            ? Directory.EnumerateFiles(probeBin, "PamGen.JitProbe.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        Assert.True(newest != null, $"the JIT probe is not built: expected {expected}; build tests/PamGen.JitProbe");
        return newest!;
    }
}
