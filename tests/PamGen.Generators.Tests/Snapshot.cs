using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace PamGen.Generators.Tests;

/// <summary>
/// A small stand-in for Verify (its package cannot be restored here) with Verify's layout:
/// <c>Snapshots/{Class}.{Method}.verified.{ext}</c> beside the test file is committed; on a mismatch the actual
/// text goes to <c>*.received.{ext}</c> (git-ignored) and the test fails. A missing verified file is written on
/// the first run (and the test fails so it is reviewed); set PAMGEN_ACCEPT_SNAPSHOTS=1 to accept all changes.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string actual, string className, string extension = "cs",
        [CallerMemberName] string method = "", [CallerFilePath] string testFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        Directory.CreateDirectory(folder);
        string stem = Path.Combine(folder, $"{className}.{method}");
        string verified = $"{stem}.verified.{extension}", received = $"{stem}.received.{extension}";
        actual = actual.Replace("\r\n", "\n");
        bool accept = Environment.GetEnvironmentVariable("PAMGEN_ACCEPT_SNAPSHOTS") == "1";
        if (!File.Exists(verified) || accept)
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            if (accept) return;
            throw new XunitException($"New snapshot written to {verified}; review and commit it, then rerun.");
        }
        string expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
        int line = expected.Substring(0, at).Split('\n').Length;
        throw new XunitException($"Snapshot {verified} differs from the generated text at line {line}; see {received} " +
            "(accept with PAMGEN_ACCEPT_SNAPSHOTS=1 when the change is intended).");
    }
}
