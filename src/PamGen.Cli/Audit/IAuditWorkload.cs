using System.Collections.Generic;

namespace PamGen.Cli.Audit;

/// <summary>
/// What <c>pamgen audit</c> runs under the JIT's disassembler: a few training steps written once, generic over
/// the arithmetic mode. A real sample model plugs in by implementing this interface and being registered in
/// <see cref="AuditWorkloads"/>; its namespaces go into <see cref="DisassemblyFilters"/> so that its methods are listed.
/// </summary>
internal interface IAuditWorkload
{
    /// <summary>Name used on the command line (<c>--workload</c>).</summary>
    string Name { get; }

    /// <summary>
    /// <c>DOTNET_JitDisasm</c> method patterns covering the model's code: <c>Namespace.Type:Method</c> with <c>*</c>
    /// wildcards, the type fully qualified (<c>MyModels.*:*</c>; a pattern without a colon matches method names
    /// only). PamGen's own methods (<c>PamGen.*:*</c>) are always added.
    /// </summary>
    IReadOnlyList<string> DisassemblyFilters { get; }

    /// <summary>Runs <paramref name="steps"/> training steps in mode <typeparamref name="TArith"/>; returns the last loss (for a sanity print).</summary>
    float Train<TArith>(int steps, int seed) where TArith : struct, IArithmetic;
}
