using System;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.JitProbe;

/// <summary>
/// The <c>ops</c> probe: runs every operation's forward and backward, the optimizer, schedule, clipping,
/// initialisers and both hand-assembled transformers' training steps in <c>Pam</c> mode, so that the JIT compiles
/// (fully optimized, tiering off) exactly the code a <c>Pam</c> training step executes.
/// </summary>
internal static class ProbeOps
{
    public static int Run()
    {
        var classifier = TransformerClassifier.Create(TrainingMode.Pam,
            new TransformerConfig(Vocab: 9, Dim: 32, Heads: 2, Layers: 1, Hidden: 48, MaxSeq: 8, Classes: 3, Dropout: 0.1f, LabelSmoothing: 0.1f, PadToken: 0),
            new TrainingOptions(WarmupSteps: 1, TotalSteps: 3), 2, 8);
        var tokens = new int[2, 8];
        for (int b = 0; b < 2; b++) for (int t = 0; t < 7; t++) tokens[b, t] = 1 + (b + 3 * t) % 8;
        for (int s = 0; s < 3; s++) classifier.TrainStep(tokens, new[] { 1, 2 });
        classifier.Predict(tokens);

        var seq2seq = TransformerSeq2Seq.Create(TrainingMode.Pam,
            new TransformerConfig(Vocab: 9, Dim: 32, Heads: 2, Layers: 1, Hidden: 48, MaxSeq: 8, DecoderLayers: 1, Dropout: 0.1f, PadToken: 0),
            new TrainingOptions(WarmupSteps: 1, TotalSteps: 3), 2, 8, 8);
        for (int s = 0; s < 3; s++) seq2seq.TrainStep(tokens, tokens, tokens);

        // Operations the transformers do not use.
        var x = new float[2 * 3 * 6 * 6];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 11) - 5.5f;
        var shape = new Conv2dShape(2, 3, 6, 6, 4, 3, 3, 1, 1);
        var w = new float[4 * shape.PatchSize];
        for (int i = 0; i < w.Length; i++) w[i] = (i % 5) * 0.25f - 0.5f;
        var y = new float[2 * 4 * 6 * 6];
        var scratch = new float[shape.ScratchSize];
        Conv2d.Forward<P>(y, scratch, x, w, new float[4], shape);
        Conv2d.Backward<P>(new float[x.Length], new float[w.Length], new float[4], scratch, y, x, w, shape);
        var pooled = new float[2 * 3 * 3 * 3];
        MaxPool2d.Forward(pooled, x, 2, 3, 6, 6, 2, 2);
        MaxPool2d.Backward(new float[x.Length], pooled, x, 2, 3, 6, 6, 2, 2);
        var r = new float[x.Length];
        Relu.Forward(r, x);
        Relu.Backward(new float[x.Length], r, x);
        Softmax.Forward<P>(r, x, 12, 18);
        Softmax.Backward<P>(new float[x.Length], x, r, 12, 18);
        var c = new float[2 * 6 * 6];
        MatMul.Forward<P>(c, x.AsSpan(0, 2 * 6 * 9), x.AsSpan(0, 2 * 9 * 6), GemmOp.Transpose, GemmOp.None, 2, 6, 6, 9);
        MatMul.Backward<P>(new float[2 * 6 * 9], new float[2 * 9 * 6], c, x.AsSpan(0, 2 * 6 * 9), x.AsSpan(0, 2 * 9 * 6), GemmOp.Transpose, GemmOp.None, 2, 6, 6, 9);
        // The generated models' dropout-and-residual GEMM epilogue and its backward.
        var res = new float[6 * 12];
        LinearFused.ForwardDropoutResidual<P, P>(res.AsSpan(), r.AsSpan(0, 6 * 12), x.AsSpan(0, 6 * 9), x.AsSpan(0, 12 * 9), default, 6, 9, 12, 0.25f, 7);
        Dropout.BackwardResidual<P>(new float[6 * 12], new float[6 * 12], res, 0.25f, 7);
        var rng = new SeededRandom(1);
        Initializers.Uniform<P>(r, 0.5f, ref rng);
        return 1;
    }
}
