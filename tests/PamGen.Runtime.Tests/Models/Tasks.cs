namespace PamGen.Tests;

/// <summary>Small fixed, seeded tasks for the end-to-end training tests.</summary>
internal static class Tasks
{
    public const int Pad = 0, Bos = 1;

    /// <summary>Classify a sequence by the parity-free rule label = tokens[0] mod classes (needs attention to position 0).</summary>
    public static (int[,] Tokens, int[] Labels) FirstTokenClass(int batch, int seq, int vocab, int classes, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var tokens = new int[batch, seq];
        var labels = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < seq; t++) tokens[b, t] = 1 + rng.NextInt(vocab - 1);
            labels[b] = tokens[b, 0] % classes;
        }
        return (tokens, labels);
    }

    /// <summary>Reverse the source: target = reversed source, decoder input = [BOS, target without its last token].</summary>
    public static (int[,] Source, int[,] TargetIn, int[,] TargetOut) Reverse(int batch, int length, int vocab, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var src = new int[batch, length];
        var tin = new int[batch, length];
        var tout = new int[batch, length];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < length; t++) src[b, t] = 2 + rng.NextInt(vocab - 2);
            for (int t = 0; t < length; t++)
            {
                tout[b, t] = src[b, length - 1 - t];
                tin[b, t] = t == 0 ? Bos : tout[b, t - 1];
            }
        }
        return (src, tin, tout);
    }
}
