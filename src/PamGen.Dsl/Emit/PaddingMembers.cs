namespace PamGen.Dsl.Emit;

/// <summary>The generated code of padding support: keep masks from token ids and loss targets without padding.</summary>
internal static class PaddingMembers
{
    /// <summary>Fills a keep mask (1 = real token, 0 = the padding token) from the saved token ids.</summary>
    public static void KeepMask(SourceWriter w, string tokens, string keep, int padToken)
        => w.Line($"for (int i = 0; i < {tokens}.Length; i++) {keep}[i] = {tokens}[i] == {padToken} ? (byte)0 : (byte)1;");

    /// <summary>A method mapping padding targets to the cross-entropy's ignore index.</summary>
    public static void IgnorePadding(SourceWriter w, string model, int padToken)
    {
        w.Line($"/// <summary>The targets with the padding token {padToken} replaced by the cross-entropy's ignore index (−100), in a reused buffer.</summary>");
        w.Open("private global::System.ReadOnlySpan<int> IgnorePadding(global::System.ReadOnlySpan<int> targets)");
        w.Line("if (targets.Length != _targets.Length)");
        w.Line($"    throw new global::System.ArgumentException($\"{model}: 'targets' holds {{targets.Length}} values but the output has {{_targets.Length}} positions.\", nameof(targets));");
        w.Line($"for (int i = 0; i < targets.Length; i++) _targets[i] = targets[i] == {padToken} ? -100 : targets[i];");
        w.Line("return _targets;");
        w.Close();
        w.Line();
    }
}
