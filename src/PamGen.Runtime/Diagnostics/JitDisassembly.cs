using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PamGen.Diagnostics;

/// <summary>
/// Proof from the JIT's own output that compiled code executes no floating-point multiplication: runs a probe
/// process under <c>DOTNET_JitDisasm</c>, parses the listing into methods and finds the float multiply-like
/// instructions in each (NUMERICS.md §4). Used by the numeric tests, <c>pamgen audit</c> and the runtime probes.
/// </summary>
/// <remarks>
/// <para>Forbidden ("multiply-like") instructions are those that multiply, divide, take a square root or a
/// reciprocal of floating-point values: x64 <c>mulss/mulps/mulsd/mulpd</c> and their <c>v</c>-forms,
/// every FMA (<c>vfmadd*</c>, <c>vfmsub*</c>, <c>vfnmadd*</c>, <c>vfnmsub*</c>), <c>divss…</c>, <c>sqrtss…</c>,
/// <c>rcp*</c>, <c>rsqrt*</c>, dot products (<c>dpps</c>, <c>vdpbf16ps</c>), <c>vscalef*</c>, x87 <c>fmul/fdiv/fsqrt</c>,
/// and the Arm64 equivalents (<c>fmul</c>, <c>fmla</c>, <c>fmadd</c>, <c>fdiv</c>, <c>fsqrt</c>, <c>frecp*</c>, …).</para>
/// <para>Integer multiplies (<c>imul</c>, <c>mul</c>, <c>vpmul*</c>, <c>vpmadd*</c>) are not floating-point
/// and are allowed: the JIT uses them for index arithmetic, and PAM itself is integer addition.</para>
/// <para>Typical use: <c>JitDisassembly.Capture(probeDll, ["PamGen.Pam:*"], ["pam"])</c>, then check
/// <see cref="Methods"/> contains the expected headers and each method's <see cref="Method.ForbiddenInstructions"/> is empty.</para>
/// </remarks>
public sealed class JitDisassembly
{
    private static readonly Regex ForbiddenMnemonic = new(
        "^(" +
        @"v?(mul|div|sqrt)(ss|sd|ps|pd|sh|ph)" +           // SSE/AVX multiply, divide, square root
        @"|v?rcp\w*|v?rsqrt\w*" +                          // reciprocal (square root) estimates, incl. 14/28 forms
        @"|vfn?m(add|sub)\w*|vfmaddsub\w*|vfmsubadd\w*" +  // fused multiply-add family
        @"|v?dpp[sd]|vdpbf16ps|vdpph\w*|vscalef\w*" +        // dot products, scale by power of two
        @"|f(i)?mul\w*|f(i)?div\w*|fsqrt|fscale" +         // x87 and Arm64 fmul/fdiv/fsqrt
        @"|fn?ml[as]|fn?mul|fn?madd|fn?msub|frecp\w*|frsqrt\w*" + // Arm64 fused and reciprocal forms
        ")$",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private const string MethodHeader = "; Assembly listing for method ";

    private JitDisassembly(string listing, IReadOnlyList<Method> methods, string processOutput, int exitCode)
    {
        Listing = listing;
        Methods = methods;
        ProcessOutput = processOutput;
        ExitCode = exitCode;
    }

    /// <summary>The raw listing the JIT wrote.</summary>
    public string Listing { get; }

    /// <summary>Every method listed, in JIT order.</summary>
    public IReadOnlyList<Method> Methods { get; }

    /// <summary>The probe's own standard output and error (empty for <see cref="Parse(string)"/>).</summary>
    public string ProcessOutput { get; }

    /// <summary>The probe's exit code (0 for <see cref="Parse(string)"/>).</summary>
    public int ExitCode { get; }

    /// <summary>Methods whose name contains <paramref name="fragment"/> (ordinal).</summary>
    public IEnumerable<Method> MethodsNamed(string fragment) => Methods.Where(m => m.Name.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Methods with at least one forbidden instruction.</summary>
    public IEnumerable<Method> MethodsWithForbiddenInstructions => Methods.Where(m => m.ForbiddenInstructions.Count > 0);

    /// <summary>True for the mnemonic of a floating-point multiply, divide, square root, FMA or reciprocal.</summary>
    public static bool IsForbiddenMnemonic(string mnemonic) => ForbiddenMnemonic.IsMatch(mnemonic.ToLowerInvariant());

    /// <summary>
    /// Runs <c>dotnet <paramref name="assemblyPath"/> <paramref name="arguments"/></c> with tiered compilation
    /// off (every method compiled once, fully optimized) and the JIT listing of the methods matching
    /// <paramref name="methodPatterns"/> (<c>DOTNET_JitDisasm</c> syntax, e.g. <c>PamGen.Pam:*</c>, <c>*Gemm:Compute*</c>)
    /// written to a temporary file, and parses it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The probe did not finish within <paramref name="timeout"/>.</exception>
    public static JitDisassembly Capture(string assemblyPath, IEnumerable<string> methodPatterns,
        IEnumerable<string>? arguments = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(assemblyPath))
            throw new FileNotFoundException($"The probe assembly {assemblyPath} does not exist; build it first.", assemblyPath);
        string filter = string.Join(' ', methodPatterns);
        if (filter.Length == 0) throw new ArgumentException("Give at least one DOTNET_JitDisasm method pattern.", nameof(methodPatterns));

        string listingFile = Path.Combine(Path.GetTempPath(), $"pamgen-jitdisasm-{Guid.NewGuid():N}.txt");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (string argument in arguments ?? Array.Empty<string>()) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_TieredCompilation"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment["DOTNET_JitDisasm"] = filter;
        start.Environment["DOTNET_JitDisasmSummary"] = "0";
        start.Environment["DOTNET_JitStdOutFile"] = listingFile;

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"The JIT probe {assemblyPath} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}.");
            }
            process.WaitForExit();   // drain the output events
            string listing = File.Exists(listingFile) ? File.ReadAllText(listingFile) : "";
            return new JitDisassembly(listing, ParseMethods(listing), output.ToString(), process.ExitCode);
        }
        finally
        {
            if (File.Exists(listingFile)) File.Delete(listingFile);
        }
    }

    /// <summary>Parses a <c>DOTNET_JitDisasm</c> listing (as written to <c>DOTNET_JitStdOutFile</c>).</summary>
    public static JitDisassembly Parse(string listing) => new(listing, ParseMethods(listing), "", 0);

    private static List<Method> ParseMethods(string listing)
    {
        var methods = new List<Method>();
        string? name = null;
        List<Instruction>? instructions = null;
        foreach (string rawLine in listing.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.StartsWith(MethodHeader, StringComparison.Ordinal))
            {
                if (name != null) methods.Add(new Method(name, instructions!));
                name = line.Substring(MethodHeader.Length).Trim();
                instructions = new List<Instruction>();
                continue;
            }
            if (name == null) continue;
            int comment = line.IndexOf(';');
            string code = (comment >= 0 ? line.Substring(0, comment) : line).Trim();
            // Skip blank lines, labels ("G_M000_IG01:") and read-only data ("RWD00  dd ...").
            if (code.Length == 0 || code.EndsWith(':') || code.StartsWith("RWD", StringComparison.Ordinal)) continue;
            string[] tokens = code.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            int at = tokens[0] is "lock" or "rep" or "repe" or "repne" && tokens.Length > 1 ? 1 : 0;
            instructions!.Add(new Instruction(tokens[at].ToLowerInvariant(), code));
        }
        if (name != null) methods.Add(new Method(name, instructions!));
        return methods;
    }

    /// <summary>One compiled method of the listing.</summary>
    /// <param name="Name">The header as the JIT prints it, e.g. <c>PamGen.Pam:Mul(float,float):float (FullOpts)</c>.</param>
    /// <param name="Instructions">Its instructions in order.</param>
    public sealed record Method(string Name, IReadOnlyList<Instruction> Instructions)
    {
        /// <summary>The floating-point multiply, divide, square root, FMA and reciprocal instructions of this method.</summary>
        public IReadOnlyList<Instruction> ForbiddenInstructions { get; } =
            Instructions.Where(i => IsForbiddenMnemonic(i.Mnemonic)).ToList();

        /// <inheritdoc />
        public override string ToString() =>
            $"{Name}: {Instructions.Count} instructions, {ForbiddenInstructions.Count} forbidden"
            + (ForbiddenInstructions.Count == 0 ? "" : " (" + string.Join("; ", ForbiddenInstructions.Take(5).Select(i => i.Text)) + ")");
    }

    /// <summary>One instruction line.</summary>
    /// <param name="Mnemonic">Lower-case mnemonic, e.g. <c>vpaddd</c>.</param>
    /// <param name="Text">The whole instruction, operands included.</param>
    public readonly record struct Instruction(string Mnemonic, string Text);
}
