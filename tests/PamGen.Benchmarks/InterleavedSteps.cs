using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using PamMode = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Benchmarks;

/// <summary>
/// The training steps of <see cref="TrainingStepBenchmark"/> and <see cref="GeneratedTrainingStepBenchmark"/> timed
/// round-robin in one process: every round runs each variant for a few steps, so drift in the load of a shared machine
/// hits all variants alike. Ratios are taken within each round (against the baseline the row names) and their median
/// is reported beside the median step time, which is what the closing notes quote. BenchmarkDotNet runs the variants one
/// after another instead, where a burst of load lands on whichever runs at that moment.
/// Run: <c>dotnet run -c Release --project tests/PamGen.Benchmarks -- steps [--rounds R] [--steps S]</c>.
/// </summary>
internal static class InterleavedSteps
{
    private sealed record Variant(string Name, string Baseline, Func<float> Step);

    internal static void Run(string[] args)
    {
        int rounds = Option(args, "--rounds", 5), steps = Option(args, "--steps", 3);
        var (tokens, flat, labels) = BenchModels.Data();
        Func<float> Runtime(TrainingMode mode, float dropout, bool fuse)
        {
            var model = BenchModels.Runtime(mode, dropout, fuse);
            return () => model.TrainStep(tokens, labels);
        }
        var adam = new AdamWOptions();
        int step = 0;
        var generated = new BenchEncoder(BenchModels.Batch, BenchModels.Seq);
        generated.InitializeParameters<PamMode>();
        var generatedDropout = new BenchEncoderDropout(BenchModels.Batch, BenchModels.Seq);
        generatedDropout.InitializeParameters<PamMode>();

        // Baselines: the Ieee step for the modes (issue 3's Pam ≥ 0.8× Ieee), the unfused runtime model for fusion (issue 4).
        const string Ieee = "runtime Ieee (dropout 0.1)", Unfused01 = "runtime Pam unfused (dropout 0.1)", Unfused0 = "runtime Pam unfused (dropout 0)";
        var variants = new List<Variant>
        {
            new(Ieee, Ieee, Runtime(TrainingMode.Ieee, 0.1f, fuse: true)),
            new("runtime PamMatmul (dropout 0.1)", Ieee, Runtime(TrainingMode.PamMatmul, 0.1f, fuse: true)),
            new("runtime Pam (dropout 0.1)", Ieee, Runtime(TrainingMode.Pam, 0.1f, fuse: true)),
            new(Unfused01, Unfused01, Runtime(TrainingMode.Pam, 0.1f, fuse: false)),
            new("generated Pam (dropout 0.1)", Unfused01,
                () => generatedDropout.TrainStep<PamMode, PamMode>(flat, labels, 1e-3f, ++step, adam, smoothing: 0.1f)),
            new(Unfused0, Unfused0, Runtime(TrainingMode.Pam, 0f, fuse: false)),
            new("runtime Pam fused (dropout 0)", Unfused0, Runtime(TrainingMode.Pam, 0f, fuse: true)),
            new("generated Pam (dropout 0)", Unfused0,
                () => generated.TrainStep<PamMode, PamMode>(flat, labels, 1e-3f, ++step, adam, smoothing: 0.1f)),
        };

        Console.WriteLine($"# {variants.Count} training steps, d=256, 4 layers, 4 heads, MLP 1024, batch {BenchModels.Batch} x seq {BenchModels.Seq}; "
            + $"{rounds} rounds x {steps} steps each, round-robin; {Environment.ProcessorCount} threads");
        foreach (var v in variants) { v.Step(); v.Step(); }   // warm-up: tiering, first-touch of arenas and scratch

        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var roundMedian = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var sw = new Stopwatch();
        for (int r = 0; r < rounds; r++)
        {
            foreach (var v in variants)
            {
                var mine = new List<double>();
                for (int s = 0; s < steps; s++)
                {
                    sw.Restart();
                    float loss = v.Step();
                    mine.Add(sw.Elapsed.TotalMilliseconds);
                    if (!float.IsFinite(loss)) throw new InvalidOperationException($"{v.Name}: loss {loss} at round {r}");
                }
                times[v.Name].AddRange(mine);
                roundMedian[v.Name].Add(Median(mine));
            }
        }

        Console.WriteLine($"{"variant",-36} {"median ms",10} {"best ms",8} {"tok/s",7}  time / baseline (median over rounds)");
        foreach (var v in variants)
        {
            double median = Median(times[v.Name]), best = times[v.Name].Min();
            var ratios = roundMedian[v.Name].Zip(roundMedian[v.Baseline], (a, b) => a / b).ToList();
            string ratio = v.Name == v.Baseline ? "baseline" : $"{Median(ratios):F3} vs {v.Baseline} (rounds {ratios.Min():F2}..{ratios.Max():F2})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{v.Name,-36} {median,10:F1} {best,8:F1} {BenchModels.Tokens / median * 1000,7:F0}  {ratio}"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(x => x).ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int value) || value < 1)
            throw new ArgumentException($"{name} needs a positive integer, e.g. {name} {fallback}.");
        return value;
    }
}
