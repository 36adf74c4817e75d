using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using PamGen.Cli.Data;
using PamGen.Cli.Training;

namespace PamGen.Cli.Commands;

/// <summary>
/// <c>pamgen translate</c>: trains a character-level transformer encoder–decoder to translate German sentences into
/// English (the Ding dictionary's sentence pairs; <c>--fetch</c> gets it through apt once) in one mode or all three,
/// and reports held-out loss, accuracy, the character error rate of greedy translations, speed and the matmul
/// product count. Exit codes: 0 success, 1 a NaN/∞ stopped training, 2 missing or bad data or options.
/// </summary>
internal static class TranslateCommand
{
    internal static Command Create()
    {
        var d = new TranslationSettings();
        var mode = ModeOption.Create("ieee, pam-matmul, pam or all.");
        var data = new Option<string?>("--data") { Description = "The Ding dictionary file (usr/share/trans/de-en of Debian's trans-de-en); default: the cached copy." };
        var fetch = new Option<bool>("--fetch") { Description = "Fetch the dictionary first (apt-get download trans-de-en; dpkg -x; SHA-256 check; cached under ~/.cache/pamgen)." };
        var epochs = Int("--epochs", "Passes over the training pairs.", d.Epochs, 1);
        var batch = Int("--batch", "Sentence pairs per step.", d.Batch, 1);
        var limit = Int("--pairs", "Use at most this many training pairs (0 = all).", d.PairLimit, 0);
        var maxChars = Int("--max-chars", "Longest sentence kept, in characters.", d.MaxChars, 8);
        var seed = new Option<int>("--seed") { Description = "Seed of the split, shuffling, initialisation and dropout.", DefaultValueFactory = _ => d.Seed };
        var lr = new Option<float>("--lr") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => d.LearningRate };
        var command = new Command("translate", "Train a character-level transformer to translate German into English (Ding dictionary sentences) in ieee, pam-matmul or pam mode.")
        {
            mode, data, fetch, epochs, batch, limit, maxChars, seed, lr,
        };
        command.SetAction(parse => Run(parse.GetValue(mode)!, parse.GetValue(data), parse.GetValue(fetch),
            d with
            {
                Epochs = parse.GetValue(epochs), Batch = parse.GetValue(batch), PairLimit = parse.GetValue(limit),
                MaxChars = parse.GetValue(maxChars), Seed = parse.GetValue(seed), LearningRate = parse.GetValue(lr),
            },
            new ProcessRunner(), DeEnFetcher.CacheFolder(), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Runs the command's work; returns the exit code.</summary>
    internal static int Run(string mode, string? dataPath, bool fetch, TranslationSettings settings, IProcessRunner runner, string cacheFolder,
        TextWriter output, TextWriter error)
    {
        TrainingMode[] modes = ModeOption.Parse(mode);
        string path;
        try
        {
            if (fetch && dataPath is null) path = DeEnFetcher.Fetch(cacheFolder, runner, output);
            else path = dataPath ?? DeEnFetcher.CachedPath(cacheFolder);
        }
        catch (IOException e)
        {
            error.WriteLine($"pamgen translate --fetch: {e.Message}");
            return TrainCommand.BadInput;
        }
        if (!File.Exists(path))
        {
            error.WriteLine(dataPath is null
                ? $"The German–English dictionary is not cached yet ({path}). Run `pamgen translate --fetch` once (apt-get download trans-de-en, no root needed), or pass the file with --data."
                : $"--data {dataPath}: no such file. Pass the Ding dictionary (usr/share/trans/de-en of Debian's trans-de-en), or use --fetch.");
            return TrainCommand.BadInput;
        }

        List<SentencePair> pairs;
        try
        {
            pairs = SentencePairs.Parse(File.ReadAllBytes(path), path, settings.MaxChars);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine(e.Message);
            return TrainCommand.BadInput;
        }
        var results = new List<TranslationResult>();
        try
        {
            var (train, test) = SentencePairs.Split(pairs, Math.Min(settings.TestCount, pairs.Count / 5), settings.Seed);
            output.WriteLine($"Ding German–English dictionary ({path}): {pairs.Count} sentence pairs of at most {settings.MaxChars} characters; seeded split: {train.Count} train / {test.Count} held out.");
            foreach (var m in modes)
            {
                try
                {
                    results.Add(TranslationTrainer.Train(m, train, test, settings, output));
                }
                catch (NonFiniteException nan)
                {
                    error.WriteLine($"{DigitsTrainer.Name(m)}: training stopped. {nan.Message}");
                    return TrainCommand.NonFinite;
                }
            }
        }
        catch (ArgumentException bad)
        {
            error.WriteLine(bad.Message);
            return TrainCommand.BadInput;
        }
        WriteSummary(output, results);
        return 0;
    }

    private static void WriteSummary(TextWriter output, List<TranslationResult> results)
    {
        output.WriteLine();
        output.WriteLine($"{"mode",-11} {"held-out loss",13} {"next-char acc",13} {"greedy CER",10} {"pairs/s",8} {"time",8}");
        foreach (var r in results)
            output.WriteLine(Invariant($"{DigitsTrainer.Name(r.Mode),-11} {r.TestLoss,13:F4} {r.TestCharAccuracy * 100,11:F2} % {r.CharErrorRate * 100,8:F1} % {r.PairsPerSecond,8:F1} {r.Elapsed.TotalSeconds,6:F1} s"));
        output.WriteLine();
        output.WriteLine(Invariant($"Matmul products per training step: {results[0].MatmulProductsPerStep:N0} (forward + backward, elementwise work not counted); in pam mode each is an integer addition."));
        var last = results[^1];
        output.WriteLine($"Greedy translations ({DigitsTrainer.Name(last.Mode)}):");
        foreach (var (german, reference, translation) in last.Examples)
        {
            output.WriteLine($"  DE  {german}");
            output.WriteLine($"  EN  {reference}");
            output.WriteLine($"  ->  {translation}");
        }
    }

    private static Option<int> Int(string name, string description, int fallback, int minimum)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < minimum) r.AddError($"{name} must be at least {minimum}, got {r.GetValueOrDefault<int>()}.");
        });
        return option;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
