using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using PamGen.Cli.Data;

namespace PamGen.Cli.Training;

/// <summary>Settings of one <c>pamgen train</c> run on the digits.</summary>
/// <param name="Epochs">Passes over the training images.</param>
/// <param name="Batch">Images per training step.</param>
/// <param name="Seed">Seed of the split, the shuffling, the initialisation and dropout.</param>
/// <param name="LearningRate">Peak AdamW learning rate (warm-up, then cosine decay to a tenth of it).</param>
/// <param name="Dim">Model width.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Layers">Encoder blocks.</param>
/// <param name="Hidden">MLP hidden width.</param>
/// <param name="TestCount">Images held out for testing.</param>
/// <param name="TrainLimit">Use at most this many training images (0 = all; for quick runs and tests).</param>
/// <param name="Checkpoint">Where to save the training state after every epoch (atomically), or null.</param>
/// <param name="Resume">Continue from <paramref name="Checkpoint"/> when it exists (same settings required).</param>
internal sealed record DigitsTrainingSettings(int Epochs = 15, int Batch = 32, int Seed = 1, float LearningRate = 5e-3f,
    int Dim = 32, int Heads = 4, int Layers = 2, int Hidden = 64, int TestCount = 297, int TrainLimit = 0,
    string? Checkpoint = null, bool Resume = false)
{
    /// <summary>The settings that must match for a checkpoint to be resumed (they fix the data order, the schedule
    /// and the architecture), as checkpoint metadata.</summary>
    public System.Collections.Generic.Dictionary<string, string> ResumeKeys(TrainingMode mode) => new(StringComparer.Ordinal)
    {
        ["train.mode"] = DigitsTrainer.Name(mode),
        ["train.epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
        ["train.batch"] = Batch.ToString(CultureInfo.InvariantCulture),
        ["train.seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["train.lr"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
        ["train.train-limit"] = TrainLimit.ToString(CultureInfo.InvariantCulture),
        ["train.architecture"] = FormattableString.Invariant($"dim {Dim}, heads {Heads}, layers {Layers}, hidden {Hidden}, test {TestCount}"),
    };
}

/// <summary>What one mode's training run achieved (FinalLoss: the last training step's loss, dropout on).</summary>
internal sealed record DigitsTrainingResult(TrainingMode Mode, float FinalLoss, double TestAccuracy, double ImagesPerSecond,
    TimeSpan Elapsed, long MatmulProductsPerStep);

/// <summary>
/// Trains the runtime's <see cref="TransformerClassifier"/> on the embedded digits: each 8×8 image is a sequence of
/// 64 tokens whose ids are the pixel values 0..16 (vocabulary 17) with learned positional embeddings, mean-pooled
/// into the 10-way head. No token is padding (<c>PadToken = -1</c>): a black pixel (0) is a real token.
/// </summary>
internal static class DigitsTrainer
{
    /// <summary>The classifier's architecture for <paramref name="s"/>.</summary>
    public static TransformerConfig Config(DigitsTrainingSettings s) =>
        new(Vocab: DigitsDataset.Levels, Dim: s.Dim, Heads: s.Heads, Layers: s.Layers, Hidden: s.Hidden, MaxSeq: DigitsDataset.Pixels,
            Classes: DigitsDataset.Classes, Dropout: 0.1f, LabelSmoothing: 0.1f, PadToken: -1, Seed: (ulong)s.Seed);

    /// <summary>Trains one mode, writing one line per epoch to <paramref name="output"/>.</summary>
    /// <exception cref="NonFiniteException">A NaN or ∞ stopped a training step.</exception>
    /// <exception cref="CheckpointFormatException">The checkpoint to resume cannot be read.</exception>
    /// <exception cref="ArgumentException">Unusable settings, or a checkpoint written with other settings.</exception>
    public static DigitsTrainingResult Train(TrainingMode mode, DigitsDataset train, DigitsDataset test, DigitsTrainingSettings s, TextWriter output)
        => Train(mode, train, test, s, output, continueAfterEpoch: null);

    /// <summary>As <see cref="Train(TrainingMode, DigitsDataset, DigitsDataset, DigitsTrainingSettings, TextWriter)"/>;
    /// <paramref name="continueAfterEpoch"/> may stop the run after an epoch (tests interrupt runs with it).</summary>
    internal static DigitsTrainingResult Train(TrainingMode mode, DigitsDataset train, DigitsDataset test, DigitsTrainingSettings s, TextWriter output,
        Func<int, bool>? continueAfterEpoch)
    {
        if (s.TrainLimit > 0 && s.TrainLimit < train.Count)
            train = train.Subset(DigitsDataset.Permutation(train.Count, s.Seed).AsSpan(0, s.TrainLimit));
        if (train.Count < s.Batch)
            throw new ArgumentException($"--batch {s.Batch} is larger than the {train.Count} training images; choose a smaller batch.", nameof(s));
        int stepsPerEpoch = train.Count / s.Batch;   // the remainder of each shuffled epoch is left out
        int totalSteps = Math.Max(1, s.Epochs * stepsPerEpoch);
        var options = new TrainingOptions(LearningRate: s.LearningRate, MinLearningRate: s.LearningRate / 10,
            WarmupSteps: Math.Max(1, Math.Min(50, totalSteps / 10)), TotalSteps: totalSteps, MaxGradNorm: 1f);
        var config = Config(s);
        var model = TransformerClassifier.Create(mode, config, options, s.Batch, DigitsDataset.Pixels);

        var tokens = new int[s.Batch, DigitsDataset.Pixels];
        var labels = new int[s.Batch];
        var clock = Stopwatch.StartNew();
        TimeSpan trainTime = TimeSpan.Zero;
        long trained = 0;
        float lastLoss = float.NaN;
        double accuracy = 0;
        output.WriteLine(Invariant($"{Name(mode)}: {train.Count} training / {test.Count} test images, batch {s.Batch}, {stepsPerEpoch} steps per epoch, ") +
                              Invariant($"Dim {config.Dim}, Heads {config.Heads}, Layers {config.Layers}, Hidden {config.Hidden}, lr {s.LearningRate}"));
        int firstEpoch = 1;
        if (s.Checkpoint is not null && s.Resume)
        {
            if (File.Exists(s.Checkpoint))
            {
                firstEpoch = Resume(model, s, mode, stepsPerEpoch) + 1;
                output.WriteLine(Invariant($"  resumed from {s.Checkpoint}: step {model.Step}, continuing with epoch {firstEpoch}"));
            }
            else
            {
                output.WriteLine($"  no checkpoint at {s.Checkpoint} yet: starting from the beginning");
            }
        }
        bool evaluated = false;
        for (int epoch = firstEpoch; epoch <= s.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            int[] order = DigitsDataset.Permutation(train.Count, unchecked(s.Seed * 7919 + epoch));
            double lossSum = 0;
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                for (int b = 0; b < s.Batch; b++) Fill(tokens, labels, b, train, order[step * s.Batch + b]);
                float loss = model.TrainStep(tokens, labels);
                lossSum += loss;
                lastLoss = loss;
            }
            var epochTrain = epochClock.Elapsed;
            trainTime += epochTrain;
            trained += (long)stepsPerEpoch * s.Batch;
            accuracy = Accuracy(model, test, tokens, labels);
            evaluated = true;
            output.WriteLine(Invariant($"  epoch {epoch,2}/{s.Epochs}: train loss {lossSum / stepsPerEpoch:F4}, test accuracy {accuracy * 100,6:F2} %, ") +
                              Invariant($"{stepsPerEpoch * s.Batch / epochTrain.TotalSeconds,7:F1} images/s, elapsed {clock.Elapsed.TotalSeconds,6:F1} s"));
            if (s.Checkpoint is not null)
            {
                var metadata = s.ResumeKeys(mode);
                metadata["train.epoch"] = epoch.ToString(CultureInfo.InvariantCulture);
                model.SaveCheckpoint(s.Checkpoint, metadata);
                output.WriteLine($"  checkpoint: {s.Checkpoint} (step {model.Step}, epoch {epoch})");
            }
            if (continueAfterEpoch is not null && !continueAfterEpoch(epoch)) break;
        }
        if (!evaluated) accuracy = Accuracy(model, test, tokens, labels);   // resumed a finished run: report it
        return new DigitsTrainingResult(mode, lastLoss, accuracy, trained / Math.Max(trainTime.TotalSeconds, 1e-9), clock.Elapsed,
            MatmulProductsPerStep(config, s.Batch, DigitsDataset.Pixels));
    }

    // Loads the checkpoint after checking that it was written by a run with the same settings; returns its epoch.
    private static int Resume(TransformerClassifier model, DigitsTrainingSettings s, TrainingMode mode, int stepsPerEpoch)
    {
        var expected = s.ResumeKeys(mode);
        int epoch = 0;
        model.LoadCheckpoint(s.Checkpoint!, m =>
        {
            foreach (var (key, value) in expected)
                if (!m.TryGetValue(key, out var stored) || stored != value)
                    return $"this checkpoint was written with {key.Substring("train.".Length)} {stored ?? "(none)"}, but this run has {value}; "
                         + "resume with the checkpoint's settings, or pass another --checkpoint to start a new run.";
            if (!m.TryGetValue("train.epoch", out var e) || !int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out epoch)
                || epoch < 1 || epoch > s.Epochs || m[TransformerModel.StepKey] != (epoch * stepsPerEpoch).ToString(CultureInfo.InvariantCulture))
                return "the checkpoint has no valid 'train.epoch' entry matching its step; it was not written by `pamgen train`.";
            return null;
        });
        return epoch;
    }

    /// <summary>Fraction of <paramref name="test"/> classified correctly (the last partial batch is padded with repeats, then ignored).</summary>
    public static double Accuracy(TransformerClassifier model, DigitsDataset test, int[,] tokens, int[] labels)
    {
        int batch = model.BatchSize, correct = 0;
        for (int start = 0; start < test.Count; start += batch)
        {
            int n = Math.Min(batch, test.Count - start);
            for (int b = 0; b < batch; b++) Fill(tokens, labels, b, test, start + (b < n ? b : 0));
            int[] predicted = model.Predict(tokens);
            for (int b = 0; b < n; b++) if (predicted[b] == labels[b]) correct++;
        }
        return (double)correct / test.Count;
    }

    /// <summary>
    /// Scalar products in the matmuls of one training step: the forward's (projections, attention scores and
    /// mixing, MLP, head) times three, since the backward computes two matmuls (input and weight gradient) per forward one.
    /// Elementwise work (LayerNorm, softmax, GELU, AdamW) is not counted.
    /// </summary>
    public static long MatmulProductsPerStep(TransformerConfig c, int batch, int seq)
    {
        long rows = (long)batch * seq;
        long perLayer = rows * (4L * c.Dim * c.Dim + 2L * c.Dim * c.Hidden) + 2L * batch * seq * seq * c.Dim;
        long forward = c.Layers * perLayer + (long)batch * c.Dim * c.Classes;
        return 3 * forward;
    }

    /// <summary>The mode's name on the command line.</summary>
    public static string Name(TrainingMode mode) => mode switch
    {
        TrainingMode.Ieee => "ieee",
        TrainingMode.PamMatmul => "pam-matmul",
        _ => "pam",
    };

    private static void Fill(int[,] tokens, int[] labels, int row, DigitsDataset data, int index)
    {
        var image = data.Image(index);
        for (int p = 0; p < DigitsDataset.Pixels; p++) tokens[row, p] = image[p];
        labels[row] = data.Label(index);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
