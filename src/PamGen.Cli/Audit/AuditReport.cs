using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PamGen.Cli.Audit;

/// <summary>Prints the per-mode table and decides the exit code.</summary>
internal static class AuditReport
{
    /// <summary>Every mode clean and every control non-zero.</summary>
    public const int Passed = 0;
    /// <summary>A multiplication-free mode executed counted instructions.</summary>
    public const int MultiplicationFound = 1;
    /// <summary>The audit could not show anything: a mode failed or is missing, no methods were listed, or the control found nothing.</summary>
    public const int Inconclusive = 2;

    private static readonly InstructionClass[] Columns =
    {
        InstructionClass.Multiply, InstructionClass.Divide, InstructionClass.FusedMultiplyAdd,
        InstructionClass.SquareRoot, InstructionClass.Reciprocal,
    };

    public static int Write(TextWriter output, IAuditWorkload workload, int steps, IReadOnlyList<ModeAudit> results)
    {
        output.WriteLine($"pamgen audit: workload {workload.Name}, {steps} training step(s) per mode, tiered compilation off, JitDisasm {string.Join(' ', AuditRunner.Filters(workload))}");
        output.WriteLine($"{"mode",-6} {"methods",8} {"multiply",9} {"divide",7} {"fma",5} {"sqrt",5} {"recip",6} {"total",6}  expected");
        var exit = Passed;
        foreach (var result in results)
        {
            var expected = result.Mode.ExpectMultiplicationFree ? "0" : "> 0 (control)";
            if (result.Scan is not { } scan)
            {
                output.WriteLine($"{result.Mode.Name,-6} not audited: {result.Failure}");
                exit = Worst(exit, Inconclusive);
                continue;
            }
            var counts = string.Join(' ', Columns.Select((c, i) => scan.Count(c).ToString().PadLeft(new[] { 9, 7, 5, 5, 6 }[i])));
            output.WriteLine($"{result.Mode.Name,-6} {scan.MethodCount,8} {counts} {scan.Total,6}  {expected}");

            if (scan.MethodCount == 0)
            {
                output.WriteLine($"  no methods were listed for {result.Mode.Name}: the JitDisasm filter matched nothing, so nothing was checked.");
                exit = Worst(exit, Inconclusive);
            }
            else if (result.Mode.ExpectMultiplicationFree && scan.Total > 0)
            {
                foreach (var method in scan.Methods.Where(m => m.Total > 0).OrderByDescending(m => m.Total))
                {
                    output.WriteLine($"  {method.Total,4} in {method.Method}");
                }
                exit = Worst(exit, MultiplicationFound);
            }
            else if (!result.Mode.ExpectMultiplicationFree && scan.Total == 0)
            {
                output.WriteLine($"  the {result.Mode.Name} control found no floating-point multiply: the audit cannot tell clean code from blind scanning.");
                exit = Worst(exit, Inconclusive);
            }
        }
        if (!results.Any(r => r.Mode.ExpectMultiplicationFree))
        {
            output.WriteLine("  no multiplication-free mode was audited (--modes): there is nothing to prove.");
            exit = Worst(exit, Inconclusive);
        }
        output.WriteLine(exit switch
        {
            Passed => "audit passed: no floating-point multiply, divide, FMA, square root or reciprocal in the multiplication-free modes.",
            MultiplicationFound => "audit FAILED: floating-point multiplication executed in a multiplication-free mode (methods listed above).",
            _ => "audit INCONCLUSIVE: see the lines above.",
        });
        return exit;
    }

    /// <summary>The exit code of several audits: a found multiplication outranks an inconclusive one.</summary>
    public static int Combine(int a, int b) => Worst(a, b);

    // A found multiplication outranks an inconclusive mode: it is the stronger statement.
    private static int Worst(int a, int b) => a == MultiplicationFound || b == MultiplicationFound ? MultiplicationFound : System.Math.Max(a, b);
}
