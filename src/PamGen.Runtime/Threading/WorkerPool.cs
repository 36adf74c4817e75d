using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace PamGen;

/// <summary>A unit of parallel work: every participating thread calls <see cref="Execute"/>, which claims work items
/// until none remain; the caller returns only when <see cref="IsComplete"/>, so a late worker finds nothing to do.</summary>
internal abstract class PoolJob
{
    private int _joined;

    /// <summary>Workers that may join besides the caller.</summary>
    internal int MaxWorkers;

    /// <summary>The first exception a work item threw on any thread; rethrown on the caller after the join.</summary>
    internal Exception? Error;

    /// <summary>Takes work items until none remain. Safe to call from any number of threads, at any time.</summary>
    internal abstract void Execute();

    /// <summary>True once every work item has completed (or failed).</summary>
    internal abstract bool IsComplete { get; }

    /// <summary>Records a work item's failure; the item still counts as done so the join completes.</summary>
    internal void Fail(Exception e) => Interlocked.CompareExchange(ref Error, e, null);

    /// <summary>Claims one of the <see cref="MaxWorkers"/> worker places; false when the job has all it asked for.</summary>
    internal bool TryJoin() => Interlocked.Increment(ref _joined) <= MaxWorkers;
}

/// <summary>
/// The persistent worker threads behind every parallel op (GEMM tiles and <see cref="RowParallel"/> row ranges): one
/// fork and one join per job. A worker that finishes a job spins for a short while before it blocks, so the next op of a
/// training step (they follow each other within microseconds) starts without a kernel wake-up. One pool serves both
/// kinds of job, so a spinning worker never competes with another pool's for a core. Work is claimed item by item, so
/// which thread computes what never changes the bits; only the speed.
/// </summary>
internal static class WorkerPool
{
    /// <summary>How long an idle worker spins for the next job before it blocks: 100 µs in timestamp ticks (integer
    /// arithmetic only, so the audited PamGen code stays free of floating-point multiplies).</summary>
    private static readonly long SpinTicks = Math.Max(1, Stopwatch.Frequency / 10_000);

    private static readonly object RunLock = new();
    private static readonly object GrowLock = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread[] threads = Array.Empty<Thread>();
    private static volatile PoolJob? current;
    private static int generation, sleepers;

    /// <summary>
    /// Runs <paramref name="job"/> on the calling thread plus up to <paramref name="threadCount"/> − 1 workers and
    /// rethrows the first failure. A job issued while another runs (from another thread, or from inside a job) runs on
    /// its caller alone.
    /// </summary>
    internal static void Run(PoolJob job, int threadCount)
    {
        // Monitor is re-entrant: a job started from inside one of this thread's own jobs must not replace it in `current`.
        if (threadCount <= 1 || Monitor.IsEntered(RunLock) || !Monitor.TryEnter(RunLock))
        {
            job.Execute();
            Rethrow(job);
            return;
        }
        try
        {
            EnsureWorkers(threadCount - 1);
            job.MaxWorkers = threadCount - 1;
            current = job;
            Interlocked.Increment(ref generation);
            // Full fences on both sides: a worker that counted itself a sleeper before this exchange is woken; one that
            // counts itself after it sees the new generation and does not block. An extra permit only costs a worker one
            // spurious turn of its loop.
            int asleep = Interlocked.Exchange(ref sleepers, 0);
            if (asleep > 0) Wake.Release(asleep);
            job.Execute();
            var spin = new SpinWait();
            while (!job.IsComplete) spin.SpinOnce(sleep1Threshold: -1);
            current = null;
        }
        finally
        {
            Monitor.Exit(RunLock);
        }
        Rethrow(job);
    }

    private static void Rethrow(PoolJob job)
    {
        if (job.Error is not null) ExceptionDispatchInfo.Capture(job.Error).Throw();
    }

    private static void EnsureWorkers(int count)
    {
        if (threads.Length >= count) return;
        lock (GrowLock)
        {
            if (threads.Length >= count) return;
            var grown = new Thread[count];
            Array.Copy(threads, grown, threads.Length);
            for (int i = threads.Length; i < count; i++)
            {
                grown[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"PamGen worker {i + 1}" };
                grown[i].Start();
            }
            threads = grown;
        }
    }

    private static void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            if (Volatile.Read(ref generation) == seen)
            {
                long start = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref generation) == seen && Stopwatch.GetTimestamp() - start < SpinTicks) Thread.SpinWait(16);
                if (Volatile.Read(ref generation) == seen)
                {
                    Interlocked.Increment(ref sleepers);
                    if (Volatile.Read(ref generation) == seen) Wake.Wait();
                }
            }
            seen = Volatile.Read(ref generation);
            var job = current;
            if (job is not null && job.TryJoin()) job.Execute();
        }
    }
}
