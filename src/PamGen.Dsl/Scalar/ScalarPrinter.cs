using System.Globalization;
using System.Text;

namespace PamGen.Dsl.Scalar;

/// <summary>Writes scalar expressions and graph nodes as DSL text for generated file headers.</summary>
public static class ScalarPrinter
{
    /// <summary>Longest text written before eliding with "…" (headers stay readable).</summary>
    public const int MaxLength = 600;

    /// <summary>The expression rooted at node <paramref name="id"/>, parameters named by <paramref name="names"/>.</summary>
    public static string Print(ScalarGraph graph, int id, string[] names)
    {
        var sb = new StringBuilder();
        Write(sb, graph, id, names);
        return sb.Length > MaxLength ? sb.ToString(0, MaxLength) + " …" : sb.ToString();
    }

    /// <summary>The C# literal of <paramref name="value"/>: invariant culture, round-trip, suffix f.</summary>
    public static string Literal(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text == "0" && System.BitConverter.DoubleToInt64Bits(value) < 0) text = "-0";
        return text + "f";
    }

    private static void Write(StringBuilder sb, ScalarGraph g, int id, string[] names)
    {
        if (sb.Length > MaxLength) return;
        var n = g.Nodes[id];
        switch (n.Kind)
        {
            case NodeKind.Param: sb.Append(names[n.Index]); break;
            case NodeKind.Const: sb.Append(Literal(n.Value)); break;
            case NodeKind.Select:
                sb.Append('(');
                Write(sb, g, n.A, names);
                sb.Append(' ').Append(CmpText(n.Cmp)).Append(' ');
                Write(sb, g, n.B, names);
                sb.Append(" ? ");
                Write(sb, g, n.C, names);
                sb.Append(" : ");
                Write(sb, g, n.D, names);
                sb.Append(')');
                break;
            default:
                var p = Primitives.Of(n.Op);
                if (p.Arity == 2 && !char.IsLetter(p.Name[0]))
                {
                    sb.Append('(');
                    Write(sb, g, n.A, names);
                    sb.Append(' ').Append(p.Name).Append(' ');
                    Write(sb, g, n.B, names);
                    sb.Append(')');
                }
                else if (n.Op == Prim.Neg)
                {
                    sb.Append('-');
                    Write(sb, g, n.A, names);
                }
                else
                {
                    sb.Append(p.Name).Append('(');
                    Write(sb, g, n.A, names);
                    if (p.Arity >= 2)
                    {
                        sb.Append(", ");
                        Write(sb, g, n.B, names);
                    }
                    if (p.Arity == 3)
                    {
                        sb.Append(", ");
                        Write(sb, g, n.C, names);
                    }
                    sb.Append(')');
                }
                break;
        }
    }

    /// <summary>The C# comparison operator.</summary>
    public static string CmpText(Cmp cmp) => cmp switch
    {
        Cmp.Lt => "<",
        Cmp.Le => "<=",
        Cmp.Gt => ">",
        Cmp.Ge => ">=",
        Cmp.Eq => "==",
        _ => "!=",
    };
}
