using System;
using System.Collections.Generic;
using System.Globalization;

namespace PamGen;

public abstract partial class TransformerModel
{
    /// <summary>Metadata key of the training step a checkpoint was taken after.</summary>
    public const string StepKey = "step";
    /// <summary>Metadata key of the training mode.</summary>
    public const string ModeKey = "mode";
    /// <summary>Metadata key of the architecture (the <see cref="TransformerConfig"/> as text).</summary>
    public const string ConfigKey = "config";

    /// <summary>
    /// Writes the parameters, AdamW moments and step to <paramref name="path"/> atomically (an existing file is replaced
    /// only once the new one is complete on disk). <paramref name="extra"/> adds caller metadata (e.g. trainer settings).
    /// </summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (extra is not null) foreach (var (k, v) in extra) metadata[k] = v;
        metadata[StepKey] = Step.ToString(CultureInfo.InvariantCulture);
        metadata[ModeKey] = Mode.ToString();
        metadata[ConfigKey] = Config.ToString();
        Checkpoint.Save(path, Arena, metadata);
    }

    /// <summary>
    /// Restores parameters, AdamW moments and the step from <paramref name="path"/>, so training continues exactly as
    /// if it had not stopped (dropout and the schedule depend on the step only). A checkpoint from another mode loads
    /// too (its weights are plain float32); one from another architecture is refused. Returns the file's metadata.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="validate">Optional check of the file's metadata before anything changes: returns the problem, or null.</param>
    /// <exception cref="CheckpointFormatException">Not a checkpoint of this model, or refused by <paramref name="validate"/>;
    /// names the file, offset and fix.</exception>
    public IReadOnlyDictionary<string, string> LoadCheckpoint(string path, Func<IReadOnlyDictionary<string, string>, string?>? validate = null)
    {
        int step = 0;
        var metadata = Checkpoint.Load(path, Arena, m =>
            !m.TryGetValue(StepKey, out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step)
                ? $"the metadata has no valid '{StepKey}' entry; the file was not written by {nameof(TransformerModel)}.{nameof(SaveCheckpoint)}."
                : validate?.Invoke(m));
        Run.Step = step;
        return metadata;
    }
}
