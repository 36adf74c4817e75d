using System.Linq;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Model;

/// <summary>Layer kinds the model IR knows; the emitter supports the first five (see <see cref="LayerDecl.IsEmittable"/>).</summary>
public enum LayerKind
{
    /// <summary><c>[Linear(in, out)]</c>: A = in, B = out.</summary>
    Linear,
    /// <summary><c>[Embedding(vocab, dim)]</c>: A = vocab, B = dim, C = max sequence.</summary>
    Embedding,
    /// <summary><c>[LayerNorm(dim)]</c>: A = dim.</summary>
    LayerNorm,
    /// <summary><c>[Dropout(p)]</c>: Probability = p.</summary>
    Dropout,
    /// <summary><c>[PositionalEmbedding(maxSeq, dim)]</c>: A = maxSeq, B = dim; adds a learned row per position to a float sequence.</summary>
    PositionalEmbedding,
    /// <summary><c>[MultiHeadAttention(dim, heads)]</c>: A = dim, B = heads; expanded into q/k/v/output projections around an <see cref="ModelOp.Attention"/> core.</summary>
    MultiHeadAttention,
    /// <summary><c>[FeedForward(dim, hidden)]</c>: A = dim, B = hidden; expanded into Linear, Gelu, Linear.</summary>
    FeedForward,
    /// <summary><c>[TransformerEncoder]</c>: A = layers, B = dim, C = heads, D = hidden; expanded into pre-norm blocks.</summary>
    TransformerEncoder,
    /// <summary><c>[TransformerDecoder]</c> called as <c>Decoder(x, memory)</c>: A = layers, B = dim, C = heads, D = hidden; expanded into pre-norm blocks of causal self-attention, cross-attention to the memory and a GELU feed-forward.</summary>
    TransformerDecoder,
    /// <summary><c>[PatchEmbedding]</c>: A = image size, B = patch, C = channels, D = dim; a convolution with stride = kernel = patch read as a sequence of patches.</summary>
    PatchEmbedding,
    /// <summary><c>[Conv2d(in, out, kernel)]</c>: A = in, B = out, C = kernel, D = stride, E = padding.</summary>
    Conv2d,
    /// <summary><c>[MaxPool(kernel)]</c>: A = kernel, B = stride.</summary>
    MaxPool,
    /// <summary>Not a layer: the size of an <c>[Image(channels, height, width)]</c> model input (A, B, C), named after the input.</summary>
    ImageInput,
    /// <summary>Not a layer: a <c>[Mask(of)]</c> model input, the padding mask of input <see cref="LayerDecl.ParameterName"/>.</summary>
    MaskInput,
}

/// <summary>A declared layer: its member name, kind and integer arguments.</summary>
/// <param name="Name">The partial method's name (parameter names derive from it).</param>
/// <param name="Kind">Kind.</param>
/// <param name="A">First size argument (see <see cref="LayerKind"/>).</param>
/// <param name="B">Second size argument.</param>
/// <param name="C">Third size argument.</param>
/// <param name="D">Fourth size argument.</param>
/// <param name="Probability">Dropout probability.</param>
/// <param name="Bias">Whether a linear layer has a bias.</param>
/// <param name="Causal">Whether attention is causal.</param>
/// <param name="Modifiers">The partial method's modifiers as declared (the implementation repeats them); empty for layers the parser synthesises when it expands a block.</param>
/// <param name="ParameterName">The partial method's parameter name.</param>
/// <param name="MemoryName">The partial method's second parameter name (the memory of a decoder or of cross-attention), else empty.</param>
/// <param name="E">Fifth size argument (convolution padding).</param>
public sealed record LayerDecl(string Name, LayerKind Kind, int A, int B, int C, int D, float Probability, bool Bias, bool Causal, string Modifiers, string ParameterName,
    string MemoryName = "", int E = 0)
{
    /// <summary>Whether this generator version emits the kind (attention and encoder blocks are expanded into Linear, LayerNorm and attention cores).</summary>
    public bool IsEmittable => Kind is LayerKind.Linear or LayerKind.Embedding or LayerKind.LayerNorm or LayerKind.Dropout
        or LayerKind.MultiHeadAttention or LayerKind.TransformerEncoder or LayerKind.TransformerDecoder or LayerKind.FeedForward
        or LayerKind.PositionalEmbedding or LayerKind.Conv2d or LayerKind.MaxPool or LayerKind.PatchEmbedding;

    /// <summary>How many tensors a call of the layer takes: two for a decoder (<c>Decoder(x, memory)</c>), one or two for attention (self or cross), else one.</summary>
    public bool Accepts(int arguments) => Kind switch
    {
        LayerKind.TransformerDecoder => arguments == 2,
        LayerKind.MultiHeadAttention => arguments is 1 or 2,
        _ => arguments == 1,
    };

    /// <summary>Whether the user declared it (a partial method to implement) rather than the parser synthesising it.</summary>
    public bool IsDeclared => Modifiers.Length > 0;
}

