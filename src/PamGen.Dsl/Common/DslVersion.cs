namespace PamGen.Dsl;

/// <summary>Version of the DSL's intermediate representation; bumped when generated code changes shape.</summary>
public static class DslVersion
{
    /// <summary>The IR version emitted into generated file headers.</summary>
    public const int Current = 1;
}
