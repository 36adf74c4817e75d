using System.Collections.Generic;
using System.IO;
using PamGen.Cli.Audit;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>The exit-code rules of the audit, on synthetic scans.</summary>
public class AuditReportTests
{
    private static readonly AuditMode Control = new("Ieee", ExpectMultiplicationFree: false, (_, _, _) => 0f);
    private static readonly AuditMode Free = new("Pam", ExpectMultiplicationFree: true, (_, _, _) => 0f);

    private static DisassemblyScan Scan(string method, int multiplies) =>
        new(new[] { new MethodScan(method, new Dictionary<InstructionClass, int> { [InstructionClass.Multiply] = multiplies }) });

    private static (int Exit, string Text) Write(params ModeAudit[] results)
    {
        var output = new StringWriter();
        var exit = AuditReport.Write(output, new TinyMlpWorkload(), 1, results);
        return (exit, output.ToString());
    }

    [Fact]
    public void Clean_free_mode_and_nonzero_control_pass()
    {
        var (exit, _) = Write(new ModeAudit(Control, Scan("A:M()", 3), null), new ModeAudit(Free, Scan("A:M()", 0), null));
        Assert.Equal(AuditReport.Passed, exit);
    }

    [Fact]
    public void A_multiply_in_the_free_mode_fails_and_names_the_method()
    {
        var (exit, text) = Write(new ModeAudit(Control, Scan("A:M()", 3), null), new ModeAudit(Free, Scan("PamGen.Bad:Step()", 2), null));
        Assert.Equal(AuditReport.MultiplicationFound, exit);
        Assert.Contains("PamGen.Bad:Step()", text);
    }

    [Fact]
    public void A_blind_control_or_an_empty_listing_is_inconclusive()
    {
        Assert.Equal(AuditReport.Inconclusive,
            Write(new ModeAudit(Control, Scan("A:M()", 0), null), new ModeAudit(Free, Scan("A:M()", 0), null)).Exit);
        Assert.Equal(AuditReport.Inconclusive,
            Write(new ModeAudit(Control, Scan("A:M()", 3), null), new ModeAudit(Free, new DisassemblyScan(new List<MethodScan>()), null)).Exit);
        Assert.Equal(AuditReport.Inconclusive,
            Write(new ModeAudit(Control, Scan("A:M()", 3), null), new ModeAudit(Free, null, "the workload process exited with code 1")).Exit);
        Assert.Equal(AuditReport.Inconclusive, Write(new ModeAudit(Control, Scan("A:M()", 3), null)).Exit);
    }
}
