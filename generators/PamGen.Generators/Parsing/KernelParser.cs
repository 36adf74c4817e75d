using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PamGen.Dsl;
using PamGen.Dsl.Emit;
using PamGen.Dsl.Scalar;
using PamGen.Generators.Diagnostics;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Parsing;

/// <summary>
/// Turns a <c>[PamKernel]</c> method into a <see cref="KernelSpec"/>: checks the signature, then translates the
/// C# subset into a <see cref="ScalarExpr"/>, inlining locals and calls to other kernels.
/// </summary>
internal static class KernelParser
{
    private const string KernelAttribute = "PamGen.PamKernelAttribute";
    private static readonly HashSet<string> MathTypes = new() { "PamGen.PamMath", "System.MathF", "System.Math" };

    /// <summary>The transform of the kernel pipeline step; never throws (failures become PAM0900).</summary>
    public static KernelSpec Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (MethodDeclarationSyntax)context.TargetNode;
        try
        {
            var diagnostics = new List<DiagnosticInfo>();
            var typeContext = method.Parent is TypeDeclarationSyntax type ? TypeContextParser.Parse(type, diagnostics) : null;
            var kernel = KernelParseMemo.Parse(method, context.SemanticModel, diagnostics, cancellationToken);
            return diagnostics.Count > 0
                ? new KernelSpec(null, null, diagnostics.ToEquatableArray())
                : new KernelSpec(typeContext, kernel, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new KernelSpec(null, null, EquatableArray.Create(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError.Id,
                LocationInfo.From(method.Identifier.GetLocation()), method.Identifier.Text, ex.GetType().Name + ": " + ex.Message)));
        }
    }

    /// <summary>Parses one kernel (also used for kernels called from another, and for Map in a model).</summary>
    public static KernelDefinition? ParseKernel(MethodDeclarationSyntax method, SemanticModel model, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        int before = diagnostics.Count;
        CheckSignature(method, model, diagnostics);
        if (diagnostics.Count > before) return null;
        var names = method.ParameterList.Parameters.Select(p => p.Identifier.Text).ToArray();
        var translator = new Translator(model, diagnostics, new Stack<string>(new[] { method.Identifier.Text }), ct);
        var body = translator.Body(method, names.Select((n, i) => (n, (ScalarExpr)new ParamExpr(i))).ToList());
        if (body is null || diagnostics.Count > before) return null;
        string source = method.ExpressionBody?.Expression.ToString() ?? method.Body!.ToString();
        return new KernelDefinition(method.Identifier.Text, names.ToEquatableArray(), body, Normalize(source));
    }

    private static string Normalize(string text) => string.Join(" ", text.Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));

    private static void CheckSignature(MethodDeclarationSyntax method, SemanticModel model, List<DiagnosticInfo> diagnostics)
    {
        string name = method.Identifier.Text;
        var where = LocationInfo.From(method.Identifier.GetLocation());
        if (!method.Modifiers.Any(SyntaxKind.StaticKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, where,
                $"[PamKernel] '{name}' is an instance method", "kernels are pure scalar functions: make it 'static'"));
        if (method.TypeParameterList is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, LocationInfo.From(method.TypeParameterList),
                $"[PamKernel] '{name}' is generic", "kernels take and return float only: remove the type parameters"));
        if (!IsFloat(method.ReturnType, model))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType.Id, LocationInfo.From(method.ReturnType),
                $"The return of [PamKernel] '{name}'", method.ReturnType.ToString(), "kernels return 'float'"));
        if (method.ParameterList.Parameters.Count == 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, where,
                $"[PamKernel] '{name}' has no parameters", "a kernel maps one or more float inputs elementwise: add a 'float' parameter"));
        var names = new HashSet<string>(method.ParameterList.Parameters.Select(p => p.Identifier.Text));
        foreach (var p in method.ParameterList.Parameters)
        {
            if (p.Type is null || !IsFloat(p.Type, model) || p.Modifiers.Count > 0 || p.Default is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType.Id, LocationInfo.From(p),
                    $"Parameter '{p.Identifier.Text}' of [PamKernel] '{name}'", p.ToString(), "kernel parameters are plain 'float' values (no ref/out/in/params or defaults)"));
            string reason = Reserved(p.Identifier.Text, names);
            if (reason.Length > 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName.Id, LocationInfo.From(p.Identifier.GetLocation()), p.Identifier.Text, name, reason));
        }
        if (method.ExpressionBody is null && method.Body is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, where,
                $"[PamKernel] '{name}' has no body", "write the function as '=> expression' or a block ending in 'return'"));
    }

    private static string Reserved(string p, HashSet<string> all)
    {
        if (p == KernelEmitter.Output || p == KernelEmitter.Upstream || p == "i") return $"'{p}' names a span or index of the kernel";
        if (p.Length > 1 && (p[0] == 't' || p[0] == 'e') && p.Skip(1).All(char.IsDigit)) return $"'{p}' has the form of a generated local";
        foreach (var other in all)
            if (KernelEmitter.GradientName(other) == p) return $"'{p}' is the gradient span of '{other}'";
        return "";
    }

    private static bool IsFloat(TypeSyntax type, SemanticModel model)
    {
        var t = model.GetTypeInfo(type).Type;
        return t is not null ? t.SpecialType == SpecialType.System_Single : type.ToString() is "float" or "Single" or "System.Single";
    }

    /// <summary>Translates statements and expressions with an environment of locals.</summary>
    private sealed class Translator
    {
        private readonly SemanticModel _model;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly Stack<string> _callers;
        private readonly CancellationToken _ct;

        public Translator(SemanticModel model, List<DiagnosticInfo> diagnostics, Stack<string> callers, CancellationToken ct)
        {
            _model = model;
            _diagnostics = diagnostics;
            _callers = callers;
            _ct = ct;
        }

        public ScalarExpr? Body(MethodDeclarationSyntax method, List<(string Name, ScalarExpr Value)> env)
        {
            if (method.ExpressionBody is not null) return Expr(method.ExpressionBody.Expression, env);
            if (method.Body is null) return null;
            var statements = method.Body.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                _ct.ThrowIfCancellationRequested();
                var s = statements[i];
                bool last = i == statements.Count - 1;
                switch (s)
                {
                    case ReturnStatementSyntax { Expression: { } e } when last:
                        return Expr(e, env);
                    case LocalDeclarationStatementSyntax decl when !last && decl.Modifiers.Count == 0:
                        foreach (var v in decl.Declaration.Variables)
                        {
                            if (v.Initializer is null)
                            {
                                Unsupported(v, "a local without initializer", "initialise every local where it is declared");
                                return null;
                            }
                            var value = Expr(v.Initializer.Value, env);
                            if (value is null) return null;
                            env.Add((v.Identifier.Text, value));
                        }
                        break;
                    case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assign } when !last:
                        var rhs = Expr(assign.Right, env);
                        if (rhs is null) return null;
                        var old = Lookup(target.Identifier.Text, env);
                        if (old is null)
                        {
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownName.Id, LocationInfo.From(target), target.Identifier.Text,
                                "a parameter or local of the kernel", "assign only to the kernel's parameters and locals"));
                            return null;
                        }
                        ScalarExpr updated = assign.Kind() switch
                        {
                            SyntaxKind.SimpleAssignmentExpression => rhs,
                            SyntaxKind.AddAssignmentExpression => Apply(Prim.Add, old, rhs),
                            SyntaxKind.SubtractAssignmentExpression => Apply(Prim.Sub, old, rhs),
                            SyntaxKind.MultiplyAssignmentExpression => Apply(Prim.Mul, old, rhs),
                            SyntaxKind.DivideAssignmentExpression => Apply(Prim.Div, old, rhs),
                            _ => null!,
                        };
                        if (updated is null)
                        {
                            Unsupported(assign, "this assignment", "use =, +=, -=, *= or /=");
                            return null;
                        }
                        env.Add((target.Identifier.Text, updated));
                        break;
                    default:
                        Unsupported(s, "this statement", last
                            ? "end the kernel with 'return expression;'"
                            : "a kernel body holds only float locals, assignments to them and a final 'return'");
                        return null;
                }
            }
            Unsupported(method.Body, "a body without a final return", "end the kernel with 'return expression;'");
            return null;
        }

        private static ScalarExpr? Lookup(string name, List<(string Name, ScalarExpr Value)> env)
        {
            for (int i = env.Count - 1; i >= 0; i--)
                if (env[i].Name == name) return env[i].Value;
            return null;
        }

        private static ScalarExpr Apply(Prim op, params ScalarExpr[] args) => new ApplyExpr(op, EquatableArray.Create(args));

        public ScalarExpr? Expr(ExpressionSyntax e, List<(string Name, ScalarExpr Value)> env)
        {
            _ct.ThrowIfCancellationRequested();
            switch (e)
            {
                case ParenthesizedExpressionSyntax p:
                    return Expr(p.Expression, env);
                case LiteralExpressionSyntax lit when lit.IsKind(SyntaxKind.NumericLiteralExpression):
                    return new ConstExpr(Convert.ToSingle(lit.Token.Value, System.Globalization.CultureInfo.InvariantCulture));
                case IdentifierNameSyntax id:
                    var value = Lookup(id.Identifier.Text, env);
                    if (value is null)
                        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownName.Id, LocationInfo.From(id), id.Identifier.Text,
                            "a parameter or local of the kernel", "kernels read only their float parameters, their locals and literals"));
                    return value;
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
                    var negated = Expr(u.Operand, env);
                    return negated is null ? null : Apply(Prim.Neg, negated);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryPlusExpression):
                    return Expr(u.Operand, env);
                case BinaryExpressionSyntax b when BinaryOp(b.Kind()) is Prim op:
                    var l = Expr(b.Left, env);
                    var r = l is null ? null : Expr(b.Right, env);
                    return r is null ? null : Apply(op, l!, r);
                case ConditionalExpressionSyntax c:
                    return Conditional(c, env);
                case InvocationExpressionSyntax call:
                    return Invocation(call, env);
                default:
                    Unsupported(e, e.Kind().ToString(), "use float parameters, locals, literals, + - * /, unary -, 'cond ? a : b' on a comparison and PamMath or [PamKernel] calls");
                    return null;
            }
        }

        private static Prim? BinaryOp(SyntaxKind kind) => kind switch
        {
            SyntaxKind.AddExpression => Prim.Add,
            SyntaxKind.SubtractExpression => Prim.Sub,
            SyntaxKind.MultiplyExpression => Prim.Mul,
            SyntaxKind.DivideExpression => Prim.Div,
            _ => null,
        };

        private ScalarExpr? Conditional(ConditionalExpressionSyntax c, List<(string Name, ScalarExpr Value)> env)
        {
            Cmp? cmp = c.Condition.Kind() switch
            {
                SyntaxKind.LessThanExpression => Cmp.Lt,
                SyntaxKind.LessThanOrEqualExpression => Cmp.Le,
                SyntaxKind.GreaterThanExpression => Cmp.Gt,
                SyntaxKind.GreaterThanOrEqualExpression => Cmp.Ge,
                SyntaxKind.EqualsExpression => Cmp.Eq,
                SyntaxKind.NotEqualsExpression => Cmp.Ne,
                _ => null,
            };
            var cond = c.Condition is ParenthesizedExpressionSyntax ? null : c.Condition as BinaryExpressionSyntax;
            if (cmp is null || cond is null)
            {
                Unsupported(c.Condition, "this condition", "the condition of '?:' must be one comparison of two float expressions (<, <=, >, >=, ==, !=)");
                return null;
            }
            var l = Expr(cond.Left, env);
            var r = l is null ? null : Expr(cond.Right, env);
            var t = r is null ? null : Expr(c.WhenTrue, env);
            var f = t is null ? null : Expr(c.WhenFalse, env);
            return f is null ? null : new SelectExpr(cmp.Value, l!, r!, t!, f);
        }

        private ScalarExpr? Invocation(InvocationExpressionSyntax call, List<(string Name, ScalarExpr Value)> env)
        {
            string name = call.Expression switch
            {
                IdentifierNameSyntax id => id.Identifier.Text,
                MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
                _ => "",
            };
            var args = new List<ScalarExpr>();
            foreach (var a in call.ArgumentList.Arguments)
            {
                if (a.NameColon is not null || a.RefKindKeyword.IsKind(SyntaxKind.None) == false)
                {
                    Unsupported(a, "this argument", "pass plain positional float arguments");
                    return null;
                }
                var v = Expr(a.Expression, env);
                if (v is null) return null;
                args.Add(v);
            }
            var symbol = _model.GetSymbolInfo(call).Symbol as IMethodSymbol;
            if (symbol is not null && symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KernelAttribute))
                return Inline(call, symbol, args);
            bool mathType = symbol is null || MathTypes.Contains(symbol.ContainingType.ToDisplayString());
            if (mathType && Primitives.TryFunction(name, args.Count, out var op))
                return new ApplyExpr(op, args.ToEquatableArray());
            Unsupported(call, $"the call '{call.Expression}'", "call Exp, Log, Exp2, Log2, Sqrt, Pow, Abs, Max or Min (PamMath or MathF) or another [PamKernel] method");
            return null;
        }

        private ScalarExpr? Inline(InvocationExpressionSyntax call, IMethodSymbol callee, List<ScalarExpr> args)
        {
            string name = callee.Name;
            if (_callers.Contains(name))
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Recursion.Id, LocationInfo.From(call), _callers.Last(), string.Join(" → ", _callers.Reverse().Concat(new[] { name }))));
                return null;
            }
            var declaration = callee.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (declaration is null)
            {
                Unsupported(call, $"the call '{call.Expression}'", "only [PamKernel] methods declared in source can be inlined");
                return null;
            }
            var model = declaration.SyntaxTree == _model.SyntaxTree ? _model : _model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            var inner = new List<DiagnosticInfo>();
            CheckSignature(declaration, model, inner);
            if (inner.Count > 0 || args.Count != declaration.ParameterList.Parameters.Count)
            {
                Unsupported(call, $"the call '{call.Expression}'", $"'{name}' is not a valid kernel of {args.Count} float argument(s); fix its declaration");
                return null;
            }
            _callers.Push(name);
            var env = declaration.ParameterList.Parameters.Select((p, i) => (p.Identifier.Text, args[i])).ToList();
            var translator = new Translator(model, _diagnostics, _callers, _ct);
            var body = translator.Body(declaration, env);
            _callers.Pop();
            return body;
        }

        private void Unsupported(SyntaxNode node, string what, string fix)
            => _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression.Id, LocationInfo.From(node),
                Truncate(Normalize(node.ToString())), "a [PamKernel] body", fix));

        private static string Truncate(string s) => s.Length > 60 ? s.Substring(0, 57) + "..." : s;
    }
}
