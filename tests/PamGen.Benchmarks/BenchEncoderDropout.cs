using static PamGen.ModelBuiltins;

namespace PamGen.Benchmarks;

/// <summary>
/// <see cref="BenchEncoder"/> with the runtime benchmark model's regularisation: dropout 0.1 on the embeddings and on
/// every sub-layer output before its residual sum (the encoder blocks' <c>Dropout</c>), as the hand-assembled
/// <see cref="TransformerClassifier"/> of <see cref="TrainingStepBenchmark"/> applies it. The blocks' dropouts run in
/// the GEMM epilogues of the attention output and feed-forward down projections.
/// </summary>
[PamModel(Seed = 1)]
public partial class BenchEncoderDropout
{
    [Embedding(1000, 256, MaxSeq = 128)] private static partial TensorExpr Embed(TensorExpr tokens);
    [Dropout(0.1f)] private static partial TensorExpr Drop(TensorExpr x);
    [TransformerEncoder(Layers = 4, Dim = 256, Heads = 4, Hidden = 1024, Dropout = 0.1f)] private static partial TensorExpr Encoder(TensorExpr x);
    [LayerNorm(256)] private static partial TensorExpr Norm(TensorExpr x);
    [Linear(256, 10)] private static partial TensorExpr Head(TensorExpr x);

    [Forward]
    private static TensorExpr Model(TensorExpr tokens) => Head(MeanPool(Norm(Encoder(Drop(Embed(tokens))))));
}
