using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PamGen.Dsl;
using PamGen.Dsl.Emit;
using PamGen.Generators.Diagnostics;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Parsing;

/// <summary>Reads where generated members go (namespace and enclosing partial types) and checks they can go there.</summary>
internal static class TypeContextParser
{
    /// <summary>The context of members added to <paramref name="type"/>; adds PAM0001/PAM0002 when a type is not partial.</summary>
    public static TypeContext? Parse(TypeDeclarationSyntax type, List<DiagnosticInfo> diagnostics)
    {
        var chain = new List<TypeDeclarationSyntax>();
        for (SyntaxNode? n = type; n is not null; n = n.Parent)
            if (n is TypeDeclarationSyntax t) chain.Insert(0, t);
        bool ok = true;
        if (!IsPartial(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPartialType.Id, LocationInfo.From(type.Identifier.GetLocation()), type.Identifier.Text));
            ok = false;
        }
        foreach (var outer in chain.Take(chain.Count - 1))
        {
            if (IsPartial(outer)) continue;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPartialContainer.Id, LocationInfo.From(outer.Identifier.GetLocation()),
                type.Identifier.Text, outer.Identifier.Text));
            ok = false;
        }
        if (!ok) return null;
        var types = chain.Select(t => new ContainingType(Keywords(t), t.Identifier.Text + (t.TypeParameterList?.ToString() ?? ""))).ToEquatableArray();
        return new TypeContext(Namespace(type), types);
    }

    private static bool IsPartial(TypeDeclarationSyntax t) => t.Modifiers.Any(SyntaxKind.PartialKeyword);

    private static string Keywords(TypeDeclarationSyntax t)
    {
        var kept = t.Modifiers.Where(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword)
            || m.IsKind(SyntaxKind.ReadOnlyKeyword) || m.IsKind(SyntaxKind.RefKeyword)).Select(m => m.Text).ToList();
        kept.Add("partial");
        kept.Add(t switch
        {
            RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            _ => "class",
        });
        return string.Join(" ", kept);
    }

    private static string Namespace(SyntaxNode node)
    {
        var parts = new List<string>();
        for (var n = node.Parent; n is not null; n = n.Parent)
            if (n is BaseNamespaceDeclarationSyntax ns) parts.Insert(0, ns.Name.ToString());
        return string.Join(".", parts);
    }
}
