using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;

namespace PamGen.Cli.Data;

/// <summary>Runs an external command (apt-get, dpkg); tests substitute a fake.</summary>
internal interface IProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>;
    /// returns the exit code and the combined output.</summary>
    (int ExitCode, string Output) Run(string file, string[] arguments, string workingDirectory);
}

/// <summary>Runs commands as child processes.</summary>
internal sealed class ProcessRunner : IProcessRunner
{
    public (int ExitCode, string Output) Run(string file, string[] arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} could not be started: {e.Message}");
        }
    }
}

/// <summary>
/// Fetches the Ding German–English dictionary through the package manager (<c>apt-get download trans-de-en</c>,
/// then <c>dpkg -x</c>; neither needs root), verifies its SHA-256 and caches it under the user's cache folder.
/// Nothing is downloaded at training time: <c>pamgen translate</c> reads the cached copy or a file given with --data.
/// </summary>
internal static class DeEnFetcher
{
    /// <summary>The Debian package.</summary>
    public const string Package = "trans-de-en";
    /// <summary>The dictionary's path inside the package.</summary>
    public const string FileInPackage = "usr/share/trans/de-en";
    /// <summary>SHA-256 of that file in trans-de-en 1.9-6 (Ding, devel 2023-01-30).</summary>
    public const string Sha256 = "34052c6021d09eadfee7a893a789204265954df70fe9c36d38fa00058d79d326";

    /// <summary>The cache folder: <c>$XDG_CACHE_HOME/pamgen/data</c>, else <c>~/.cache/pamgen/data</c>.</summary>
    public static string CacheFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "pamgen", "data");
    }

    /// <summary>Where the verified dictionary is cached under <paramref name="cacheFolder"/>.</summary>
    public static string CachedPath(string cacheFolder) => Path.Combine(cacheFolder, "de-en", "ding-de-en.txt");

    /// <summary>Fetches and verifies the dictionary unless a verified copy is cached; returns its path.</summary>
    /// <exception cref="IOException">A package-manager call failed or the file's checksum is wrong; the message
    /// names the command and how to fetch the file by hand.</exception>
    public static string Fetch(string cacheFolder, IProcessRunner runner, TextWriter log)
    {
        string target = CachedPath(cacheFolder);
        if (File.Exists(target) && HashOf(target) == Sha256)
        {
            log.WriteLine($"German–English dictionary already cached and verified: {target}");
            return target;
        }
        string work = Path.Combine(cacheFolder, "de-en", "fetch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            log.WriteLine($"Fetching the German–English dictionary: apt-get download {Package} (in {work})");
            Run(runner, "apt-get", new[] { "download", Package }, work);
            string[] debs = Directory.GetFiles(work, Package + "_*.deb");
            if (debs.Length != 1)
                throw new IOException($"apt-get download {Package} left {debs.Length} .deb files in {work}, expected one. {ByHand}");
            log.WriteLine($"Unpacking: dpkg -x {Path.GetFileName(debs[0])} package");
            Run(runner, "dpkg", new[] { "-x", debs[0], "package" }, work);
            string extracted = Path.Combine(work, "package", FileInPackage);
            if (!File.Exists(extracted))
                throw new IOException($"{debs[0]} has no {FileInPackage}. {ByHand}");
            string hash = HashOf(extracted);
            if (hash != Sha256)
                throw new IOException($"{extracted}: SHA-256 {hash}, expected {Sha256} (trans-de-en 1.9-6). The package may have changed: " +
                                      $"check the file and pass it with --data, or update {nameof(DeEnFetcher)}.{nameof(Sha256)}.");
            File.Move(extracted, target, overwrite: true);
            log.WriteLine($"Verified (SHA-256 {Sha256[..16]}…) and cached: {target}");
            return target;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private const string ByHand = "By hand: `apt-get download trans-de-en && dpkg -x trans-de-en_*.deb x` (run `sudo apt-get update` once if apt knows no such package), then pass `--data x/usr/share/trans/de-en`.";

    private static void Run(IProcessRunner runner, string file, string[] arguments, string work)
    {
        var (code, output) = runner.Run(file, arguments, work);
        if (code != 0)
        {
            string tail = output.Length > 600 ? "…" + output[^600..] : output;
            throw new IOException($"`{file} {string.Join(' ', arguments)}` failed (exit {code}): {tail.Trim()} {ByHand}");
        }
    }

    /// <summary>Lower-case hexadecimal SHA-256 of the file at <paramref name="path"/>.</summary>
    public static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
