using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PamGen.Generators;

namespace PamGen.Generators.Tests;

/// <summary>Runs the generator in memory with CSharpGeneratorDriver against the running runtime's assemblies (no downloads).</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            // The few facades generated code and test sources touch; fewer references bind much faster.
            .Where(p => Path.GetFileName(p) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "System.Runtime.Intrinsics.dll"
                or "System.Numerics.Vectors.dll" or "System.Memory.dll" or "netstandard.dll" or "System.Collections.dll" or "System.Linq.dll")
            .ToList();
        paths.Add(typeof(PamKernelAttribute).Assembly.Location);
        paths.Add(typeof(IArithmetic).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    /// <summary>A compilation of the given files (named <c>File{i}.cs</c> unless a name is given).</summary>
    public static CSharpCompilation Compile(params (string Path, string Text)[] files)
        => Empty.Value.WithAssemblyName("Test" + Guid.NewGuid().ToString("N"))
            .AddSyntaxTrees(files.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path, Encoding.UTF8)));

    // Compilations derived from one root share its bound references (new roots would rebind every assembly).
    private static readonly Lazy<CSharpCompilation> Empty = new(() => CSharpCompilation.Create("Root", null, References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)));

    // The same root plus ILGPU: the generator then also emits the *.Ilgpu.g.cs kernels.
    private static readonly Lazy<CSharpCompilation> EmptyWithIlgpu = new(() =>
        Empty.Value.AddReferences(MetadataReference.CreateFromFile(typeof(global::ILGPU.Context).Assembly.Location)));

    /// <summary>Runs the generator on one source file in a compilation that references ILGPU.</summary>
    public static (GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) RunWithIlgpu(string source)
        => Run(EmptyWithIlgpu.Value.WithAssemblyName("Test" + Guid.NewGuid().ToString("N"))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, ParseOptions, "Input.cs", Encoding.UTF8)));

    /// <summary>A driver with step tracking on (for caching tests).</summary>
    public static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        new[] { new PamModelGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the generator's result and the compilation with generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) Run(CSharpCompilation compilation)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (driver.GetRunResult().Results.Single(), output, diagnostics);
    }

    /// <summary>Runs the generator on one source file.</summary>
    public static (GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) Run(string source)
        => Run(Compile(("Input.cs", source)));

    /// <summary>Generator diagnostics of one source file as snapshot text.</summary>
    public static string DiagnosticsOf(string source)
    {
        var input = Compile(("Input.cs", source));
        return DiagnosticText(Run(input).GeneratorDiagnostics, input);
    }

    /// <summary>Compiler errors of a compilation.</summary>
    public static List<Diagnostic> Errors(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Emits and loads the compilation (for running generated kernels); fails with the errors when it does not compile.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
            throw new InvalidOperationException("Compilation failed:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>Generated sources as one text, each file preceded by its hint name (snapshot form).</summary>
    public static string GeneratedText(GeneratorRunResult result)
        => string.Join("\n", result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => $"//----- {s.HintName}\n{s.SourceText}"));

    /// <summary>Diagnostics as text, one per line: id, location, message (snapshot form).</summary>
    public static string DiagnosticText(IEnumerable<Diagnostic> diagnostics, Compilation input)
        => string.Join("\n", diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var tree = input.SyntaxTrees.FirstOrDefault(t => t.FilePath == span.Path);
                string text = tree is null ? "" : tree.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
                return $"{d.Id} {d.Severity} {Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}) on `{text}`: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            }));
}
