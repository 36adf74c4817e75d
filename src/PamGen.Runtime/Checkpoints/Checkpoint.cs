using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace PamGen;

/// <summary>
/// Saves and restores a model's training state: every parameter with its name and shape, the AdamW moments, and
/// caller metadata (step, mode, settings). Files are written atomically: the bytes go to a temporary file in the
/// same folder, are flushed to disk, and only then replace the target by a rename, so an existing checkpoint is
/// never lost to a crash or a full disk. Reading checks the format, every name and shape against the model, and a
/// checksum; each error names the file, the byte offset and the fix.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic <c>PAMGENCK</c>, format version (int32), metadata count and key/value strings
/// (length-prefixed UTF-8), tensor count, then per tensor its name, rank and dimensions, then per tensor the
/// parameter values, first moments and second moments (float32), then an FNV-1a 64-bit checksum of all bytes before it.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The file's first eight bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "PAMGENCK"u8;

    /// <summary>The format version this build writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="arena"/>'s parameters and AdamW moments, with <paramref name="metadata"/>, to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">Writing failed; an existing file at <paramref name="path"/> is unchanged.</exception>
    public static void Save(string path, TensorArena arena, IReadOnlyDictionary<string, string> metadata)
        => Save(path, arena, metadata, temp => new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));

    /// <summary><see cref="Save(string, TensorArena, IReadOnlyDictionary{string, string})"/> with the temporary file's stream
    /// opened by <paramref name="open"/> (tests inject failing streams).</summary>
    internal static void Save(string path, TensorArena arena, IReadOnlyDictionary<string, string> metadata, Func<string, Stream> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arena);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!arena.IsAllocated) throw new InvalidOperationException("Checkpoint.Save: the model's arena is not allocated yet; save after the model is built.");
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = open(temp))
            {
                var hashing = new HashingStream(stream);
                using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
                {
                    WriteBody(writer, arena, metadata);
                    writer.Flush();
                    writer.Write(hashing.Hash);
                }
                if (stream is FileStream file) file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);   // a rename within one folder: atomic on POSIX and NTFS
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Restores the parameters and AdamW moments of <paramref name="arena"/> from <paramref name="path"/>;
    /// returns the file's metadata. Nothing in the arena changes unless the whole file is valid.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint of this model, is truncated or corrupt.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path, TensorArena arena) => Load(path, arena, null);

    /// <summary>As <see cref="Load(string, TensorArena)"/>, with <paramref name="validate"/> called on the metadata
    /// before anything is copied: it returns a problem (the file is then refused) or null.</summary>
    public static IReadOnlyDictionary<string, string> Load(string path, TensorArena arena, Func<IReadOnlyDictionary<string, string>, string?>? validate)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arena);
        if (!arena.IsAllocated) throw new InvalidOperationException("Checkpoint.Load: the model's arena is not allocated yet; load after the model is built.");
        byte[] bytes = File.ReadAllBytes(path);
        var reader = new Reader(path, bytes);

        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointFormatException(path, 0, "not a PamGen checkpoint (the file does not start with 'PAMGENCK'); pass a file written by Checkpoint.Save.");
        reader.Position = Magic.Length;
        int version = reader.Int32("the format version");
        if (version != Version)
            throw new CheckpointFormatException(path, Magic.Length, $"format version {version}, but this build reads version {Version}; load it with the PamGen version that wrote it.");

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        int entries = reader.Count("the metadata count", 1 << 16);
        for (int i = 0; i < entries; i++)
        {
            string key = reader.String($"metadata key {i}");
            metadata[key] = reader.String($"the metadata value of '{key}'");
        }

        var parameters = arena.Parameters;
        long countOffset = reader.Position;
        int tensors = reader.Count("the tensor count", 1 << 24);
        if (tensors != parameters.Count)
            throw new CheckpointFormatException(path, countOffset, $"the file holds {tensors} parameter tensors but the model has {parameters.Count}; the checkpoint is from a different architecture.");
        for (int t = 0; t < tensors; t++)
        {
            long at = reader.Position;
            string name = reader.String($"the name of parameter {t}");
            int rank = reader.Count($"the rank of '{name}'", 8);
            var shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = reader.Count($"dimension {d} of '{name}'", int.MaxValue);
            var expected = parameters[t];
            if (name != expected.Name || !shape.AsSpan().SequenceEqual(expected.Shape))
                throw new CheckpointFormatException(path, at,
                    $"parameter {t} is '{name}' {Shapes.Format(shape)} in the file but '{expected.Name}' {expected.ShapeText} in the model; the checkpoint is from a different architecture or configuration.");
        }

        int count = arena.ParameterCount;
        long dataOffset = reader.Position;
        long needed = 3L * count * sizeof(float) + sizeof(ulong);
        if (bytes.Length - dataOffset != needed)
            throw new CheckpointFormatException(path, dataOffset, bytes.Length - dataOffset < needed
                ? $"the file ends {needed - (bytes.Length - dataOffset)} bytes early (values, moments and checksum need {needed} bytes); the file is truncated, use an intact copy."
                : $"{bytes.Length - dataOffset - needed} unexpected bytes after the checksum; the file is corrupt, use an intact copy.");
        long checksumOffset = bytes.Length - sizeof(ulong);
        ulong stored = BitConverter.ToUInt64(bytes, (int)checksumOffset);
        ulong actual = HashingStream.Fnv1a(HashingStream.Basis, bytes.AsSpan(0, (int)checksumOffset));
        if (stored != actual)
            throw new CheckpointFormatException(path, checksumOffset, $"checksum mismatch (stored 0x{stored:X16}, computed 0x{actual:X16}); the file is corrupt, use an intact copy.");

        if (validate?.Invoke(metadata) is { } problem)
            throw new CheckpointFormatException(path, Magic.Length + sizeof(int), problem);

        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan((int)dataOffset, 3 * count * sizeof(float)));
        floats.Slice(0, count).CopyTo(arena.ParameterData);
        floats.Slice(count, count).CopyTo(arena.FirstMoments);
        floats.Slice(2 * count, count).CopyTo(arena.SecondMoments);
        return metadata;
    }

    private static void WriteBody(BinaryWriter writer, TensorArena arena, IReadOnlyDictionary<string, string> metadata)
    {
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(metadata.Count);
        foreach (var (key, value) in metadata)
        {
            writer.Write(key);
            writer.Write(value);
        }
        writer.Write(arena.Parameters.Count);
        foreach (var p in arena.Parameters)
        {
            writer.Write(p.Name);
            writer.Write(p.Shape.Length);
            foreach (int d in p.Shape) writer.Write(d);
        }
        writer.Write(MemoryMarshal.AsBytes<float>(arena.ParameterData));
        writer.Write(MemoryMarshal.AsBytes<float>(arena.FirstMoments));
        writer.Write(MemoryMarshal.AsBytes<float>(arena.SecondMoments));
    }

    /// <summary>Reads the header fields, naming the field and offset when the file ends or holds nonsense.</summary>
    private sealed class Reader(string path, byte[] bytes)
    {
        public long Position { get; set; }

        public int Int32(string what)
        {
            if (bytes.Length - Position < sizeof(int))
                throw new CheckpointFormatException(path, Position, $"the file ends inside {what}; the file is truncated, use an intact copy.");
            int value = BitConverter.ToInt32(bytes, (int)Position);
            Position += sizeof(int);
            return value;
        }

        public int Count(string what, int limit)
        {
            long at = Position;
            int value = Int32(what);
            if (value < 0 || value > limit)
                throw new CheckpointFormatException(path, at, $"{what} is {value}, outside [0, {limit}]; the file is corrupt, use an intact copy.");
            return value;
        }

        public string String(string what)
        {
            long at = Position;
            try
            {
                using var stream = new MemoryStream(bytes, (int)Position, bytes.Length - (int)Position, writable: false);
                using var reader = new BinaryReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
                string value = reader.ReadString();
                Position += stream.Position;
                return value;
            }
            catch (Exception e) when (e is EndOfStreamException or FormatException or DecoderFallbackException or IOException)
            {
                throw new CheckpointFormatException(path, at, $"{what} cannot be read ({e.Message.TrimEnd('.')}); the file is truncated or corrupt, use an intact copy.");
            }
        }
    }
}
