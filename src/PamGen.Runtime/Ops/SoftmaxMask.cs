using System;

namespace PamGen;

/// <summary>
/// Which columns of a softmax row take part. Rows are grouped in batches of <see cref="RowsPerBatch"/> rows;
/// within a batch, row <c>r</c> has query position <c>q = r mod QueryLength</c>. Column <c>j</c> is active when
/// <c>(!Causal || j ≤ q)</c> and <c>(KeyKeep is empty || KeyKeep[batch, j] ≠ 0)</c>. Masked columns get exactly 0;
/// a row with no active column is all zeros.
/// </summary>
[MultiplicationFree]
public readonly ref struct SoftmaxMask
{
    /// <summary>A mask that keeps every column.</summary>
    public static SoftmaxMask None => default;

    /// <summary>Creates a mask.</summary>
    /// <param name="causal">Mask columns after the row's query position.</param>
    /// <param name="queryLength">Rows per query sequence (the period of the query position).</param>
    /// <param name="keyKeep">[batches, cols], 1 = attend, 0 = padding; empty = keep all.</param>
    /// <param name="rowsPerBatch">Rows that share one <paramref name="keyKeep"/> row (heads × queryLength in attention).</param>
    public SoftmaxMask(bool causal, int queryLength, ReadOnlySpan<byte> keyKeep, int rowsPerBatch)
    {
        Causal = causal;
        QueryLength = queryLength;
        KeyKeep = keyKeep;
        RowsPerBatch = rowsPerBatch;
    }

    /// <summary>Whether columns after the query position are masked.</summary>
    public bool Causal { get; }
    /// <summary>Rows per query sequence.</summary>
    public int QueryLength { get; }
    /// <summary>Key padding, [batches, cols]; empty keeps all.</summary>
    public ReadOnlySpan<byte> KeyKeep { get; }
    /// <summary>Rows sharing one key-padding row.</summary>
    public int RowsPerBatch { get; }

    /// <summary>The number of leading columns row <paramref name="row"/> may use (causal limit).</summary>
    internal int Limit(int row, int cols) => Causal ? Math.Min(cols, row % QueryLength + 1) : cols;

    /// <summary>The key-padding row for <paramref name="row"/> (empty = keep all).</summary>
    internal ReadOnlySpan<byte> KeepRow(int row, int cols) => KeyKeep.IsEmpty ? default : KeyKeep.Slice(row / RowsPerBatch * cols, cols);

    internal void Validate(int rows, int cols, string op)
    {
        if (Causal && QueryLength <= 0) throw new ArgumentException($"{op}: a causal mask needs a positive query length, got {QueryLength}.", "mask");
        if (KeyKeep.IsEmpty) return;
        if (RowsPerBatch <= 0 || rows % RowsPerBatch != 0)
            throw new ArgumentException($"{op}: {rows} rows are not a whole number of batches of {RowsPerBatch} rows.", "mask");
        Shapes.Require(KeyKeep.Length, op, "keyKeep", rows / RowsPerBatch, cols);
    }
}
