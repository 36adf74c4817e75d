using System;
using System.IO;
using Microsoft.CodeAnalysis;

namespace PamGen.Generators.Parsing;

/// <summary>Recognises the ILGPU assembly among a compilation's metadata references (by file name, without loading it).</summary>
internal static class IlgpuReference
{
    public static bool Is(MetadataReference reference)
    {
        string? path = (reference as PortableExecutableReference)?.FilePath ?? reference.Display;
        return path is not null && string.Equals(Path.GetFileName(path), "ILGPU.dll", StringComparison.OrdinalIgnoreCase);
    }
}
