using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using PamGen.Analyzers;

namespace PamGen.CodeFixes;

/// <summary>
/// Replaces a real multiplication with its PAM form: <c>a * b</c> → <c>Pam.Mul(a, b)</c>, <c>a / b</c> →
/// <c>Pam.Div(a, b)</c>, <c>x *= y</c> → <c>x = Pam.Mul(x, y)</c>, <c>MathF.Exp(x)</c> → <c>Pam.Exp(x)</c>,
/// <c>TensorPrimitives.Multiply(x, y, d)</c> → <c>Pam.Mul(x, y, d)</c> (float spans), and
/// Vector256/Vector512 of float operands → the default Pam mode's vector Mul/Div. Offered only where the
/// analyzer marked the diagnostic as fixable: float32 operands (PAM is float32, so double code is left for a
/// deliberate conversion) and compound targets that can be repeated without side effects.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PamReplacementCodeFix)), Shared]
public sealed class PamReplacementCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "PamGen.ReplaceWithPam";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        PamDiagnostics.FloatingOperatorId, PamDiagnostics.VectorOperatorId, PamDiagnostics.MultiplyingCallId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (PamRewriter.Plan(root, diagnostic) is not { } plan) continue;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Replace with {plan.Title}",
                    token => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), token),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken token)
    {
        var editor = await DocumentEditor.CreateAsync(document, token).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        // Outermost first, so nested products (a * b * c) are rewritten from the inside out by the editor's callbacks.
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.Length))
        {
            if (PamRewriter.Plan(root, diagnostic) is not { } plan) continue;
            editor.ReplaceNode(plan.Node, (current, _) => plan.Rewrite((ExpressionSyntax)current));
        }
        // The written names carry Simplifier.AddImportsAnnotation: add `using PamGen;` here, and the code action's
        // cleanup then shortens global::PamGen.Pam to Pam.
        return await ImportAdder.AddImportsAsync(editor.GetChangedDocument(), Simplifier.AddImportsAnnotation, cancellationToken: token)
            .ConfigureAwait(false);
    }
}
