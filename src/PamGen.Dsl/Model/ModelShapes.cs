using System.Collections.Generic;
using System.Linq;

namespace PamGen.Dsl.Model;

/// <summary>The shape of a model tensor: token ids or floats, [batch, seq, Width] or pooled [batch, Width].</summary>
/// <param name="Tokens">Token ids (int) rather than floats.</param>
/// <param name="Pooled">The sequence dimension has been pooled away.</param>
/// <param name="Width">Width of the last dimension (0 for token ids).</param>
/// <param name="Sequence">Which input (0-based [Forward] parameter) the sequence dimension comes from.</param>
/// <param name="SeqName">The sequence dimension's name in text: <c>seq</c> for a single input, else the input's name.</param>
/// <param name="Height">Image height (0: not an image); an image is [batch, Width (channels), Height, ImageWidth].</param>
/// <param name="ImageWidth">Image width.</param>
/// <param name="SeqLength">A sequence length fixed at build time (patches of an image), 0 when the input's length is given at run time.</param>
/// <param name="Mask">A <c>[Mask]</c> input: bytes [batch, seq] masking the sequence of input <paramref name="Sequence"/>, no tensor.</param>
public sealed record TensorShape(bool Tokens, bool Pooled, int Width, int Sequence = 0, string SeqName = "seq", int Height = 0, int ImageWidth = 0, int SeqLength = 0,
    bool Mask = false)
{
    /// <summary>Whether the tensor is a channels-first image.</summary>
    public bool IsImage => Height > 0;

    /// <summary>The shape as text, e.g. <c>[batch, seq, 64]</c>.</summary>
    public override string ToString() => Mask ? $"padding mask [batch, {SeqName}]" : Tokens ? $"token ids [batch, {SeqName}]" : IsImage ? $"image [batch, {Width}, {Height}, {ImageWidth}]"
        : Pooled ? $"[batch, {Width}]" : $"[batch, {SeqName}, {Width}]";
}

/// <summary>A shape error at a node (reported as PAM0203 on the node's span).</summary>
public sealed record ShapeError(int Node, string What, string Expected, string Received, string Fix);

