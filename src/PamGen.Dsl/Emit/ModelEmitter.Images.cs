using PamGen.Dsl.Model;

namespace PamGen.Dsl.Emit;

/// <summary>Emission of the image layers: Conv2d, MaxPool, PatchEmbedding and global average pooling of images.</summary>
public static partial class ModelEmitter
{
    private static LayerDecl? ImageLayer(Plan m, int i)
        => m.Graph.Nodes[i].Op == ModelOp.Layer && m.Layers[m.Graph.Nodes[i].Layer] is { Kind: LayerKind.Conv2d or LayerKind.PatchEmbedding } l ? l : null;

    // Conv2d and PatchEmbedding keep an im2col scratch; a patch embedding also its convolution's image output.
    private static void ImageFields(SourceWriter w, Plan m, int i)
    {
        var l = ImageLayer(m, i);
        if (l is null) return;
        if (l.Kind == LayerKind.PatchEmbedding)
            w.Line($"private readonly {G}Tensor {m.Node(i)}Image, {m.Node(i)}Scratch; // n{i}'s convolution output [batch, {l.D}, {l.A / l.B}, {l.A / l.B}] and im2col scratch");
        else
            w.Line($"private readonly {G}Tensor {m.Node(i)}Scratch; // im2col scratch of n{i}");
    }

    private static void ImageBuffers(SourceWriter w, Plan m, int i)
    {
        var l = ImageLayer(m, i);
        if (l is null) return;
        if (l.Kind == LayerKind.PatchEmbedding)
            w.Line($"{m.Node(i)}Image = Arena.Activation(\"n{i}.image\", batch, {l.D}, {l.A / l.B}, {l.A / l.B});");
        w.Line($"{m.Node(i)}Scratch = Arena.Buffer(\"n{i}.scratch\", {ConvShape(m, i)}.ScratchSize);");
    }

    // The runtime's Conv2dShape of a Conv2d node, or of a PatchEmbedding's convolution (kernel = stride = patch).
    private static string ConvShape(Plan m, int i)
    {
        var n = m.Graph.Nodes[i];
        var l = m.Layers[n.Layer];
        var a = m.Shapes[n.A]!;
        return l.Kind == LayerKind.PatchEmbedding
            ? $"new {G}Conv2dShape(Batch, {l.C}, {l.A}, {l.A}, {l.D}, {l.B}, {l.B}, {l.B}, 0)"
            : $"new {G}Conv2dShape(Batch, {l.A}, {a.Height}, {a.ImageWidth}, {l.B}, {l.C}, {l.C}, {l.D}, {l.E})";
    }

    private static void ImageForward(SourceWriter w, Plan m, int i)
    {
        var n = m.Graph.Nodes[i];
        var l = m.Layers[n.Layer];
        var a = m.Shapes[n.A]!;
        string o = m.Node(i), x = m.Node(n.A);
        switch (l.Kind)
        {
            case LayerKind.MaxPool:
                w.Line($"{G}MaxPool2d.Forward({o}.Span, {x}.Span, Batch, {a.Width}, {a.Height}, {a.ImageWidth}, {l.A}, {l.B});");
                break;
            case LayerKind.Conv2d:
                w.Line($"{G}Conv2d.Forward<TMatmul>({o}.Span, {o}Scratch.Span, {x}.Span, {m.Field(l.Name, "Weight")}.Span, {m.Field(l.Name, "Bias")}.Span, {ConvShape(m, i)});");
                break;
            default:
                int grid = l.A / l.B;
                w.Line($"{G}Conv2d.Forward<TMatmul>({o}Image.Span, {o}Scratch.Span, {x}.Span, {m.Field(l.Name, "Weight")}.Span, {m.Field(l.Name, "Bias")}.Span, {ConvShape(m, i)});");
                w.Line($"{G}ImageToSequence.Forward({o}.Span, {o}Image.Span, Batch, {l.D}, {grid * grid});");
                break;
        }
    }

    private static void ImageBackward(SourceWriter w, Plan m, int i)
    {
        var n = m.Graph.Nodes[i];
        var l = m.Layers[n.Layer];
        var a = m.Shapes[n.A]!;
        string o = m.Node(i), x = m.Node(n.A);
        string weight = m.Field(l.Name, "Weight"), bias = m.Field(l.Name, "Bias");
        switch (l.Kind)
        {
            case LayerKind.MaxPool:
                w.Line($"{G}MaxPool2d.Backward({x}.GradSpan, {o}.GradSpan, {x}.Span, Batch, {a.Width}, {a.Height}, {a.ImageWidth}, {l.A}, {l.B});");
                break;
            case LayerKind.Conv2d:
                w.Line($"{G}Conv2d.Backward<TMatmul>({x}.GradSpan, {weight}.GradSpan, {bias}.GradSpan, {o}Scratch.Span, {o}.GradSpan, {x}.Span, {weight}.Span, {ConvShape(m, i)});");
                break;
            default:
                int grid = l.A / l.B;
                w.Line($"{G}ImageToSequence.Backward({o}Image.GradSpan, {o}.GradSpan, Batch, {l.D}, {grid * grid});");
                w.Line($"{G}Conv2d.Backward<TMatmul>({x}.GradSpan, {weight}.GradSpan, {bias}.GradSpan, {o}Scratch.Span, {o}Image.GradSpan, {x}.Span, {weight}.Span, {ConvShape(m, i)});");
                break;
        }
    }

    // Global average pooling: each (image, channel) plane is a "sequence" of its pixels of width 1.
    private static void ImageMeanPool(SourceWriter w, Plan m, int i, bool forward)
    {
        var n = m.Graph.Nodes[i];
        var a = m.Shapes[n.A]!;
        string o = m.Node(i), x = m.Node(n.A);
        string sizes = $"Batch * {a.Width}, {a.Height * a.ImageWidth}, 1";
        w.Line(forward
            ? $"{G}MeanPool.Forward<TElem>({o}.Span, {x}.Span, default, {sizes});"
            : $"{G}MeanPool.Backward<TElem>({x}.GradSpan, {o}.GradSpan, default, {sizes});");
    }
}
