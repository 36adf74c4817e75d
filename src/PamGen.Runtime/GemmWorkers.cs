using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace PamGen;

/// <summary>A unit of parallel GEMM work: every participating thread calls <see cref="Execute"/>; the caller
/// returns only when the job says all its work items are done, so late-waking workers find nothing to do.</summary>
internal abstract class GemmJob
{
    /// <summary>Takes work items until none remain. Safe to call from any number of threads, at any time.</summary>
    internal abstract void Execute();
    /// <summary>True once every work item has completed (or failed).</summary>
    internal abstract bool IsComplete { get; }

    /// <summary>The first exception a work item threw on any thread; rethrown on the caller after the join.</summary>
    internal Exception? Error;

    /// <summary>Records a work item's failure; the item still counts as done so the join completes.</summary>
    internal void Fail(Exception e) => Interlocked.CompareExchange(ref Error, e, null);
}

/// <summary>
/// Persistent worker threads for GEMM fork/join: one fork and one join per GEMM. Work is claimed item by item
/// (output tiles), so which thread computes what never changes the bits; only the speed.
/// </summary>
internal static class GemmWorkers
{
    private static readonly object PoolLock = new();
    private static readonly object GrowLock = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread[] threads = Array.Empty<Thread>();
    private static volatile GemmJob? current;

    /// <summary>Runs <paramref name="job"/> on the calling thread plus up to <paramref name="threadCount"/> − 1 workers.</summary>
    internal static void Run(GemmJob job, int threadCount)
    {
        // A second GEMM issued concurrently from another thread runs on its own caller only.
        if (threadCount <= 1 || !Monitor.TryEnter(PoolLock))
        {
            job.Execute();
            if (job.Error is not null) ExceptionDispatchInfo.Capture(job.Error).Throw();
            return;
        }
        try
        {
            EnsureWorkers(threadCount - 1);
            current = job;
            Wake.Release(threadCount - 1);
            job.Execute();
            var spin = new SpinWait();
            while (!job.IsComplete) spin.SpinOnce(sleep1Threshold: -1);
            current = null;
        }
        finally
        {
            Monitor.Exit(PoolLock);
        }
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
                grown[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"PamGen GEMM worker {i + 1}" };
                grown[i].Start();
            }
            threads = grown;
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Wake.Wait();
            current?.Execute();
        }
    }
}
