using System;
using PamGen;
using PamGen.Samples.Tiny;

// Runs the generated kernels in float32 and in the fully multiplication-free mode.
float[] x = { -2f, -0.5f, 0f, 0.5f, 1f, 2f, 3f, 4f, -3f };
var y = new float[x.Length];
var dx = new float[x.Length];
var ones = new float[x.Length];
Array.Fill(ones, 1f);

Activations.GeluForward<IeeeArithmetic>(y, x);
Console.WriteLine("Gelu (Ieee):  " + string.Join(" ", Array.ConvertAll(y, v => v.ToString("F4"))));
Activations.GeluForward<PamArithmetic<PamDefaults>>(y, x);
Console.WriteLine("Gelu (Pam):   " + string.Join(" ", Array.ConvertAll(y, v => v.ToString("F4"))));
Activations.GeluBackward<PamArithmetic<PamDefaults>>(dx, ones, x);
Console.WriteLine("dGelu (Pam):  " + string.Join(" ", Array.ConvertAll(dx, v => v.ToString("F4"))));

// Trains the generated classifier a few steps on a fixed toy task (class = first token mod 3) in Pam mode.
var model = new TinyClassifier(batch: 4, sequence: 6);
Console.WriteLine($"TinyClassifier: {TinyClassifier.ParameterCount} parameters in {model.Parameters.Count} tensors");
var rng = new Random(3);
var tokens = new int[4 * 6];
var targets = new int[4];
for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.Next(16);
for (int b = 0; b < 4; b++) targets[b] = tokens[b * 6] % 3;
var options = new AdamWOptions(WeightDecay: 0f);
for (int step = 1; step <= 30; step++)
{
    float loss = model.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(tokens, targets, 0.01f, step, options);
    if (step == 1 || step % 10 == 0) Console.WriteLine($"step {step,2}: loss {loss:F4}");
}

// The same toy task with a generated transformer encoder, fully multiplication-free.
var encoder = new TinyEncoder(batch: 4, sequence: 6);
Console.WriteLine($"TinyEncoder: {TinyEncoder.ParameterCount} parameters in {encoder.Parameters.Count} tensors");
for (int step = 1; step <= 30; step++)
{
    float loss = encoder.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(tokens, targets, 0.01f, step, options);
    if (step == 1 || step % 10 == 0) Console.WriteLine($"step {step,2}: loss {loss:F4}");
}

// A generated encoder–decoder learns to reverse short sequences (token 0 pads, token 1 starts the target), fully
// multiplication-free: the decoder reads [1, reversed…] and predicts the reversed tokens (padding adds no loss).
var translator = new TinyTranslator(batch: 4, sourceLength: 5, targetLength: 6);
Console.WriteLine($"TinyTranslator: {TinyTranslator.ParameterCount} parameters in {translator.Parameters.Count} tensors");
var source = new int[4 * 5];
var targetIn = new int[4 * 6];
var targetOut = new int[4 * 6];
for (int b = 0; b < 4; b++)
{
    int length = 3 + rng.Next(3);
    for (int t = 0; t < length; t++) source[b * 5 + t] = 2 + rng.Next(10);
    targetIn[b * 6] = 1;
    for (int t = 0; t < length; t++) targetIn[b * 6 + 1 + t] = targetOut[b * 6 + t] = source[b * 5 + length - 1 - t];
}
for (int step = 1; step <= 30; step++)
{
    float loss = translator.TrainStep<PamArithmetic<PamDefaults>, PamArithmetic<PamDefaults>>(source, targetIn, targetOut, 0.01f, step, options);
    if (step == 1 || step % 10 == 0) Console.WriteLine($"step {step,2}: loss {loss:F4}");
}
