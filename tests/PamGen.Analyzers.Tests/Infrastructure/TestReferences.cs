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
    public static ImmutableArray<MetadataReference> All { get; } = Load(_ => true);

    /// <summary>
    /// The framework assemblies the rule tests' sources touch, plus Abstractions and Tensors: binding a dozen
    /// references instead of the whole reference pack makes each of the many small test compilations much cheaper.
    /// </summary>
    public static ImmutableArray<MetadataReference> Small { get; } = Load(name => name is "System.Runtime.dll"
        or "System.Runtime.Intrinsics.dll" or "System.Numerics.Vectors.dll" or "System.Runtime.Numerics.dll"
        or "System.Runtime.InteropServices.dll" or "System.Linq.dll" or "System.Linq.Expressions.dll" or "System.Linq.Queryable.dll"
        or "System.Collections.dll" or "System.Memory.dll" or "System.Console.dll" or "netstandard.dll" or "mscorlib.dll");

    private static ImmutableArray<MetadataReference> Load(Func<string, bool> framework)
    {
        var frameworkPaths = FrameworkPaths().Where(path => framework(Path.GetFileName(path)));
        var extra = new[]
        {
            typeof(MultiplicationFreeAttribute).Assembly.Location,
            typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location,
        };
        return frameworkPaths.Concat(extra)
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
