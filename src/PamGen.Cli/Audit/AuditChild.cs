using System;
using System.Reflection;

namespace PamGen.Cli.Audit;

/// <summary>The child side of the audit: runs the workload's training steps in one mode (under the JIT's disassembler).</summary>
internal static class AuditChild
{
    public static float Run(IAuditWorkload workload, AuditMode mode, int steps, int seed)
    {
        if (mode.Arithmetic is null) throw new InvalidOperationException($"Mode {mode.Name} cannot run: {mode.Missing}.");
        // MakeGenericMethod over a struct gives the same specialized code as a direct call; the mode type may be
        // found by name (see AuditMode), so it cannot be written as a type argument here.
        var train = typeof(AuditChild).GetMethod(nameof(Train), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(mode.Arithmetic);
        return (float)train.Invoke(null, new object[] { workload, steps, seed })!;
    }

    private static float Train<TArith>(IAuditWorkload workload, int steps, int seed) where TArith : struct, IArithmetic =>
        workload.Train<TArith>(steps, seed);
}
