using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Xunit;

namespace PamGen.Tests;

/// <summary>
/// The worker pool that GEMMs and <see cref="RowParallel"/> share: every item of every job runs exactly once, also for
/// thousands of jobs back to back (the spin-then-block hand-over between jobs); a failure on any thread reaches the
/// caller; a job started from inside a job runs on its caller; idle workers do join the next job.
/// </summary>
public class WorkerPoolTests
{
    /// <summary>Counts how often each item ran, optionally spinning a little per item, optionally failing at one item.</summary>
    private readonly struct CountingBody(int[] counts, ConcurrentDictionary<int, bool>? threads, int spinTicks, int failAt) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (i == failAt) throw new InvalidOperationException($"item {i} failed");
                Interlocked.Increment(ref counts[i]);
                threads?.TryAdd(Environment.CurrentManagedThreadId, true);
                if (spinTicks > 0)
                {
                    long until = Stopwatch.GetTimestamp() + spinTicks;
                    while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
                }
            }
        }
    }

    /// <summary>Runs an inner <see cref="RowParallel.For"/> for each outer item.</summary>
    private readonly struct NestingBody(int[] inner, int innerCount) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
                RowParallel.For(innerCount, 1, 1, new CountingBody(new int[innerCount], null, 0, -1));
            for (int i = start; i < end; i++) Interlocked.Increment(ref inner[i]);
        }
    }

    private static void WithTwoThreads(Action body)
    {
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 2;
            body();
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void Thousands_of_jobs_back_to_back_run_every_item_exactly_once()
    {
        WithTwoThreads(() =>
        {
            for (int job = 0; job < 3000; job++)
            {
                int n = 16 + job % 50;
                var counts = new int[n];
                RowParallel.For(n, 1, 1, new CountingBody(counts, null, 0, -1));
                for (int i = 0; i < n; i++)
                    Assert.True(counts[i] == 1, $"job {job}: item {i} ran {counts[i]} times");
            }
        });
    }

    [Fact]
    public void A_failure_on_any_thread_reaches_the_caller_and_every_other_item_still_runs()
    {
        WithTwoThreads(() =>
        {
            const int n = 64;
            for (int failAt = 0; failAt < n; failAt += 7)
            {
                var counts = new int[n];
                var e = Assert.Throws<InvalidOperationException>(() => RowParallel.For(n, 1, 1, new CountingBody(counts, null, 0, failAt)));
                Assert.Equal($"item {failAt} failed", e.Message);
                // Items of the failing chunk after the failure are skipped; every other chunk ran once.
                for (int i = 0; i < n; i++) Assert.InRange(counts[i], 0, 1);
            }
        });
    }

    [Fact]
    public void A_job_started_inside_a_job_runs_on_its_caller()
    {
        WithTwoThreads(() =>
        {
            var outer = new int[40];
            RowParallel.For(outer.Length, 1, 1, new NestingBody(outer, 33));
            Assert.All(outer, c => Assert.Equal(1, c));
        });
    }

    /// <summary>A fact that needs a second processor for a worker to run beside the caller.</summary>
    public sealed class MultiCoreFactAttribute : FactAttribute
    {
        /// <summary>Skips on a one-processor machine.</summary>
        public MultiCoreFactAttribute()
        {
            if (Environment.ProcessorCount < 2)
                Skip = "One processor: the pool starts no worker (RowParallel uses at most the processor count), so none can join.";
        }
    }

    [MultiCoreFact]
    public void Idle_workers_join_the_next_job()
    {
        WithTwoThreads(() =>
        {
            // Another test's job may hold the pool for a moment (this job then runs on its caller alone): a few tries.
            int most = 0;
            for (int attempt = 0; attempt < 20 && most < 2; attempt++)
            {
                var threads = new ConcurrentDictionary<int, bool>();
                var counts = new int[200];
                RowParallel.For(counts.Length, 1, 1, new CountingBody(counts, threads, (int)(Stopwatch.Frequency / 10_000), -1));
                Assert.All(counts, c => Assert.Equal(1, c));
                most = Math.Max(most, threads.Count);
            }
            Assert.True(most >= 2, "no worker thread joined any of 20 jobs of 200 items of 0.1 ms each");
        });
    }
}
