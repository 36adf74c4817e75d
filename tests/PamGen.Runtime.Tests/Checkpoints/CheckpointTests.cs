using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// Checkpoints: resuming is bit-exact (the run continues as if it had not stopped), a failed save never harms the
/// existing file, and every unreadable file is refused with its path, the offset and the fix, changing nothing.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly TransformerConfig Config = new(Vocab: 12, Dim: 16, Heads: 2, Layers: 1, Hidden: 32, MaxSeq: 8, Classes: 4,
        Dropout: 0.1f, LabelSmoothing: 0.1f, PadToken: 0, Seed: 3);
    private static readonly TrainingOptions Options = new(LearningRate: 3e-3f, WarmupSteps: 2, TotalSteps: 8);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pamgen-ckpt-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    private static TransformerClassifier Model(TrainingMode mode, TransformerConfig? config = null)
        => TransformerClassifier.Create(mode, config ?? Config, Options, 8, 8);

    private static (int[,], int[]) Batch() => Tasks.FirstTokenClass(8, 8, 12, 4, 5);

    private static void AssertSameBits(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                Assert.Fail($"{what}: element {i} differs: {a[i]:G9} vs {b[i]:G9}");
    }

    [Theory]
    [InlineData(TrainingMode.Ieee)]
    [InlineData(TrainingMode.Pam)]
    public void Resuming_from_a_checkpoint_continues_bit_for_bit(TrainingMode mode)
    {
        var (x, y) = Batch();
        var straight = Model(mode);
        var losses = Enumerable.Range(0, 6).Select(_ => straight.TrainStep(x, y)).ToArray();

        var first = Model(mode);
        for (int s = 0; s < 3; s++) first.TrainStep(x, y);
        string path = File("run.ckpt");
        first.SaveCheckpoint(path, new Dictionary<string, string> { ["note"] = "after three steps" });

        var resumed = Model(mode);
        var metadata = resumed.LoadCheckpoint(path);
        Assert.Equal(3, resumed.Step);
        Assert.Equal("after three steps", metadata["note"]);
        Assert.Equal(mode.ToString(), metadata[TransformerModel.ModeKey]);
        var resumedLosses = Enumerable.Range(0, 3).Select(_ => resumed.TrainStep(x, y)).ToArray();

        AssertSameBits(losses.AsSpan(3), resumedLosses, "losses after resuming");
        AssertSameBits(straight.Arena.ParameterData, resumed.Arena.ParameterData, "parameters");
        AssertSameBits(straight.Arena.FirstMoments, resumed.Arena.FirstMoments, "AdamW first moments");
        AssertSameBits(straight.Arena.SecondMoments, resumed.Arena.SecondMoments, "AdamW second moments");
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void A_failed_save_leaves_the_existing_checkpoint_untouched_and_no_temporary_file()
    {
        var (x, y) = Batch();
        var model = Model(TrainingMode.Pam);
        model.TrainStep(x, y);
        string path = File("keep.ckpt");
        model.SaveCheckpoint(path);
        byte[] before = System.IO.File.ReadAllBytes(path);

        model.TrainStep(x, y);
        var metadata = new Dictionary<string, string> { ["step"] = "2" };
        var failure = Assert.Throws<IOException>(() => Checkpoint.Save(path, model.Arena, metadata,
            temp => new FailingStream(new FileStream(temp, FileMode.CreateNew), failAfter: 1000)));
        Assert.Contains("disk full (simulated)", failure.Message);

        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
        Assert.Equal(1, Model(TrainingMode.Pam).LoadCheckpoint(path) is { } m ? int.Parse(m[TransformerModel.StepKey]) : -1);
    }

    [Fact]
    public void A_flipped_byte_is_refused_by_the_checksum_and_the_model_is_unchanged()
    {
        var model = Model(TrainingMode.Ieee);
        string path = File("flip.ckpt");
        model.SaveCheckpoint(path);
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        System.IO.File.WriteAllBytes(path, bytes);

        var target = Model(TrainingMode.Ieee, Config with { Seed = 99 });
        float[] before = target.Arena.ParameterData.ToArray();
        var e = Assert.Throws<CheckpointFormatException>(() => target.LoadCheckpoint(path));
        Assert.StartsWith(path + ": offset " + (bytes.Length - 8), e.Message);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains("use an intact copy", e.Message);
        AssertSameBits(before, target.Arena.ParameterData, "parameters after a refused load");
        Assert.Equal(0, target.Step);
    }

    [Fact]
    public void A_truncated_file_names_where_it_ends()
    {
        var model = Model(TrainingMode.Ieee);
        string path = File("short.ckpt");
        model.SaveCheckpoint(path);
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        System.IO.File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 100).ToArray());
        var e = Assert.Throws<CheckpointFormatException>(() => Model(TrainingMode.Ieee).LoadCheckpoint(path));
        Assert.Contains("ends 100 bytes early", e.Message);
        Assert.Contains("truncated", e.Message);

        System.IO.File.WriteAllBytes(path, bytes.AsSpan(0, 10).ToArray());
        e = Assert.Throws<CheckpointFormatException>(() => Model(TrainingMode.Ieee).LoadCheckpoint(path));
        Assert.Equal(8, e.Offset);
        Assert.Contains("ends inside the format version", e.Message);
    }

    [Fact]
    public void Not_a_checkpoint_is_refused_at_offset_zero()
    {
        string path = File("digits.csv");
        System.IO.File.WriteAllText(path, "pixel0,pixel1,label\n0,16,3\n");
        var e = Assert.Throws<CheckpointFormatException>(() => Model(TrainingMode.Pam).LoadCheckpoint(path));
        Assert.Equal(path, e.Path);
        Assert.Equal(0, e.Offset);
        Assert.Contains("not a PamGen checkpoint", e.Message);
    }

    [Fact]
    public void Another_architecture_is_refused_naming_the_parameter_and_both_shapes()
    {
        string path = File("wide.ckpt");
        Model(TrainingMode.Ieee, Config with { Hidden = 48 }).SaveCheckpoint(path);
        var e = Assert.Throws<CheckpointFormatException>(() => Model(TrainingMode.Ieee).LoadCheckpoint(path));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(e.Message, @"parameter \d+ is '[^']+' \[48, 16\] in the file but '[^']+' \[32, 16\] in the model"), e.Message);
        Assert.Contains("different architecture", e.Message);

        Model(TrainingMode.Ieee, Config with { Layers = 2 }).SaveCheckpoint(path);
        e = Assert.Throws<CheckpointFormatException>(() => Model(TrainingMode.Ieee).LoadCheckpoint(path));
        Assert.Contains("parameter tensors but the model has", e.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_mode_loads_its_weights()
    {
        var (x, y) = Batch();
        var pam = Model(TrainingMode.Pam);
        pam.TrainStep(x, y);
        string path = File("pam.ckpt");
        pam.SaveCheckpoint(path);
        var ieee = Model(TrainingMode.Ieee);
        Assert.Equal("Pam", ieee.LoadCheckpoint(path)[TransformerModel.ModeKey]);
        AssertSameBits(pam.Arena.ParameterData, ieee.Arena.ParameterData, "Pam weights in an Ieee model");
    }

    [Fact]
    public void Metadata_without_a_step_is_refused_before_anything_changes()
    {
        var model = Model(TrainingMode.Ieee);
        string path = File("nostep.ckpt");
        Checkpoint.Save(path, model.Arena, new Dictionary<string, string> { ["mode"] = "Ieee" });
        var e = Assert.Throws<CheckpointFormatException>(() => Model(TrainingMode.Ieee, Config with { Seed = 5 }).LoadCheckpoint(path));
        Assert.Contains("no valid 'step' entry", e.Message);
        Assert.Equal(new Dictionary<string, string> { ["mode"] = "Ieee" }, Checkpoint.Load(path, Model(TrainingMode.Ieee).Arena));
    }

    /// <summary>Passes writes through until <c>failAfter</c> bytes, then throws like a full disk.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _written;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > failAfter) throw new IOException("disk full (simulated)");
            inner.Write(buffer);
            _written += buffer.Length;
        }
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
