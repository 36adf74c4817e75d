using Microsoft.CodeAnalysis;
using PamGen.Dsl.Model;

namespace PamGen.Generators.Parsing;

internal static partial class ModelParser
{
    /// <summary>The block layers a single declaration expands into (decoder stacks and feed-forward blocks).</summary>
    private sealed partial class GraphBuilder
    {
        // Pre-norm decoder blocks, in the runtime's TransformerSeq2Seq order:
        // h = x + SelfAttn(SelfLn(x)) (causal); c = h + CrossAttn(CrossLn(h), memory); x = c + Down(Gelu(Up(Ln(c)))),
        // each sub-layer output through a dropout first when the block has one.
        private int Decoder(LayerDecl decoder, int x, int memory, SyntaxNode at)
        {
            int dim = decoder.B, heads = decoder.C, hidden = decoder.D;
            for (int l = 0; l < decoder.A; l++)
            {
                string p = decoder.Name + l;
                var self = Synthesize(p + "Self", LayerKind.MultiHeadAttention, dim, heads, causal: true);
                int selfOut = Attention(p + "Self", self, Apply(Synthesize(p + "SelfLn", LayerKind.LayerNorm, dim), x, at), at);
                int h = Add(new ModelNode(ModelOp.Add, "", x, Drop(decoder, p + "SelfDrop", selfOut, at), null, "+"), at);
                var cross = Synthesize(p + "Cross", LayerKind.MultiHeadAttention, dim, heads);
                int crossOut = Attention(p + "Cross", cross, Apply(Synthesize(p + "CrossLn", LayerKind.LayerNorm, dim), h, at), at, memory);
                int c = Add(new ModelNode(ModelOp.Add, "", h, Drop(decoder, p + "CrossDrop", crossOut, at), null, "+"), at);
                int ff = FeedForward(p, dim, hidden, Apply(Synthesize(p + "Ln", LayerKind.LayerNorm, dim), c, at), at);
                x = Add(new ModelNode(ModelOp.Add, "", c, Drop(decoder, p + "Drop", ff, at), null, "+"), at);
            }
            return x;
        }

        // Feed-forward: Down(Gelu(Up(x))), the runtime MLP's layers without its norm and residual.
        private int FeedForward(string prefix, int dim, int hidden, int x, SyntaxNode at)
        {
            int up = Apply(Synthesize(prefix + "Up", LayerKind.Linear, dim, hidden), x, at);
            int act = Add(new ModelNode(ModelOp.Elementwise, "", up, -1, Gelu, "Gelu"), at);
            return Apply(Synthesize(prefix + "Down", LayerKind.Linear, hidden, dim), act, at);
        }
    }
}
