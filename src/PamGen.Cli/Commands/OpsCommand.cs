using System;
using System.CommandLine;
using System.Globalization;

namespace PamGen.Cli.Commands;

/// <summary>
/// <c>pamgen ops</c>: PAM's error against real float32 arithmetic (NUMERICS.md §1), with and without the paper's
/// offset, and a few worked examples showing the bit patterns. The statistics run over a grid of mantissa pairs
/// in [1, 2): PAM's relative error depends only on the mantissas, not on signs or exponents.
/// </summary>
internal static class OpsCommand
{
    private const int GridSteps = 1024;   // 1024 × 1024 mantissa pairs, every multiple of 2^-10

    internal static Command Create()
    {
        var command = new Command("ops", "Print PAM's error statistics against real multiplication and division, and worked examples.");
        command.SetAction(_ =>
        {
            Run(Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>Writes the statistics table and the worked examples to <paramref name="output"/>.</summary>
    internal static void Run(System.IO.TextWriter output)
    {
        output.WriteLine("PAM: a float32 product as the integer sum of the bit patterns, bits(a) + bits(b) - 0x3F800000 (+ k).");
        output.WriteLine($"Relative error against the exact result over {GridSteps}x{GridSteps} mantissa pairs in [1, 2):");
        output.WriteLine();
        output.WriteLine($"{"operation",-10} {"offset",-24} {"mean",10} {"worst",10}   {"range",-22}".TrimEnd());
        foreach (PamOffset offset in new[] { PamOffset.None, PamOffset.Paper })
        {
            WriteRow(output, "Mul (PAM)", offset, (a, b) => Pam.Mul(a, b, offset), (a, b) => (double)a * b);
            WriteRow(output, "Div (PAD)", offset, (a, b) => Pam.Div(a, b, offset), (a, b) => (double)a / b);
        }
        output.WriteLine();
        output.WriteLine("Without offset PAM never exceeds the true product (worst -1/9 at 1.5 x 1.5) and PAD never falls below the");
        output.WriteLine("true quotient; the offset c = 1.0552 (k = bits(c) - 0x3F800000 = 463051) centres the product's error.");
        output.WriteLine();
        output.WriteLine("Worked examples (bit patterns added as 32-bit integers; the sign bits add modulo 2):");
        WriteProduct(output, 1.5f, 1.5f);
        WriteProduct(output, 3f, 7f);
        WriteProduct(output, 0.1f, 10f);
        WriteProduct(output, -2f, 3.3f);
        WriteQuotient(output, 1f, 3f);
        WriteQuotient(output, 20f, 7f);
        WriteUnary(output, "Exp2", 0.5f, Pam.Exp2(0.5f), Math.Pow(2, 0.5));
        WriteUnary(output, "Log2", 10f, Pam.Log2(10f), Math.Log2(10));
        WriteUnary(output, "Exp", 1f, Pam.Exp(1f), Math.E);
        WriteUnary(output, "Sqrt", 2f, Pam.Sqrt(2f), Math.Sqrt(2));
    }

    private static void WriteRow(System.IO.TextWriter output, string name, PamOffset offset,
        Func<float, float, float> pam, Func<float, float, double> exact)
    {
        double sum = 0, min = double.MaxValue, max = double.MinValue;
        for (int i = 0; i < GridSteps; i++)
            for (int j = 0; j < GridSteps; j++)
            {
                float a = 1f + i / (float)GridSteps, b = 1f + j / (float)GridSteps;
                double reference = exact(a, b);
                double relative = (pam(a, b) - reference) / reference;
                sum += relative;
                min = Math.Min(min, relative);
                max = Math.Max(max, relative);
            }
        double worst = Math.Abs(min) >= Math.Abs(max) ? min : max;
        string offsetText = offset.Bits == 0 ? "none" : $"c = {offset.Constant.ToString("R", CultureInfo.InvariantCulture)} (k = {offset.Bits})";
        output.WriteLine($"{name,-10} {offsetText,-24} {Percent(sum / (GridSteps * GridSteps)),10} {Percent(worst),10}   {Percent(min) + " .. " + Percent(max),-22}".TrimEnd());
    }

    private static void WriteProduct(System.IO.TextWriter output, float a, float b)
    {
        float pam = Pam.Mul(a, b);
        double exact = (double)a * b;
        output.WriteLine(Invariant($"  {a} x {b}: 0x{Bits(a):X8} + 0x{Bits(b):X8} - 0x3F800000 = 0x{Bits(pam):X8} = {pam:R}   (exact {exact:G9}, {Percent((pam - exact) / exact)})"));
    }

    private static void WriteQuotient(System.IO.TextWriter output, float a, float b)
    {
        float pad = Pam.Div(a, b);
        double exact = (double)a / b;
        output.WriteLine(Invariant($"  {a} / {b}: 0x{Bits(a):X8} - 0x{Bits(b):X8} + 0x3F800000 = 0x{Bits(pad):X8} = {pad:R}   (exact {exact:G9}, {Percent((pad - exact) / exact)})"));
    }

    private static void WriteUnary(System.IO.TextWriter output, string name, float x, float pam, double exact) =>
        output.WriteLine(Invariant($"  {name}({x}) = {pam:R} (0x{Bits(pam):X8})   (exact {exact:G9}, {Percent((pam - exact) / exact)})"));

    private static int Bits(float x) => BitConverter.SingleToInt32Bits(x);

    private static string Percent(double fraction) => (fraction * 100).ToString("+0.000;-0.000;+0.000", CultureInfo.InvariantCulture) + " %";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
