using System.CommandLine;

namespace PamGen.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("PamGen: multiplication-free neural network training.");
        return root.Parse(args).Invoke();
    }
}
