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
