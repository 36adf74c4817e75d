using static PamGen.ModelBuiltins;

namespace PamGen.Samples.Tiny;

/// <summary>
/// An encoder–decoder transformer: the source goes through a token and position embedding, a pre-norm encoder
/// block and a final norm (the memory); the target through its own embedding and a pre-norm decoder block (causal
/// self-attention, cross-attention to the memory, GELU feed-forward), a final norm and a vocabulary head.
/// Token 0 is padding: masked as an attention key and adding no loss.
/// </summary>
[PamModel(Seed = 5, PadToken = 0)]
[MultiplicationFree]
public partial class TinyTranslator
{
    [Embedding(12, 16, MaxSeq = 8)] private static partial TensorExpr SourceEmbed(TensorExpr tokens);
    [TransformerEncoder(Layers = 1, Dim = 16, Heads = 2, Hidden = 32)] private static partial TensorExpr Encoder(TensorExpr x);
    [LayerNorm(16)] private static partial TensorExpr EncoderNorm(TensorExpr x);
    [Embedding(12, 16, MaxSeq = 8)] private static partial TensorExpr TargetEmbed(TensorExpr tokens);
    [TransformerDecoder(Layers = 1, Dim = 16, Heads = 2, Hidden = 32)] private static partial TensorExpr Decoder(TensorExpr x, TensorExpr memory);
    [LayerNorm(16)] private static partial TensorExpr DecoderNorm(TensorExpr x);
    [Linear(16, 12)] private static partial TensorExpr Head(TensorExpr x);

    [Forward]
    private static TensorExpr Model(TensorExpr source, TensorExpr target)
    {
        var memory = EncoderNorm(Encoder(SourceEmbed(source)));
        return Head(DecoderNorm(Decoder(TargetEmbed(target), memory)));
    }
}
