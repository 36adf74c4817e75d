namespace PamGen.Dsl.Emit;

/// <summary>One enclosing type of generated members: its declaration keywords (e.g. <c>static partial class</c>) and name with type parameters.</summary>
/// <param name="Keywords">Modifiers and kind, always including <c>partial</c>.</param>
/// <param name="Name">Name as written, with type parameters.</param>
public sealed record ContainingType(string Keywords, string Name);

/// <summary>Where generated members go: a namespace (empty for the global one) and the enclosing types, outermost first.</summary>
/// <param name="Namespace">Namespace, or empty.</param>
/// <param name="Types">Enclosing types, outermost first.</param>
public sealed record TypeContext(string Namespace, EquatableArray<ContainingType> Types)
{
    /// <summary>The innermost type's name (used in file headers and hint names).</summary>
    public string TypeName => Types.Count == 0 ? "" : Types[Types.Count - 1].Name;

    /// <summary>Hint-name-safe innermost type path (nested types joined with '.', type parameters dropped).</summary>
    public string HintPrefix
    {
        get
        {
            var parts = new string[Types.Count];
            for (int i = 0; i < Types.Count; i++)
            {
                string n = Types[i].Name;
                int lt = n.IndexOf('<');
                parts[i] = lt < 0 ? n : n.Substring(0, lt) + "T" + (n.Split(',').Length);
            }
            string prefix = string.Join(".", parts);
            return Namespace.Length == 0 ? prefix : Namespace + "." + prefix;
        }
    }
}
