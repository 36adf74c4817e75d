using static PamGen.ModelBuiltins;

namespace PamGen.Samples.Tiny;

/// <summary>
/// A small sequence classifier declared with layer attributes; the generator emits its arena, seeded
/// initialisation, forward, backward, parameters and training step. The activation chain
/// <c>Gelu(Map(h, Swish))</c> is fused into one elementwise pass.
/// </summary>
[PamModel(Seed = 7)]
[MultiplicationFree]
public partial class TinyClassifier
{
    [Embedding(16, 8, MaxSeq = 6)] private static partial TensorExpr Embed(TensorExpr tokens);
    [Linear(8, 8)] private static partial TensorExpr Hidden(TensorExpr x);
    [Dropout(0.1f)] private static partial TensorExpr Drop(TensorExpr x);
    [LayerNorm(8)] private static partial TensorExpr Norm(TensorExpr x);
    [Linear(8, 3)] private static partial TensorExpr Head(TensorExpr x);

    [Forward]
    private static TensorExpr Model(TensorExpr tokens)
    {
        var h = Embed(tokens);
        h = h + Drop(Gelu(Map(Hidden(h), Activations.Swish)));
        return Head(MeanPool(Norm(h)));
    }
}
