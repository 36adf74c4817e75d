using static PamGen.ModelBuiltins;

namespace PamGen.Samples.Tiny;

/// <summary>
/// A transformer encoder classifier: token and position embedding, two pre-norm encoder blocks (multi-head
/// self-attention and a GELU feed-forward, each residual), a final norm, mean pooling and a linear head.
/// </summary>
[PamModel(Seed = 3)]
[MultiplicationFree]
public partial class TinyEncoder
{
    [Embedding(16, 16, MaxSeq = 8)] private static partial TensorExpr Embed(TensorExpr tokens);
    [TransformerEncoder(Layers = 2, Dim = 16, Heads = 4, Hidden = 32)] private static partial TensorExpr Encoder(TensorExpr x);
    [LayerNorm(16)] private static partial TensorExpr Norm(TensorExpr x);
    [Linear(16, 3)] private static partial TensorExpr Head(TensorExpr x);

    [Forward]
    private static TensorExpr Model(TensorExpr tokens) => Head(MeanPool(Norm(Encoder(Embed(tokens)))));
}
