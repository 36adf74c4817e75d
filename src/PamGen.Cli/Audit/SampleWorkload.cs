using System;
using System.Collections.Generic;
using PamGen.Samples.Tiny;

namespace PamGen.Cli.Audit;

/// <summary>
/// A few training steps of the sample <see cref="TinyEncoder"/>, whose forward, backward and fused elementwise
/// kernels are emitted by PamGen's source generator: the audit of generated code, not only of the runtime.
/// </summary>
[MultiplicationFree]
internal sealed class SampleWorkload : IAuditWorkload
{
    private const int Batch = 4, Sequence = 6, Vocabulary = 16, Classes = 3;

    public string Name => "sample";

    public IReadOnlyList<string> DisassemblyFilters { get; } = new[] { "PamGen.Samples.*:*" };

    public float Train<TArith>(int steps, int seed) where TArith : struct, IArithmetic
    {
        var model = new TinyEncoder(batch: Batch, sequence: Sequence);
        var random = new Random(seed);
        var tokens = new int[Batch * Sequence];
        var targets = new int[Batch];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = random.Next(Vocabulary);
        for (int b = 0; b < Batch; b++) targets[b] = tokens[b * Sequence] % Classes;

        var options = new AdamWOptions(WeightDecay: 0f);
        float loss = 0f;
        for (int step = 1; step <= steps; step++)
            loss = model.TrainStep<TArith, TArith>(tokens, targets, 0.01f, step, options);
        return loss;
    }
}