/// <summary>What a <see cref="ModelNode"/> computes.</summary>
public enum ModelOp
{
    /// <summary>A model input, one per [Forward] parameter, named by <see cref="ModelNode.Label"/> (token ids when an Embedding consumes it, else floats; an image when <see cref="ModelNode.Layer"/> names its <see cref="LayerKind.ImageInput"/> size).</summary>
    Input,
    /// <summary>A call of a declared layer on node A.</summary>
    Layer,
    /// <summary>Mean over the sequence of node A.</summary>
    MeanPool,
    /// <summary>Residual sum of nodes A and B.</summary>
    Add,
    /// <summary>Scaled dot-product attention of queries A, keys B and values C (the core of a MultiHeadAttention layer, named by <see cref="ModelNode.Layer"/>).</summary>
    Attention,
    /// <summary>An elementwise scalar function <see cref="ModelNode.Function"/> of node A (built-in activations and mapped [PamKernel]s; chains fuse into one).</summary>
    Elementwise,
}

/// <summary>One node of a model graph; arguments refer to earlier nodes (−1 unused).</summary>
/// <param name="Op">Operation.</param>
/// <param name="Layer">Layer name for <see cref="ModelOp.Layer"/>, else empty.</param>
/// <param name="A">First argument node.</param>
/// <param name="B">Second argument node.</param>
/// <param name="Function">The scalar function of parameter 0 for <see cref="ModelOp.Elementwise"/>.</param>
/// <param name="Label">DSL text of the node (for comments, e.g. <c>Relu</c> or <c>Map(Swish)</c>).</param>
/// <param name="C">Third argument node (attention values).</param>
public sealed record ModelNode(ModelOp Op, string Layer, int A, int B, ScalarExpr? Function, string Label, int C = -1);

/// <summary>A parsed model: declared layers and the [Forward] expression as a node list in topological order.</summary>
/// <param name="Name">Class name.</param>
/// <param name="Seed">Initialisation seed.</param>
/// <param name="Layers">Declared layers.</param>
/// <param name="Nodes">Nodes, arguments first.</param>
/// <param name="Output">Output node.</param>
/// <param name="InputName">The first [Forward] parameter's name (every input is an <see cref="ModelOp.Input"/> node).</param>
/// <param name="Source">The [Forward] body as written.</param>
/// <param name="PadToken">Padding token id of the token inputs (−1: none).</param>
public sealed record ModelGraph(string Name, int Seed, EquatableArray<LayerDecl> Layers, EquatableArray<ModelNode> Nodes, int Output, string InputName, string Source,
    int PadToken = -1)
{
    /// <summary>The input nodes in [Forward] parameter order.</summary>
    public int[] Inputs() => System.Linq.Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].Op == ModelOp.Input).ToArray();
}
