using System;
using System.CommandLine;

namespace PamGen.Cli.Commands;

/// <summary>The <c>--mode ieee|pam-matmul|pam|all</c> option the training commands share.</summary>
internal static class ModeOption
{
    /// <summary>The option, defaulting to <c>pam</c>.</summary>
    internal static Option<string> Create(string description)
    {
        var mode = new Option<string>("--mode") { Description = description, DefaultValueFactory = _ => "pam" };
        mode.AcceptOnlyFromAmong("ieee", "pam-matmul", "pam", "all");
        return mode;
    }

    /// <summary>The training modes an option value names, in report order.</summary>
    internal static TrainingMode[] Parse(string mode) => mode switch
    {
        "ieee" => new[] { TrainingMode.Ieee },
        "pam-matmul" => new[] { TrainingMode.PamMatmul },
        "pam" => new[] { TrainingMode.Pam },
        "all" => new[] { TrainingMode.Ieee, TrainingMode.PamMatmul, TrainingMode.Pam },
        _ => throw new ArgumentException($"Unknown --mode '{mode}'; use ieee, pam-matmul, pam or all.", nameof(mode)),
    };
}
