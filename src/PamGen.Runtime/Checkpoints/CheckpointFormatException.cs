using System;
using System.IO;

namespace PamGen;

/// <summary>A checkpoint file that cannot be read: names the file, the byte offset where reading failed, the problem
/// and what to do about it.</summary>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointFormatException(string path, long offset, string problem)
        : base($"{path}: offset {offset}: {problem}")
    {
        Path = path;
        Offset = offset;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>The byte offset in the file where reading failed.</summary>
    public long Offset { get; }
}
