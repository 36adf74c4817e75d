using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace PamGen.Benchmarks;

/// <summary>
/// OpenBLAS (Debian <c>libopenblas0-pthread</c>) loaded at run time, so the benchmark builds without it.
/// Search order: <c>$PAMGEN_OPENBLAS</c> (a path to libopenblas.so.0), the extracted package under
/// <c>~/.cache/pamgen/openblas</c>, then the system's library directories.
/// </summary>
internal static unsafe class GemmOpenBlas
{
    internal const string HowToGet =
        "OpenBLAS not found. Get Debian's pthread build without root:\n" +
        "  apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb ~/.cache/pamgen/openblas\n" +
        "(needs libgfortran5; as root `apt-get install libopenblas0-pthread` works too), or set PAMGEN_OPENBLAS to libopenblas.so.0.";

    private static delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;
    private static delegate* unmanaged<int, void> setThreads;
    private static delegate* unmanaged<byte*> coreName;

    /// <summary>The path that was loaded.</summary>
    internal static string Path { get; private set; } = "";

    internal static void Load()
    {
        if (sgemm != null) return;
        foreach (string candidate in Candidates())
        {
            if (!File.Exists(candidate) || !NativeLibrary.TryLoad(candidate, out nint handle)) continue;
            sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(handle, "cblas_sgemm");
            setThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");
            coreName = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "openblas_get_corename");
            Path = candidate;
            return;
        }
        throw new InvalidOperationException(HowToGet);
    }

    private static IEnumerable<string> Candidates()
    {
        string? env = Environment.GetEnvironmentVariable("PAMGEN_OPENBLAS");
        if (!string.IsNullOrEmpty(env)) yield return env;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return System.IO.Path.Combine(home, ".cache/pamgen/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");
        yield return "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0";
        yield return "/usr/lib/x86_64-linux-gnu/libopenblas.so.0";
    }

    internal static void SetThreads(int n) => setThreads(n);

    /// <summary>The kernel family OpenBLAS picked (e.g. "SkylakeX"; "Haswell" means the AVX2 kernels).</summary>
    internal static string CoreName => Marshal.PtrToStringAnsi((nint)coreName()) ?? "?";

    /// <summary>Row-major, non-transposed <c>C = A·B</c> (A m×k, B k×n).</summary>
    internal static void MatMul(float[] a, float[] b, float[] c, int m, int k, int n)
    {
        fixed (float* pa = a, pb = b, pc = c)
            sgemm(101 /* RowMajor */, 111 /* NoTrans */, 111, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
    }
}
