using BenchmarkDotNet.Running;

namespace PamGen.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        // `steps`: the training steps timed round-robin in one process (InterleavedSteps); anything else goes to BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "steps")
        {
            InterleavedSteps.Run(args[1..]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
