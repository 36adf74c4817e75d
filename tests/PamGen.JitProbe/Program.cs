namespace PamGen.JitProbe;

/// <summary>
/// A small process run under <c>DOTNET_JitDisasm</c> by the tests: it calls each probed method so that the JIT
/// compiles (and lists) it. Filled in by the numeric-core work.
/// </summary>
internal static class Program
{
    private static int Main(string[] args) => 0;
}
