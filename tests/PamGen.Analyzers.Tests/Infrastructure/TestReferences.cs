using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace PamGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// The metadata references test compilations use. The testing library's ReferenceAssemblies.Net.* download
/// reference packs from nuget.org, which is not reachable here, so the references come from the SDK's
/// installed reference pack (Microsoft.NETCore.App.Ref for the running runtime) or, failing that, from the
/// running runtime's own assemblies.
/// </summary>
internal static class TestReferences
{
    /// <summary>An empty reference set: nothing is resolved from NuGet; <see cref="All"/> supplies everything.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0-local");

    /// <summary>Framework, PamGen.Abstractions and System.Numerics.Tensors references.</summary>
    public static ImmutableArray<MetadataReference> All { get; } = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        var framework = FrameworkPaths();
        var extra = new[]
        {
            typeof(MultiplicationFreeAttribute).Assembly.Location,
            typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location,
        };
        return framework.Concat(extra)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static string[] FrameworkPaths()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packRoot = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var tfm = $"net{Environment.Version.Major}.0";
        if (Directory.Exists(packRoot))
        {
            var refDirectory = Directory.GetDirectories(packRoot)
                .Select(version => Path.Combine(version, "ref", tfm))
                .Where(Directory.Exists)
                .OrderByDescending(path => path, StringComparer.Ordinal)
                .FirstOrDefault();
            if (refDirectory is not null) return Directory.GetFiles(refDirectory, "*.dll");
        }

        // Fallback: the runtime's implementation assemblies (they compile the same test sources).
        var trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "";
        return trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Where(path => !path.Contains("System.Numerics.Tensors", StringComparison.Ordinal))
            .ToArray();
    }
}
