using System;
using System.Threading;

namespace PamGen;

/// <summary>A range of independent work items (rows, elements, chunks) that one thread computes from start to end.</summary>
internal interface IRangeBody
{
    /// <summary>Computes items [<paramref name="start"/>, <paramref name="end"/>).</summary>
    void Run(int start, int end);
}

/// <summary>
/// Deterministic fork/join for the row-wise ops (layer norm, softmax rows, GELU, dropout, AdamW …) on persistent
/// workers (the <see cref="WorkerPool"/> GEMMs share), without <c>System.Threading.Tasks.Parallel</c>. Every item is computed by exactly one thread with the same
/// operations in the same order, and items never share an accumulator, so the bits do not depend on the thread
/// count or on which thread took which chunk; only the speed does. Uses up to <see cref="Gemm.MaxThreads"/> threads.
/// Bodies reach their data through pointers pinned by the caller, which blocks until every chunk is done.
/// </summary>
internal static class RowParallel
{
    /// <summary>The threads a row-wise op uses: <see cref="Gemm.MaxThreads"/>, at most the processor count.</summary>
    internal static int ThreadCount => Math.Min(Gemm.MaxThreads, Environment.ProcessorCount);

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) in chunks whose boundaries are multiples of
    /// <paramref name="align"/> (except the end); work under <paramref name="minPerThread"/> items per thread runs on
    /// the caller alone.
    /// </summary>
    internal static void For<TBody>(int count, int minPerThread, int align, TBody body) where TBody : struct, IRangeBody
    {
        int threadCount = ThreadCount;
        if (threadCount <= 1 || count < 2 * minPerThread)
        {
            if (count > 0) body.Run(0, count);
            return;
        }
        // A few chunks per thread so a thread slowed by other load hands work to the other.
        int units = (count + align - 1) / align;
        int chunks = Math.Min(units, Math.Min(4 * threadCount, count / Math.Max(1, minPerThread / 2)));
        if (chunks <= 1)
        {
            body.Run(0, count);
            return;
        }
        WorkerPool.Run(new Job<TBody>(body, count, units, chunks, align), threadCount);
    }

    /// <summary>One call's chunks; a worker that joins late finds every chunk claimed and returns.</summary>
    private sealed class Job<TBody>(TBody body, int count, int units, int chunks, int align) : PoolJob where TBody : struct, IRangeBody
    {
        private int _next = -1, _done;

        internal override bool IsComplete => Volatile.Read(ref _done) == chunks;

        internal override void Execute()
        {
            int c;
            while ((c = Interlocked.Increment(ref _next)) < chunks)
            {
                try
                {
                    int start = (int)((long)c * units / chunks) * align;
                    int end = Math.Min(count, (int)((long)(c + 1) * units / chunks) * align);
                    body.Run(start, end);
                }
                catch (Exception e)
                {
                    Fail(e);
                }
                finally
                {
                    Interlocked.Increment(ref _done);
                }
            }
        }
    }
}
