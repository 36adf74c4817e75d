using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PamGen.Dsl;
using PamGen.Dsl.Model;
using PamGen.Dsl.Scalar;
using PamGen.Generators.Diagnostics;
using PamGen.Generators.Specs;

namespace PamGen.Generators.Parsing;

/// <summary>
/// Turns a <c>[PamModel]</c> class into a <see cref="ModelSpec"/>: reads the layer declarations and the single
/// <c>[Forward]</c> method, translates its expression into a <see cref="ModelGraph"/>, checks shapes and fuses
/// elementwise chains.
/// </summary>
internal static class ModelParser
{
    private const string Ns = "PamGen.";

    /// <summary>The transform of the model pipeline step; never throws (failures become PAM0900).</summary>
    public static ModelSpec Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        var type = (TypeDeclarationSyntax)context.TargetNode;
        try
        {
            var diagnostics = new List<DiagnosticInfo>();
            var typeContext = TypeContextParser.Parse(type, diagnostics);
            var graph = ParseModel(type, (INamedTypeSymbol)context.TargetSymbol, context.Attributes, context.SemanticModel, diagnostics, ct);
            return diagnostics.Count > 0 || graph is null
                ? new ModelSpec(null, null, diagnostics.ToEquatableArray())
                : new ModelSpec(typeContext, ModelFusion.Fuse(graph), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ModelSpec(null, null, EquatableArray.Create(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError.Id,
                LocationInfo.From(type.Identifier.GetLocation()), type.Identifier.Text, ex.GetType().Name + ": " + ex.Message)));
        }
    }

    private static ModelGraph? ParseModel(TypeDeclarationSyntax type, INamedTypeSymbol symbol, System.Collections.Immutable.ImmutableArray<AttributeData> attributes,
        SemanticModel model, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        string name = type.Identifier.Text;
        var where = LocationInfo.From(type.Identifier.GetLocation());
        if (type is not ClassDeclarationSyntax || symbol.IsStatic || symbol.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, where,
                $"[PamModel] '{name}' is {(symbol.IsGenericType ? "generic" : symbol.IsStatic ? "static" : "not a class")}", "a model is a non-generic, non-static partial class"));
        int seed = attributes.SelectMany(a => a.NamedArguments).Where(a => a.Key == "Seed").Select(a => a.Value.Value is int s ? s : 1).DefaultIfEmpty(1).First();

        var layers = new List<LayerDecl>();
        IMethodSymbol? forward = null;
        foreach (var method in symbol.GetMembers().OfType<IMethodSymbol>())
        {
            ct.ThrowIfCancellationRequested();
            foreach (var attribute in method.GetAttributes())
            {
                var cls = attribute.AttributeClass;
                if (cls is null) continue;
                if (cls.ToDisplayString() == Ns + "ForwardAttribute")
                {
                    if (forward is null) forward = method;
                    else diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateForward.Id, Where(method), name, forward.Name));
                }
                else if (cls.BaseType?.ToDisplayString() == Ns + "LayerAttribute")
                {
                    var layer = Layer(method, attribute, diagnostics);
                    if (layer is not null) layers.Add(layer);
                }
                else if (cls.ToDisplayString() == Ns + "PamModelAttribute")
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, Where(method), $"[PamModel] is on method '{method.Name}'", "put it on the model class"));
                }
            }
        }
        if (forward is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingForward.Id, where, name));
            return null;
        }
        var declaration = forward.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (declaration is null) return null;
        if (!IsTensorExpr(forward.ReturnType) || forward.Parameters.Length != 1 || !IsTensorExpr(forward.Parameters[0].Type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType.Id, LocationInfo.From(declaration.Identifier.GetLocation()),
                $"[Forward] '{forward.Name}'", forward.ToDisplayString(), "it must take one TensorExpr (the model input) and return TensorExpr"));
            return null;
        }
        if (diagnostics.Count > 0) return null;
        var forwardModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
        var builder = new GraphBuilder(forwardModel, layers, diagnostics, ct);
        int output = builder.Body(declaration, forward.Parameters[0].Name);
        if (output < 0 || diagnostics.Count > 0) return null;
        string source = string.Join(" ", (declaration.ExpressionBody?.Expression.ToString() ?? declaration.Body!.ToString())
            .Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
        var graph = new ModelGraph(name, seed, builder.Layers.ToEquatableArray(), builder.Nodes.ToEquatableArray(), output, forward.Parameters[0].Name, source);
        var (_, errors) = ModelShapes.Infer(graph);
        foreach (var e in errors)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeMismatch.Id, builder.Locations[e.Node], e.What, e.Expected, e.Received, e.Fix));
        return diagnostics.Count > 0 ? null : graph;
    }

    private static LocationInfo? Where(ISymbol symbol) => symbol.Locations.FirstOrDefault() is { } l ? LocationInfo.From(l) : null;

    private static bool IsTensorExpr(ITypeSymbol type) => type.ToDisplayString() == Ns + "TensorExpr";

    private static LayerDecl? Layer(IMethodSymbol method, AttributeData attribute, List<DiagnosticInfo> diagnostics)
    {
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax();
        var at = attributeSyntax is not null ? LocationInfo.From(attributeSyntax) : Where(method);
        string kindName = attribute.AttributeClass!.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length);
        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (declaration is null || !method.IsPartialDefinition || declaration.Body is not null || declaration.ExpressionBody is not null
            || method.Parameters.Length != 1 || !IsTensorExpr(method.ReturnType) || !IsTensorExpr(method.Parameters[0].Type)
            || method.IsGenericMethod || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
            || !declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, Where(method),
                $"[{kindName}] is on '{method.Name}', which is not a layer declaration",
                $"declare layers as 'private static partial TensorExpr {method.Name}(TensorExpr x);' (with an access modifier, without a body)"));
            return null;
        }
        if (!Enum.TryParse<LayerKind>(kindName, out var kind))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedLayer.Id, at, method.Name, kindName));
            return null;
        }
        int Ctor(int i) => attribute.ConstructorArguments.Length > i && attribute.ConstructorArguments[i].Value is int v ? v : 0;
        T Named<T>(string n, T fallback) => attribute.NamedArguments.Where(a => a.Key == n).Select(a => a.Value.Value is T t ? t : fallback).DefaultIfEmpty(fallback).First();
        float probability = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is float p ? p : 0f;
        string modifiers = string.Join(" ", declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));
        var layer = kind switch
        {
            LayerKind.MultiHeadAttention => new LayerDecl(method.Name, kind, Ctor(0), Ctor(1), 0, 0, 0f, true, Named("Causal", false), modifiers, method.Parameters[0].Name),
            LayerKind.TransformerEncoder => new LayerDecl(method.Name, kind, Named("Layers", 1), Named("Dim", 0), Named("Heads", 1), Named("Hidden", 0), 0f, true, false, modifiers, method.Parameters[0].Name),
            _ => new LayerDecl(method.Name, kind, Ctor(0), Ctor(1), kind == LayerKind.Embedding ? Named("MaxSeq", 64) : 0, 0,
                probability, Named("Bias", true), false, modifiers, method.Parameters[0].Name),
        };
        if (!layer.IsEmittable)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedLayer.Id, at, method.Name, kindName));
            return null;
        }
        int before = diagnostics.Count;
        void Divisible(int dim, int heads)
        {
            if (dim > 0 && heads > 0 && dim % heads != 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, "the width", dim.ToString(), $"a multiple of the head count {heads}"));
        }
        void Positive(string what, int value)
        {
            if (value <= 0) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, what, value.ToString(), "a positive integer"));
        }
        switch (kind)
        {
            case LayerKind.Linear: Positive("the input width", layer.A); Positive("the output width", layer.B); break;
            case LayerKind.Embedding: Positive("the vocabulary size", layer.A); Positive("the width", layer.B); Positive("MaxSeq", layer.C); break;
            case LayerKind.LayerNorm: Positive("the width", layer.A); break;
            case LayerKind.MultiHeadAttention: Positive("the width", layer.A); Positive("the head count", layer.B); Divisible(layer.A, layer.B); break;
            case LayerKind.TransformerEncoder:
                Positive("Layers", layer.A); Positive("Dim", layer.B); Positive("Heads", layer.C); Positive("Hidden", layer.D); Divisible(layer.B, layer.C);
                break;
            case LayerKind.Dropout:
                if (!(probability >= 0f && probability < 1f))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, "the probability",
                        probability.ToString(System.Globalization.CultureInfo.InvariantCulture), "in [0, 1)"));
                break;
        }
        return diagnostics.Count > before ? null : layer;
    }

    /// <summary>Translates the [Forward] body into nodes, remembering each node's span for diagnostics.</summary>
    private sealed class GraphBuilder
    {
        private readonly SemanticModel _model;
        private readonly Dictionary<string, LayerDecl> _layers;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly CancellationToken _ct;
        private readonly Dictionary<string, int> _locals = new();

        public GraphBuilder(SemanticModel model, List<LayerDecl> layers, List<DiagnosticInfo> diagnostics, CancellationToken ct)
        {
            _model = model;
            Layers = new List<LayerDecl>(layers);
            _layers = layers.ToDictionary(l => l.Name);
            _diagnostics = diagnostics;
            _ct = ct;
        }

        public List<ModelNode> Nodes { get; } = new();
        /// <summary>Declared layers, then the ones synthesised by expanding attention and encoder blocks.</summary>
        public List<LayerDecl> Layers { get; }
        public List<LocationInfo> Locations { get; } = new();

        public int Body(MethodDeclarationSyntax method, string input)
        {
            _locals[input] = Add(new ModelNode(ModelOp.Input, "", -1, -1, null, input), method.ParameterList.Parameters[0]);
            if (method.ExpressionBody is not null) return Expr(method.ExpressionBody.Expression);
            var statements = method.Body!.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                var s = statements[i];
                bool last = i == statements.Count - 1;
                switch (s)
                {
                    case ReturnStatementSyntax { Expression: { } e } when last:
                        return Expr(e);
                    case LocalDeclarationStatementSyntax decl when !last:
                        foreach (var v in decl.Declaration.Variables)
                        {
                            if (v.Initializer is null) return Unsupported(v, "initialise every local where it is declared");
                            int value = Expr(v.Initializer.Value);
                            if (value < 0) return -1;
                            _locals[v.Identifier.Text] = value;
                        }
                        break;
                    case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assign } when !last
                        && assign.IsKind(SyntaxKind.SimpleAssignmentExpression) && _locals.ContainsKey(target.Identifier.Text):
                        int rhs = Expr(assign.Right);
                        if (rhs < 0) return -1;
                        _locals[target.Identifier.Text] = rhs;
                        break;
                    default:
                        return Unsupported(s, "a [Forward] body holds locals ('var h = Layer(x);'), assignments to them and a final 'return'");
                }
            }
            return Unsupported(method.Body, "end the [Forward] body with 'return expression;'");
        }

        private int Add(ModelNode node, SyntaxNode at)
        {
            Nodes.Add(node);
            Locations.Add(LocationInfo.From(at));
            return Nodes.Count - 1;
        }

        private int Expr(ExpressionSyntax e)
        {
            _ct.ThrowIfCancellationRequested();
            switch (e)
            {
                case ParenthesizedExpressionSyntax p:
                    return Expr(p.Expression);
                case IdentifierNameSyntax id:
                    if (_locals.TryGetValue(id.Identifier.Text, out int node)) return node;
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownName.Id, LocationInfo.From(id), id.Identifier.Text,
                        "the [Forward] parameter or one of its locals", "layers are called, e.g. 'Head(x)'"));
                    return -1;
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression):
                    int l = Expr(b.Left);
                    int r = l < 0 ? -1 : Expr(b.Right);
                    return r < 0 ? -1 : Add(new ModelNode(ModelOp.Add, "", l, r, null, "+"), b);
                case InvocationExpressionSyntax call:
                    return Call(call);
                default:
                    return Unsupported(e, "use layer calls, residual '+', Relu, Gelu, MeanPool and Map(x, Kernel)");
            }
        }

        private int Call(InvocationExpressionSyntax call)
        {
            string name = call.Expression switch
            {
                IdentifierNameSyntax id => id.Identifier.Text,
                MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
                _ => "",
            };
            var args = call.ArgumentList.Arguments;
            var symbol = _model.GetSymbolInfo(call).Symbol as IMethodSymbol;
            bool builtin = symbol is null || symbol.ContainingType.ToDisplayString() == Ns + "ModelBuiltins";
            if (_layers.TryGetValue(name, out var layer) && !builtin && args.Count == 1)
            {
                int x = Expr(args[0].Expression);
                if (x < 0) return -1;
                return layer.Kind switch
                {
                    LayerKind.MultiHeadAttention => Attention(layer.Name, layer, x, call),
                    LayerKind.TransformerEncoder => Encoder(layer, x, call),
                    _ => Add(new ModelNode(ModelOp.Layer, layer.Name, x, -1, null, layer.Name), call),
                };
            }
            if (builtin && args.Count == 1 && name is "Relu" or "Gelu" or "MeanPool")
            {
                int x = Expr(args[0].Expression);
                if (x < 0) return -1;
                if (name == "MeanPool") return Add(new ModelNode(ModelOp.MeanPool, "", x, -1, null, "MeanPool"), call);
                return Add(new ModelNode(ModelOp.Elementwise, "", x, -1, name == "Relu" ? Relu : Gelu, name), call);
            }
            if (builtin && args.Count == 2 && name == "Map")
            {
                int x = Expr(args[0].Expression);
                if (x < 0) return -1;
                var info = _model.GetSymbolInfo(args[1].Expression);
                var kernel = (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) as IMethodSymbol;
                var declaration = kernel?.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
                if (kernel is null || declaration is null || kernel.Parameters.Length != 1
                    || !kernel.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Ns + "PamKernelAttribute"))
                    return Unsupported(args[1], "Map takes a [PamKernel] method of one float parameter, e.g. 'Map(x, Swish)'");
                var kernelModel = declaration.SyntaxTree == _model.SyntaxTree ? _model : _model.Compilation.GetSemanticModel(declaration.SyntaxTree);
                int before = _diagnostics.Count;
                var parsed = KernelParseMemo.Parse(declaration, kernelModel, _diagnostics, _ct);
                if (parsed is null || _diagnostics.Count > before) return -1;
                return Add(new ModelNode(ModelOp.Elementwise, "", x, -1, parsed.Body, parsed.Name), call);
            }
            return Unsupported(call, $"'{name}' is no layer of this model nor a built-in; call a declared layer, Relu, Gelu, MeanPool or Map(x, Kernel)");
        }

        private LayerDecl Synthesize(string name, LayerKind kind, int a, int b = 0, bool causal = false)
        {
            if (_layers.TryGetValue(name, out var existing)) return existing;
            var layer = new LayerDecl(name, kind, a, b, 0, 0, 0f, true, causal, "", "x");
            _layers[name] = layer;
            Layers.Add(layer);
            return layer;
        }

        private int Apply(LayerDecl layer, int x, SyntaxNode at) => Add(new ModelNode(ModelOp.Layer, layer.Name, x, -1, null, layer.Name), at);

        // Multi-head attention: q, k, v projections, the attention core, the output projection.
        private int Attention(string prefix, LayerDecl core, int x, SyntaxNode at)
        {
            int dim = core.A;
            int q = Apply(Synthesize(prefix + "Q", LayerKind.Linear, dim, dim), x, at);
            int k = Apply(Synthesize(prefix + "K", LayerKind.Linear, dim, dim), x, at);
            int v = Apply(Synthesize(prefix + "V", LayerKind.Linear, dim, dim), x, at);
            int attended = Add(new ModelNode(ModelOp.Attention, core.Name, q, k, null, core.Name, v), at);
            return Apply(Synthesize(prefix + "Out", LayerKind.Linear, dim, dim), attended, at);
        }

        // Pre-norm encoder blocks: h = x + Attn(LN1(x)); x = h + Down(Gelu(Up(LN2(h)))).
        private int Encoder(LayerDecl encoder, int x, SyntaxNode at)
        {
            int dim = encoder.B, heads = encoder.C, hidden = encoder.D;
            for (int l = 0; l < encoder.A; l++)
            {
                string p = encoder.Name + l;
                var core = Synthesize(p + "Attn", LayerKind.MultiHeadAttention, dim, heads);
                int h = Add(new ModelNode(ModelOp.Add, "", x, Attention(p + "Attn", core, Apply(Synthesize(p + "Ln1", LayerKind.LayerNorm, dim), x, at), at), null, "+"), at);
                int up = Apply(Synthesize(p + "Up", LayerKind.Linear, dim, hidden), Apply(Synthesize(p + "Ln2", LayerKind.LayerNorm, dim), h, at), at);
                int act = Add(new ModelNode(ModelOp.Elementwise, "", up, -1, Gelu, "Gelu"), at);
                x = Add(new ModelNode(ModelOp.Add, "", h, Apply(Synthesize(p + "Down", LayerKind.Linear, hidden, dim), act, at), null, "+"), at);
            }
            return x;
        }

        private int Unsupported(SyntaxNode node, string fix)
        {
            string text = string.Join(" ", node.ToString().Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression.Id, LocationInfo.From(node),
                text.Length > 60 ? text.Substring(0, 57) + "..." : text, "a [Forward] expression", fix));
            return -1;
        }

        private static readonly ScalarExpr X = new ParamExpr(0);
        private static readonly ScalarExpr Zero = new ConstExpr(0f);

        // Relu: the select x > 0 ? x : 0, as the runtime's Relu.
        private static readonly ScalarExpr Relu = new SelectExpr(Cmp.Gt, X, Zero, X, Zero);

        // Gelu: Div(x, 1 + Exp(−Mul(x, 1.702))), as the runtime's Gelu.
        private static readonly ScalarExpr Gelu =
            Ap(Prim.Div, X, Ap(Prim.Add, new ConstExpr(1f), Ap(Prim.Exp, Ap(Prim.Neg, Ap(Prim.Mul, X, new ConstExpr(1.702f))))));

        private static ScalarExpr Ap(Prim op, params ScalarExpr[] args) => new ApplyExpr(op, EquatableArray.Create(args));
    }
}
