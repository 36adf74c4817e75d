using System.IO;
using System.Linq;
using PamGen.Cli.Commands;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary><c>pamgen ops</c> prints the error statistics of NUMERICS.md §1 and correct worked examples.</summary>
public class OpsCommandTests
{
    private static string[] Lines()
    {
        var output = new StringWriter();
        OpsCommand.Run(output);
        return output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    [Fact]
    public void Table_shows_pam_mean_and_worst_with_and_without_offset()
    {
        string[] lines = Lines();
        string plain = Assert.Single(lines, l => l.StartsWith("Mul (PAM)  none", System.StringComparison.Ordinal));
        Assert.Contains("-3.849 %", plain);     // mean −3.85 %
        Assert.Contains("-11.111 %", plain);    // worst −1/9
        string offset = Assert.Single(lines, l => l.StartsWith("Mul (PAM)  c = 1.0552 (k = 463051)", System.StringComparison.Ordinal));
        Assert.Contains("-0.099 %", offset);    // mean about −0.1 %
        Assert.Single(lines, l => l.StartsWith("Div (PAD)  none", System.StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("Div (PAD)  c = 1.0552", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Worked_examples_show_the_bits_and_the_pam_results()
    {
        string[] lines = Lines();
        Assert.Contains(lines, l => l.Contains("1.5 x 1.5: 0x3FC00000 + 0x3FC00000 - 0x3F800000 = 0x40000000 = 2 "));
        Assert.Contains(lines, l => l.Contains("3 x 7: 0x40400000 + 0x40E00000 - 0x3F800000 = 0x41A00000 = 20 "));
        Assert.Contains(lines, l => l.Contains("0.1 x 10:") && l.Contains("= 0.925 "));
    }
}
