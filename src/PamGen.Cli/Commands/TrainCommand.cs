using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using PamGen.Cli.Data;
using PamGen.Cli.Training;

namespace PamGen.Cli.Commands;

/// <summary>
/// <c>pamgen train</c>: trains a transformer classifier on the embedded scikit-learn digits in one training mode
/// (or all three, with a comparison table). Exit code 0 on success, 1 when a NaN/∞ stopped training, 2 on bad input.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Exit code when a non-finite value stopped a training step.</summary>
    public const int NonFinite = 1;
    /// <summary>Exit code for unusable options or data.</summary>
    public const int BadInput = 2;

    internal static Command Create()
    {
        var defaults = new DigitsTrainingSettings();
        var mode = ModeOption.Create("Training mode: ieee (float32), pam-matmul (PAM matmuls only), pam (multiplication-free), or all three.");
        var epochs = Positive("--epochs", "Passes over the training images.", defaults.Epochs);
        var batch = Positive("--batch", "Images per training step.", defaults.Batch);
        var seed = new Option<int>("--seed") { Description = "Seed of the split, shuffling, initialisation and dropout.", DefaultValueFactory = _ => defaults.Seed };
        var lr = new Option<float>("--lr") { Description = "Peak AdamW learning rate (warm-up, then cosine decay to a tenth).", DefaultValueFactory = _ => defaults.LearningRate };
        lr.Validators.Add(r =>
        {
            float v = r.GetValueOrDefault<float>();
            if (!(v > 0f) || float.IsInfinity(v)) r.AddError($"--lr must be a positive finite number, got {v.ToString(CultureInfo.InvariantCulture)}.");
        });
        var limit = new Option<int>("--train-limit") { Description = "Use at most this many training images (0 = all 1,500).", DefaultValueFactory = _ => 0 };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save the training state to this file after every epoch (written atomically: a crash never loses the previous one)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint if it exists (the run's settings must match the checkpoint's)." };

        var command = new Command("train", "Train a transformer on the embedded 8x8 digits (1,797 images, no download) in ieee, pam-matmul or pam mode.")
        {
            mode, epochs, batch, seed, lr, limit, checkpoint, resume,
        };
        command.SetAction(parse =>
        {
            var settings = defaults with
            {
                Epochs = parse.GetValue(epochs),
                Batch = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                LearningRate = parse.GetValue(lr),
                TrainLimit = Math.Max(0, parse.GetValue(limit)),
                Checkpoint = parse.GetValue(checkpoint),
                Resume = parse.GetValue(resume),
            };
            return Run(parse.GetValue(mode)!, settings, Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>Runs the command's work; returns the exit code.</summary>
    internal static int Run(string mode, DigitsTrainingSettings settings, TextWriter output, TextWriter error)
    {
        TrainingMode[] modes = ModeOption.Parse(mode);
        if (settings.Resume && settings.Checkpoint is null)
        {
            error.WriteLine("--resume needs --checkpoint FILE: the file to continue from.");
            return BadInput;
        }
        if (settings.Checkpoint is not null && modes.Length > 1)
        {
            error.WriteLine("--checkpoint holds one model: use it with a single --mode (ieee, pam-matmul or pam), not all.");
            return BadInput;
        }
        DigitsDataset all;
        try
        {
            all = DigitsDataset.LoadEmbedded();
        }
        catch (Exception bad) when (bad is InvalidDataException or InvalidOperationException)
        {
            error.WriteLine(bad.Message);
            return BadInput;
        }
        var (train, test) = all.Split(settings.TestCount, settings.Seed);
        output.WriteLine(Invariant($"Embedded scikit-learn digits: {all.Count} images of 8x8 pixels (values 0..16) as 64-token sequences; seeded split (seed {settings.Seed}): {train.Count} train / {test.Count} test."));

        var results = new List<DigitsTrainingResult>();
        foreach (var m in modes)
        {
            try
            {
                results.Add(DigitsTrainer.Train(m, train, test, settings, output));
            }
            catch (NonFiniteException nan)
            {
                output.Flush();
                error.WriteLine($"{DigitsTrainer.Name(m)}: training stopped. {nan.Message}");
                return NonFinite;
            }
            catch (ArgumentException bad)
            {
                error.WriteLine(bad.Message);
                return BadInput;
            }
            catch (CheckpointFormatException bad)
            {
                error.WriteLine($"{DigitsTrainer.Name(m)}: cannot resume. {bad.Message}");
                return BadInput;
            }
            catch (IOException bad)
            {
                error.WriteLine($"{DigitsTrainer.Name(m)}: cannot write the checkpoint {settings.Checkpoint}: {bad.Message} The previous checkpoint, if any, is intact.");
                return BadInput;
            }
        }
        WriteSummary(output, results);
        return 0;
    }

    private static void WriteSummary(TextWriter output, List<DigitsTrainingResult> results)
    {
        output.WriteLine();
        output.WriteLine($"{"mode",-11} {"test accuracy",14} {"images/s",9} {"time",8}  {"last loss",10}");
        foreach (var r in results)
            output.WriteLine(Invariant($"{DigitsTrainer.Name(r.Mode),-11} {r.TestAccuracy * 100,12:F2} % {r.ImagesPerSecond,9:F1} {r.Elapsed.TotalSeconds,6:F1} s  {r.FinalLoss,10:F4}"));
        output.WriteLine();
        long products = results[0].MatmulProductsPerStep;
        output.WriteLine(Invariant($"Matmul products per training step: {products:N0} (forward + backward, elementwise work not counted)."));
        foreach (var r in results)
        {
            string claim = r.Mode switch
            {
                TrainingMode.Pam => "every one of them is a PAM product (an integer addition of bit patterns), and so is every elementwise and optimizer product: the training step executes no floating-point multiply (verify with `pamgen audit`).",
                TrainingMode.PamMatmul => "the matmul products are PAM (integer additions); elementwise work and the optimizer still multiply in float32.",
                _ => "all float32 multiplications (the control).",
            };
            output.WriteLine($"  {DigitsTrainer.Name(r.Mode),-11} {claim}");
        }
    }

    private static Option<int> Positive(string name, string description, int fallback)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1, got {r.GetValueOrDefault<int>()}.");
        });
        return option;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
