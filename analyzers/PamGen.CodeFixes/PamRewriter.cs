using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using PamGen.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PamGen.CodeFixes;

/// <summary>A planned rewrite: the node to replace, a title, and how to build the replacement from the node's current form.</summary>
internal sealed class RewritePlan
{
    public RewritePlan(ExpressionSyntax node, string title, Func<ExpressionSyntax, ExpressionSyntax> rewrite)
    {
        Node = node;
        Title = title;
        Rewrite = rewrite;
    }

    public ExpressionSyntax Node { get; }
    public string Title { get; }
    public Func<ExpressionSyntax, ExpressionSyntax> Rewrite { get; }
}

/// <summary>Builds the PAM replacement for one fixable diagnostic (see <see cref="FixProperties"/>).</summary>
internal static class PamRewriter
{
    public static RewritePlan? Plan(SyntaxNode root, Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(FixProperties.Member, out var member) || member is null
            || !properties.TryGetValue(FixProperties.Form, out var form)
            || !properties.TryGetValue(FixProperties.Target, out var target))
        {
            return null;
        }

        var owner = target == FixTargets.Scalar ? PamNames.Scalar : PamNames.VectorMode;
        var title = (target == FixTargets.Scalar ? "Pam." : "PamArithmetic<PamDefaults>.") + member;
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        switch (form)
        {
            case FixForms.Binary when node is BinaryExpressionSyntax binary:
                return new RewritePlan(binary, title, current =>
                {
                    var b = (BinaryExpressionSyntax)current;
                    return Call(owner, member, Argument(b.Left).WithoutTrailingTrivia(), Argument(b.Right).WithoutLeadingTrivia())
                        .WithTriviaFrom(b);
                });

            case FixForms.Compound when node is AssignmentExpressionSyntax assignment && IsRepeatable(assignment.Left):
                return new RewritePlan(assignment, title, current =>
                {
                    var a = (AssignmentExpressionSyntax)current;
                    var targetExpression = a.Left.WithoutTrivia();
                    var call = Call(owner, member, targetExpression, Argument(a.Right).WithoutLeadingTrivia());
                    return AssignmentExpression(
                            SyntaxKind.SimpleAssignmentExpression,
                            a.Left,
                            Token(SyntaxKind.EqualsToken).WithTriviaFrom(a.OperatorToken),
                            call.WithTriviaFrom(a.Right))
                        .WithTriviaFrom(a);
                });

            case FixForms.Call when node is InvocationExpressionSyntax invocation:
                return new RewritePlan(invocation, title, current =>
                {
                    var i = (InvocationExpressionSyntax)current;
                    return i.WithExpression(MemberAccess(owner, member).WithTriviaFrom(i.Expression));
                });

            default:
                return null;
        }
    }

    private static InvocationExpressionSyntax Call(string owner, string member, ExpressionSyntax left, ExpressionSyntax right) =>
        InvocationExpression(
            MemberAccess(owner, member),
            ArgumentList(SeparatedList(new[] { SyntaxFactory.Argument(left), SyntaxFactory.Argument(right) })));

    private static ExpressionSyntax MemberAccess(string owner, string member) =>
        MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            ParseTypeName(owner).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation),
            IdentifierName(member));

    /// <summary>An operand as an argument: redundant parentheses dropped, since an argument never needs them.</summary>
    private static ExpressionSyntax Argument(ExpressionSyntax operand) =>
        operand is ParenthesizedExpressionSyntax parenthesized
            ? parenthesized.Expression.WithTriviaFrom(parenthesized)
            : operand;

    /// <summary>True when evaluating the compound target twice (x = Mul(x, y)) has no side effects.</summary>
    private static bool IsRepeatable(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax => true,
        ParenthesizedExpressionSyntax p => IsRepeatable(p.Expression),
        MemberAccessExpressionSyntax m => IsRepeatable(m.Expression),
        ElementAccessExpressionSyntax e => IsRepeatable(e.Expression) && AllSimple(e.ArgumentList),
        _ => false,
    };

    private static bool AllSimple(BracketedArgumentListSyntax arguments)
    {
        foreach (var argument in arguments.Arguments)
        {
            if (argument.Expression is not (IdentifierNameSyntax or LiteralExpressionSyntax)) return false;
        }
        return true;
    }
}