/// <summary>Build-time shape inference and checking of a <see cref="ModelGraph"/>.</summary>
public static class ModelShapes
{
    /// <summary>Every node's shape (null where it could not be inferred) and the errors found.</summary>
    public static (TensorShape?[] Shapes, List<ShapeError> Errors) Infer(ModelGraph graph)
    {
        var shapes = new TensorShape?[graph.Nodes.Count];
        var errors = new List<ShapeError>();
        var layers = graph.Layers.ToDictionary(l => l.Name);
        var inputs = graph.Inputs();
        for (int ordinal = 0; ordinal < inputs.Length; ordinal++)
        {
            int input = inputs[ordinal];
            string name = graph.Nodes[input].Label;
            string seqName = inputs.Length == 1 ? "seq" : name;
            if (graph.Nodes[input].Layer.Length > 0 && layers.TryGetValue(graph.Nodes[input].Layer, out var mask) && mask.Kind == LayerKind.MaskInput)
                continue;
            if (graph.Nodes[input].Layer.Length > 0 && layers.TryGetValue(graph.Nodes[input].Layer, out var image))
            {
                shapes[input] = new TensorShape(false, false, image.A, ordinal, seqName, image.B, image.C);
                continue;
            }
            var consumers = Enumerable.Range(0, graph.Nodes.Count).Where(i => graph.Nodes[i].A == input || graph.Nodes[i].B == input || graph.Nodes[i].C == input).ToList();
            if (consumers.Count == 0 && inputs.Length > 1)
            {
                errors.Add(new ShapeError(input, $"The model input '{name}'", "to be used by the [Forward] expression", "no use", "use every [Forward] parameter or remove it"));
                continue;
            }
            bool tokens = consumers.Any(i => graph.Nodes[i].Op == ModelOp.Layer && layers[graph.Nodes[i].Layer].Kind == LayerKind.Embedding);
            if (tokens)
            {
                shapes[input] = new TensorShape(true, false, 0, ordinal, seqName);
                continue;
            }
            // A float input's width comes from its first consumer that fixes one.
            int width = 0;
            foreach (int c in consumers)
            {
                var n = graph.Nodes[c];
                if (n.Op != ModelOp.Layer) continue;
                var l = layers[n.Layer];
                if (l.Kind is LayerKind.Linear or LayerKind.LayerNorm) width = l.A;
                else if (l.Kind == LayerKind.PositionalEmbedding) width = l.B;
                if (width > 0) break;
            }
            if (width == 0)
                errors.Add(new ShapeError(input, $"The model input '{name}'", "a width fixed by a Linear, LayerNorm or PositionalEmbedding layer", "no layer that fixes it",
                    "apply a Linear or LayerNorm to the input first, an Embedding for token ids, or declare images as '[Image(channels, height, width)] TensorExpr x'"));
            else
                shapes[input] = new TensorShape(false, false, width, ordinal, seqName);
        }

        // Masks after the inputs they mask: each takes the masked sequence's dimension.
        foreach (int input in inputs)
        {
            if (graph.Nodes[input].Layer.Length == 0 || !layers.TryGetValue(graph.Nodes[input].Layer, out var mask) || mask.Kind != LayerKind.MaskInput) continue;
            int masked = System.Array.FindIndex(inputs, k => graph.Nodes[k].Label == mask.ParameterName);
            var of = masked >= 0 ? shapes[inputs[masked]] : null;
            if (of is null) continue;
            if (of.IsImage || of.Mask)
                errors.Add(new ShapeError(input, $"The mask '{graph.Nodes[input].Label}'", "a sequence input to mask", of.ToString(), "mask a token or float sequence input"));
            else if (of.Tokens && graph.PadToken >= 0)
                errors.Add(new ShapeError(input, $"The mask '{graph.Nodes[input].Label}'", "an input without another mask", $"{of} masked by PadToken {graph.PadToken}",
                    "keep either the [Mask] input or [PamModel(PadToken)]"));
            else
                shapes[input] = new TensorShape(false, false, 0, masked, of.SeqName, Mask: true);
        }

        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var n = graph.Nodes[i];
            if (n.Op == ModelOp.Input) continue;
            int maskOperand = new[] { n.A, n.B, n.C }.Where(k => k >= 0 && shapes[k] is { Mask: true }).DefaultIfEmpty(-1).First();
            if (maskOperand >= 0)
            {
                errors.Add(new ShapeError(i, n.Label, "tensors", $"the mask '{graph.Nodes[maskOperand].Label}'", "a [Mask] input only masks its sequence; leave it out of the expression"));
                continue;
            }
            var a = n.A >= 0 ? shapes[n.A] : null;
            var b = n.B >= 0 ? shapes[n.B] : null;
            if (a is null || (n.Op == ModelOp.Add && b is null) || (n.Op == ModelOp.Attention && (b is null || shapes[n.C] is null))) continue;
            if (a.Tokens && !(n.Op == ModelOp.Layer && layers[n.Layer].Kind == LayerKind.Embedding))
            {
                errors.Add(new ShapeError(i, n.Label, "a float tensor", a.ToString(), "token ids go through an Embedding layer first"));
                continue;
            }
            if (ImageError(n, n.Op == ModelOp.Layer ? layers[n.Layer] : null, a) is { } imageError)
            {
                errors.Add(imageError with { Node = i });
                continue;
            }
            switch (n.Op)
            {
                case ModelOp.MeanPool when a.IsImage:
                    shapes[i] = new TensorShape(false, true, a.Width, a.Sequence, a.SeqName);
                    break;
                case ModelOp.MeanPool:
                    if (a.Pooled) errors.Add(new ShapeError(i, "MeanPool", "[batch, seq, width]", a.ToString(), "pool a sequence only once"));
                    else shapes[i] = a with { Pooled = true };
                    break;
                case ModelOp.Add:
                    if (a != b) errors.Add(new ShapeError(i, "The residual '+'", $"two operands of one shape ({a})", b!.ToString(), "make both sides the same width and pooling"));
                    else shapes[i] = a;
                    break;
                case ModelOp.Elementwise:
                    shapes[i] = a;
                    break;
                case ModelOp.Attention:
                    var attention = layers[n.Layer];
                    var v = shapes[n.C]!;
                    if (a.Pooled || b!.Pooled || b != v || a.Width != attention.A || b.Width != attention.A)
                        errors.Add(new ShapeError(i, $"Attention '{n.Layer}'", $"queries, keys and values of shape [batch, seq, {attention.A}] (keys and values of one sequence)", $"{a}, {b}, {v}",
                            "feed it unpooled sequences of the declared width"));
                    else if (attention.Causal && a.Sequence != b.Sequence)
                        errors.Add(new ShapeError(i, $"Causal attention '{n.Layer}'", "queries and keys of one sequence", $"{a} and {b}", "use causal masking for self-attention only"));
                    else shapes[i] = a;
                    break;
                default:
                    shapes[i] = Layer(layers[n.Layer], a, i, errors);
                    break;
            }
        }
        if (shapes[graph.Output] is { IsImage: true } output)
            errors.Add(new ShapeError(graph.Output, "The model output", "logits [batch, classes] or [batch, seq, classes]", output.ToString(), "pool the image (MeanPool) and apply a Linear head"));
        return (shapes, errors);
    }

    // Images flow only through image layers, elementwise functions, residuals and MeanPool; image layers need images.
    private static ShapeError? ImageError(ModelNode n, LayerDecl? l, TensorShape a)
    {
        bool imageLayer = l?.Kind is LayerKind.Conv2d or LayerKind.MaxPool or LayerKind.PatchEmbedding;
        if (imageLayer && !a.IsImage)
            return new ShapeError(0, $"{l!.Kind} '{l.Name}'", "an image [batch, channels, height, width]", a.ToString(),
                "apply it to an image input declared as '[Image(channels, height, width)] TensorExpr x' or to another image layer");
        bool passes = imageLayer || n.Op is ModelOp.Elementwise or ModelOp.Add or ModelOp.MeanPool || l?.Kind == LayerKind.Dropout;
        if (a.IsImage && !passes)
            return new ShapeError(0, l is null ? n.Label : $"{l.Kind} '{l.Name}'", "a sequence or vector", a.ToString(),
                "pool the image first (MeanPool) or turn it into a sequence with a PatchEmbedding");
        return null;
    }

    private static TensorShape? Layer(LayerDecl l, TensorShape a, int node, List<ShapeError> errors)
    {
        switch (l.Kind)
        {
            case LayerKind.Embedding:
                if (!a.Tokens)
                {
                    errors.Add(new ShapeError(node, $"Embedding '{l.Name}'", "the model's token-id input", a.ToString(), "apply the Embedding directly to the [Forward] parameter"));
                    return null;
                }
                return a with { Tokens = false, Width = l.B };
            case LayerKind.Linear:
                if (a.Width != l.A)
                {
                    errors.Add(new ShapeError(node, $"Linear '{l.Name}'", $"width {l.A}", $"width {a.Width} ({a})",
                        l.IsDeclared ? $"declare [Linear({a.Width}, {l.B})] or change the layer before it" : $"give the block that holds it an input of width {l.A}"));
                    return null;
                }
                return a with { Width = l.B };
            case LayerKind.LayerNorm:
                if (a.Width != l.A)
                {
                    errors.Add(new ShapeError(node, $"LayerNorm '{l.Name}'", $"width {l.A}", $"width {a.Width} ({a})",
                        l.IsDeclared ? $"declare [LayerNorm({a.Width})]" : $"give the block that holds it an input of width {l.A}"));
                    return null;
                }
                return a;
            case LayerKind.PositionalEmbedding:
                if (a.Pooled || a.Width != l.B)
                {
                    errors.Add(new ShapeError(node, $"PositionalEmbedding '{l.Name}'", $"a sequence [batch, seq, {l.B}]", a.ToString(),
                        a.Pooled ? "add positions before pooling" : $"declare [PositionalEmbedding({l.A}, {a.Width})]"));
                    return null;
                }
                if (a.SeqLength > l.A)
                {
                    errors.Add(new ShapeError(node, $"PositionalEmbedding '{l.Name}'", $"at most {l.A} positions", $"{a.SeqLength} ({a})", $"declare [PositionalEmbedding({a.SeqLength}, {l.B})]"));
                    return null;
                }
                return a;
            case LayerKind.Conv2d:
            {
                int ho = (a.Height + 2 * l.E - l.C) / l.D + 1, wo = (a.ImageWidth + 2 * l.E - l.C) / l.D + 1;
                if (a.Width != l.A)
                {
                    errors.Add(new ShapeError(node, $"Conv2d '{l.Name}'", $"{l.A} input channels", $"{a.Width} ({a})", $"declare [Conv2d({a.Width}, {l.B}, {l.C})]"));
                    return null;
                }
                if (a.Height + 2 * l.E < l.C || a.ImageWidth + 2 * l.E < l.C)
                {
                    errors.Add(new ShapeError(node, $"Conv2d '{l.Name}'", $"an image of at least {l.C}×{l.C} pixels with padding {l.E}", a.ToString(), "use a smaller kernel, padding or a larger image"));
                    return null;
                }
                return a with { Width = l.B, Height = ho, ImageWidth = wo };
            }
            case LayerKind.MaxPool:
                if (a.Height < l.A || a.ImageWidth < l.A)
                {
                    errors.Add(new ShapeError(node, $"MaxPool '{l.Name}'", $"an image of at least {l.A}×{l.A} pixels", a.ToString(), "use a smaller window or pool less often"));
                    return null;
                }
                return a with { Height = (a.Height - l.A) / l.B + 1, ImageWidth = (a.ImageWidth - l.A) / l.B + 1 };
            case LayerKind.PatchEmbedding:
                if (a.Width != l.C || a.Height != l.A || a.ImageWidth != l.A)
                {
                    errors.Add(new ShapeError(node, $"PatchEmbedding '{l.Name}'", $"image [batch, {l.C}, {l.A}, {l.A}]", a.ToString(),
                        $"declare [PatchEmbedding(ImageSize = {a.Height}, Channels = {a.Width}, ...)] for a square image"));
                    return null;
                }
                int grid = l.A / l.B;
                return new TensorShape(false, false, l.D, a.Sequence, "patches", 0, 0, grid * grid);
            default:
                return a;
        }
    }
}
