using System;
using System.IO;
using PamGen.Cli.Commands;
using PamGen.Cli.Data;
using PamGen.Cli.Training;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>
/// <c>pamgen train --checkpoint F [--resume]</c>: a run interrupted after an epoch and resumed ends with exactly the
/// weights of an uninterrupted run; resuming with other settings, or from a damaged file, is refused with exit 2.
/// </summary>
public sealed class TrainCheckpointTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pamgen-train-ckpt-" + Guid.NewGuid().ToString("N"));

    public TrainCheckpointTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly DigitsTrainingSettings Quick = new(Epochs: 3, Batch: 16, TrainLimit: 64, Dim: 16, Heads: 2, Layers: 1, Hidden: 32);

    [Fact]
    public void An_interrupted_and_resumed_run_ends_with_the_weights_of_an_uninterrupted_one()
    {
        var (train, test) = DigitsDataset.LoadEmbedded().Split(Quick.TestCount, Quick.Seed);
        string straightPath = Path.Combine(_folder, "straight.ckpt"), resumedPath = Path.Combine(_folder, "resumed.ckpt");

        var straight = DigitsTrainer.Train(TrainingMode.Pam, train, test, Quick with { Checkpoint = straightPath }, TextWriter.Null);

        var first = new StringWriter();
        DigitsTrainer.Train(TrainingMode.Pam, train, test, Quick with { Checkpoint = resumedPath }, first, continueAfterEpoch: epoch => epoch < 1);
        Assert.Contains("epoch  1/3", first.ToString());
        Assert.DoesNotContain("epoch  2/3", first.ToString());

        var second = new StringWriter();
        var resumed = DigitsTrainer.Train(TrainingMode.Pam, train, test, Quick with { Checkpoint = resumedPath, Resume = true }, second);
        Assert.Contains($"resumed from {resumedPath}: step 4, continuing with epoch 2", second.ToString());
        Assert.DoesNotContain("epoch  1/3", second.ToString());

        Assert.Equal(BitConverter.SingleToInt32Bits(straight.FinalLoss), BitConverter.SingleToInt32Bits(resumed.FinalLoss));
        Assert.Equal(straight.TestAccuracy, resumed.TestAccuracy);
        Assert.Equal(File.ReadAllBytes(straightPath)[^8..], File.ReadAllBytes(resumedPath)[^8..]);   // same checksum: same weights, moments, metadata
    }

    [Fact]
    public void Resuming_with_another_batch_size_is_refused_naming_both_values()
    {
        string path = Path.Combine(_folder, "run.ckpt");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, TrainCommand.Run("pam", Quick with { Epochs = 1, Checkpoint = path }, output, error));
        Assert.Contains($"checkpoint: {path} (step 4, epoch 1)", output.ToString());

        error = new StringWriter();
        int exit = TrainCommand.Run("pam", Quick with { Epochs = 1, Batch = 8, Checkpoint = path, Resume = true }, new StringWriter(), error);
        Assert.Equal(TrainCommand.BadInput, exit);
        Assert.Contains($"pam: cannot resume. {path}: offset 12: this checkpoint was written with batch 16, but this run has 8", error.ToString());

        error = new StringWriter();
        exit = TrainCommand.Run("ieee", Quick with { Epochs = 1, Checkpoint = path, Resume = true }, new StringWriter(), error);
        Assert.Equal(TrainCommand.BadInput, exit);
        Assert.Contains("written with mode pam, but this run has ieee", error.ToString());
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_and_left_as_it_is()
    {
        string path = Path.Combine(_folder, "damaged.ckpt");
        Assert.Equal(0, TrainCommand.Run("pam", Quick with { Epochs = 1, Checkpoint = path }, new StringWriter(), new StringWriter()));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^20] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = new StringWriter();
        int exit = TrainCommand.Run("pam", Quick with { Epochs = 2, Checkpoint = path, Resume = true }, new StringWriter(), error);
        Assert.Equal(TrainCommand.BadInput, exit);
        Assert.Contains("checksum mismatch", error.ToString());
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Checkpoint_options_that_cannot_work_are_refused()
    {
        var error = new StringWriter();
        Assert.Equal(TrainCommand.BadInput, TrainCommand.Run("pam", Quick with { Resume = true }, new StringWriter(), error));
        Assert.Contains("--resume needs --checkpoint FILE", error.ToString());

        error = new StringWriter();
        Assert.Equal(TrainCommand.BadInput, TrainCommand.Run("all", Quick with { Checkpoint = Path.Combine(_folder, "x.ckpt") }, new StringWriter(), error));
        Assert.Contains("use it with a single --mode", error.ToString());
    }
}
