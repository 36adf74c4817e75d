using System.CommandLine;
using PamGen.Cli.Commands;

namespace PamGen.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("PamGen: multiplication-free neural network training.");
        root.Subcommands.Add(OpsCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(GpuCommand.Create());
        root.Subcommands.Add(TranslateCommand.Create());
        return root.Parse(args).Invoke();
    }
}
