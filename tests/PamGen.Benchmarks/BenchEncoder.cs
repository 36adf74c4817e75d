using static PamGen.ModelBuiltins;

namespace PamGen.Benchmarks;

/// <summary>
/// The runtime issue's benchmark transformer (<see cref="TrainingStepBenchmark"/>) declared as a generated model:
/// token + position embedding (vocab 1000, d = 256, 128 positions), 4 pre-norm encoder blocks (4 heads, MLP 1024),
/// final norm, mean pooling, a 10-class head. The generated encoder blocks have no dropout.
/// </summary>
[PamModel(Seed = 1)]
public partial class BenchEncoder
{
    [Embedding(1000, 256, MaxSeq = 128)] private static partial TensorExpr Embed(TensorExpr tokens);
    [TransformerEncoder(Layers = 4, Dim = 256, Heads = 4, Hidden = 1024)] private static partial TensorExpr Encoder(TensorExpr x);
    [LayerNorm(256)] private static partial TensorExpr Norm(TensorExpr x);
    [Linear(256, 10)] private static partial TensorExpr Head(TensorExpr x);

    [Forward]
    private static TensorExpr Model(TensorExpr tokens) => Head(MeanPool(Norm(Encoder(Embed(tokens)))));
}
