using System;
using System.IO;

namespace PamGen;

/// <summary>A write-only stream that passes bytes through and keeps their FNV-1a 64-bit hash (the checkpoint checksum).</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    /// <summary>The FNV-1a 64-bit offset basis.</summary>
    internal const ulong Basis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The hash of every byte written so far.</summary>
    public ulong Hash { get; private set; } = Basis;

    /// <summary>Continues the FNV-1a hash <paramref name="hash"/> over <paramref name="bytes"/> (integer arithmetic only).</summary>
    internal static ulong Fnv1a(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) hash = (hash ^ b) * Prime;
        return hash;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Hash = Fnv1a(Hash, buffer);
    }

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
