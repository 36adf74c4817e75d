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
internal static partial class ModelParser
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
        int padToken = attributes.SelectMany(a => a.NamedArguments).Where(a => a.Key == "PadToken").Select(a => a.Value.Value is int p ? p : -1).DefaultIfEmpty(-1).First();
        var modelAttribute = attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax(ct) is { } attributeSyntax ? LocationInfo.From(attributeSyntax) : where;
        if (padToken < -1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, modelAttribute,
                $"[PamModel] PadToken is {padToken}", "use a token id (0 or more) or -1 for no padding"));

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
        if (padToken >= 0)
            foreach (var embedding in layers.Where(l => l.Kind == LayerKind.Embedding && padToken >= l.A))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, modelAttribute,
                    $"[PamModel] PadToken {padToken} lies outside the vocabulary [0, {embedding.A}) of Embedding '{embedding.Name}'", "use a token id of the vocabulary (often 0)"));
        if (forward is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingForward.Id, where, name));
            return null;
        }
        var declaration = forward.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (declaration is null) return null;
        if (!IsTensorExpr(forward.ReturnType) || forward.Parameters.Length == 0 || !forward.Parameters.All(p => IsTensorExpr(p.Type)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType.Id, LocationInfo.From(declaration.Identifier.GetLocation()),
                $"[Forward] '{forward.Name}'", forward.ToDisplayString(), "it must take one or more TensorExpr (the model inputs, e.g. source and target tokens) and return TensorExpr"));
            return null;
        }
        // A parameter without a name is a syntax error the compiler reports; there is nothing to generate.
        if (declaration.ParameterList.Parameters.Any(p => p.Identifier.IsMissing || p.Identifier.Text.Length == 0)) return null;
        // Each input also names a length property (SourceLength) and fields (_sourceTokens): names differing only in the first letter's case collide.
        var lengths = new HashSet<string>();
        foreach (var p in declaration.ParameterList.Parameters)
        {
            string text = p.Identifier.Text;
            if (ReservedInputNames.Contains(text))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName.Id, LocationInfo.From(p.Identifier.GetLocation()), text, forward.Name,
                    "the generated Forward and TrainStep use it as another parameter or local"));
            else if (text.Length > 0 && !lengths.Add(char.ToUpperInvariant(text[0]) + text.Substring(1)))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName.Id, LocationInfo.From(p.Identifier.GetLocation()), text, forward.Name,
                    "another input differs from it only in the case of its first letter, and both would name one length property"));
        }
        var images = ImageInputs(forward, diagnostics);
        if (diagnostics.Count > 0) return null;
        var forwardModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
        var builder = new GraphBuilder(forwardModel, layers, diagnostics, ct);
        int output = builder.Body(declaration, images);
        if (output < 0 || diagnostics.Count > 0) return null;
        string source = string.Join(" ", (declaration.ExpressionBody?.Expression.ToString() ?? declaration.Body!.ToString())
            .Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
        var graph = new ModelGraph(name, seed, builder.Layers.ToEquatableArray(), builder.Nodes.ToEquatableArray(), output, forward.Parameters[0].Name, source, padToken);
        var (_, errors) = ModelShapes.Infer(graph);
        // One error per span: the first one in an expanded block is the cause, later ones at the same call follow from it.
        var reported = new HashSet<LocationInfo>();
        foreach (var e in errors)
            if (reported.Add(builder.Locations[e.Node]))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeMismatch.Id, builder.Locations[e.Node], e.What, e.Expected, e.Received, e.Fix));
        return diagnostics.Count > 0 ? null : graph;
    }

    // [Image(channels, height, width)] and [Mask(of)] on [Forward] parameters, as declarations named after the input.
    private static Dictionary<string, LayerDecl> ImageInputs(IMethodSymbol forward, List<DiagnosticInfo> diagnostics)
    {
        var images = new Dictionary<string, LayerDecl>();
        var masked = new HashSet<string>();
        foreach (var parameter in forward.Parameters)
        {
            var mask = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Ns + "MaskAttribute");
            if (mask is not null)
            {
                string of = mask.ConstructorArguments.Length > 0 && mask.ConstructorArguments[0].Value is string o ? o : "";
                var target = forward.Parameters.FirstOrDefault(p => p.Name == of && !SymbolEqualityComparer.Default.Equals(p, parameter));
                var maskAt = mask.ApplicationSyntaxReference?.GetSyntax() is { } maskSyntax ? LocationInfo.From(maskSyntax) : Where(parameter);
                if (target is null || target.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() is Ns + "MaskAttribute" or Ns + "ImageAttribute"))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, maskAt,
                        $"[Mask(\"{of}\")] on '{parameter.Name}' names no sequence input of '{forward.Name}'", "name another [Forward] parameter (not an image or mask), e.g. [Mask(nameof(tokens))]"));
                else if (!masked.Add(of))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, maskAt, $"'{of}' has a second [Mask] ('{parameter.Name}')", "give each input one mask"));
                images[parameter.Name] = new LayerDecl("@" + parameter.Name, LayerKind.MaskInput, 0, 0, 0, 0, 0f, false, false, "", of);
                continue;
            }
            var attribute = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Ns + "ImageAttribute");
            if (attribute is null) continue;
            int Arg(int i) => attribute.ConstructorArguments.Length > i && attribute.ConstructorArguments[i].Value is int v ? v : 0;
            var at = attribute.ApplicationSyntaxReference?.GetSyntax() is { } syntax ? LocationInfo.From(syntax) : Where(parameter);
            var sizes = new[] { ("the channel count", Arg(0)), ("the height", Arg(1)), ("the width", Arg(2)) };
            foreach (var (what, value) in sizes.Where(x => x.Item2 <= 0))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, "[Image] " + parameter.Name, what, value.ToString(), "a positive integer"));
            images[parameter.Name] = new LayerDecl("@" + parameter.Name, LayerKind.ImageInput, Arg(0), Arg(1), Arg(2), 0, 0f, false, false, "", parameter.Name);
        }
        return images;
    }

    private static LocationInfo? Where(ISymbol symbol) => symbol.Locations.FirstOrDefault() is { } l ? LocationInfo.From(l) : null;

    private static bool IsTensorExpr(ITypeSymbol type) => type.ToDisplayString() == Ns + "TensorExpr";

    // Parameter names of the generated Forward and TrainStep besides the model inputs.
    private static readonly HashSet<string> ReservedInputNames = new() { "training", "targets", "learningRate", "step", "options", "smoothing", "loss", "i" };

    private static LayerDecl? Layer(IMethodSymbol method, AttributeData attribute, List<DiagnosticInfo> diagnostics)
    {
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax();
        var at = attributeSyntax is not null ? LocationInfo.From(attributeSyntax) : Where(method);
        string kindName = attribute.AttributeClass!.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length);
        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (declaration is null || !method.IsPartialDefinition || declaration.Body is not null || declaration.ExpressionBody is not null
            || method.Parameters.Length is not (1 or 2) || !IsTensorExpr(method.ReturnType) || !method.Parameters.All(p => IsTensorExpr(p.Type))
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
        string x = method.Parameters[0].Name, memory = method.Parameters.Length > 1 ? method.Parameters[1].Name : "";
        var layer = kind switch
        {
            LayerKind.MultiHeadAttention => new LayerDecl(method.Name, kind, Ctor(0), Ctor(1), 0, 0, 0f, true, Named("Causal", false), modifiers, x, memory),
            LayerKind.TransformerEncoder or LayerKind.TransformerDecoder =>
                new LayerDecl(method.Name, kind, Named("Layers", 1), Named("Dim", 0), Named("Heads", 1), Named("Hidden", 0), Named("Dropout", 0f), true, false, modifiers, x, memory),
            LayerKind.Conv2d => new LayerDecl(method.Name, kind, Ctor(0), Ctor(1), Ctor(2), Named("Stride", 1), 0f, true, false, modifiers, x, memory, Named("Padding", 0)),
            LayerKind.MaxPool => new LayerDecl(method.Name, kind, Ctor(0), Named("Stride", 0) == 0 ? Ctor(0) : Named("Stride", 0), 0, 0, 0f, false, false, modifiers, x, memory),
            LayerKind.PatchEmbedding =>
                new LayerDecl(method.Name, kind, Named("ImageSize", 0), Named("Patch", 0), Named("Channels", 1), Named("Dim", 0), 0f, true, false, modifiers, x, memory),
            _ => new LayerDecl(method.Name, kind, Ctor(0), Ctor(1), kind == LayerKind.Embedding ? Named("MaxSeq", 64) : 0, 0,
                probability, Named("Bias", true), false, modifiers, x, memory),
        };
        if (!layer.IsEmittable)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedLayer.Id, at, method.Name, kindName));
            return null;
        }
        if (!layer.Accepts(method.Parameters.Length))
        {
            string shape = kind == LayerKind.TransformerDecoder ? "TensorExpr x, TensorExpr memory" : "TensorExpr x";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisusedAttribute.Id, Where(method),
                $"[{kindName}] '{method.Name}' takes {method.Parameters.Length} tensor{(method.Parameters.Length == 1 ? "" : "s")}",
                $"declare it as 'private static partial TensorExpr {method.Name}({shape});'"));
            return null;
        }
        int before = diagnostics.Count;
        void Divisible(int dim, int heads)
        {
            if (dim > 0 && heads > 0 && dim % heads != 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, "the width", dim.ToString(), $"a multiple of the head count {heads}"));
        }
        void Probability(string what, float value)
        {
            if (!(value >= 0f && value < 1f))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, what,
                    value.ToString(System.Globalization.CultureInfo.InvariantCulture), "in [0, 1)"));
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
            case LayerKind.TransformerEncoder or LayerKind.TransformerDecoder:
                Positive("Layers", layer.A); Positive("Dim", layer.B); Positive("Heads", layer.C); Positive("Hidden", layer.D); Divisible(layer.B, layer.C);
                Probability("Dropout", layer.Probability);
                break;
            case LayerKind.FeedForward: Positive("the width", layer.A); Positive("the hidden width", layer.B); break;
            case LayerKind.PositionalEmbedding: Positive("MaxSeq", layer.A); Positive("the width", layer.B); break;
            case LayerKind.Conv2d:
                Positive("the input channel count", layer.A); Positive("the output channel count", layer.B); Positive("the kernel side", layer.C); Positive("Stride", layer.D);
                if (layer.E < 0) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, "Padding", layer.E.ToString(), "0 or more"));
                break;
            case LayerKind.MaxPool: Positive("the window side", layer.A); if (layer.A > 0) Positive("Stride", layer.B); break;
            case LayerKind.PatchEmbedding:
                Positive("ImageSize", layer.A); Positive("Patch", layer.B); Positive("Channels", layer.C); Positive("Dim", layer.D);
                if (layer.A > 0 && layer.B > 0 && layer.A % layer.B != 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument.Id, at, method.Name, "ImageSize", layer.A.ToString(), $"a multiple of Patch {layer.B}"));
                break;
            case LayerKind.Dropout:
                Probability("the probability", probability);
                break;
        }
        return diagnostics.Count > before ? null : layer;
    }

    /// <summary>Translates the [Forward] body into nodes, remembering each node's span for diagnostics.</summary>
    private sealed partial class GraphBuilder
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

        public int Body(MethodDeclarationSyntax method, IReadOnlyDictionary<string, LayerDecl> images)
        {
            foreach (var parameter in method.ParameterList.Parameters)
            {
                string input = parameter.Identifier.Text;
                string size = "";
                if (images.TryGetValue(input, out var image))
                {
                    Layers.Add(image);
                    size = image.Name;
                }
                _locals[input] = Add(new ModelNode(ModelOp.Input, size, -1, -1, null, input), parameter);
            }
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
            // An unresolved call (e.g. a layer called with the wrong number of tensors) counts as the layer it names.
            bool builtin = symbol is null ? !_layers.ContainsKey(name) : symbol.ContainingType.ToDisplayString() == Ns + "ModelBuiltins";
            if (_layers.TryGetValue(name, out var layer) && !builtin)
            {
                if (!layer.Accepts(args.Count))
                    return Unsupported(call, layer.Kind == LayerKind.TransformerDecoder
                        ? $"call the decoder with the target sequence and the encoder memory, e.g. '{name}(x, memory)'"
                        : $"call '{name}' with {(layer.Kind == LayerKind.MultiHeadAttention ? "one tensor (self-attention) or two (queries, memory)" : "one tensor")}");
                int x = Expr(args[0].Expression);
                if (x < 0) return -1;
                int memory = args.Count > 1 ? Expr(args[1].Expression) : -1;
                if (args.Count > 1 && memory < 0) return -1;
                return layer.Kind switch
                {
                    LayerKind.MultiHeadAttention => Attention(layer.Name, layer, x, call, memory),
                    LayerKind.TransformerEncoder => Encoder(layer, x, call),
                    LayerKind.TransformerDecoder => Decoder(layer, x, memory, call),
                    LayerKind.FeedForward => FeedForward(layer.Name, layer.A, layer.B, x, call),
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

        private LayerDecl Synthesize(string name, LayerKind kind, int a, int b = 0, bool causal = false, float probability = 0f)
        {
            if (_layers.TryGetValue(name, out var existing)) return existing;
            var layer = new LayerDecl(name, kind, a, b, 0, 0, probability, true, causal, "", "x");
            _layers[name] = layer;
            Layers.Add(layer);
            return layer;
        }

        private int Apply(LayerDecl layer, int x, SyntaxNode at) => Add(new ModelNode(ModelOp.Layer, layer.Name, x, -1, null, layer.Name), at);

        // Multi-head attention: q, k, v projections (keys and values from the memory for cross-attention), the attention core, the output projection.
        private int Attention(string prefix, LayerDecl core, int x, SyntaxNode at, int memory = -1)
        {
            int dim = core.A;
            int source = memory >= 0 ? memory : x;
            int q = Apply(Synthesize(prefix + "Q", LayerKind.Linear, dim, dim), x, at);
            int k = Apply(Synthesize(prefix + "K", LayerKind.Linear, dim, dim), source, at);
            int v = Apply(Synthesize(prefix + "V", LayerKind.Linear, dim, dim), source, at);
            int attended = Add(new ModelNode(ModelOp.Attention, core.Name, q, k, null, core.Name, v), at);
            return Apply(Synthesize(prefix + "Out", LayerKind.Linear, dim, dim), attended, at);
        }

        // Pre-norm encoder blocks: h = x + Drop(Attn(LN1(x))); x = h + Drop(Down(Gelu(Up(LN2(h))))), without the Drops when Dropout is 0.
        private int Encoder(LayerDecl encoder, int x, SyntaxNode at)
        {
            int dim = encoder.B, heads = encoder.C, hidden = encoder.D;
            for (int l = 0; l < encoder.A; l++)
            {
                string p = encoder.Name + l;
                var core = Synthesize(p + "Attn", LayerKind.MultiHeadAttention, dim, heads);
                int attended = Attention(p + "Attn", core, Apply(Synthesize(p + "Ln1", LayerKind.LayerNorm, dim), x, at), at);
                int h = Add(new ModelNode(ModelOp.Add, "", x, Drop(encoder, p + "AttnDrop", attended, at), null, "+"), at);
                int up = Apply(Synthesize(p + "Up", LayerKind.Linear, dim, hidden), Apply(Synthesize(p + "Ln2", LayerKind.LayerNorm, dim), h, at), at);
                int act = Add(new ModelNode(ModelOp.Elementwise, "", up, -1, Gelu, "Gelu"), at);
                int down = Apply(Synthesize(p + "Down", LayerKind.Linear, hidden, dim), act, at);
                x = Add(new ModelNode(ModelOp.Add, "", h, Drop(encoder, p + "Drop", down, at), null, "+"), at);
            }
            return x;
        }

        // A block's dropout on a sub-layer output (a synthesised [Dropout] layer), or the output itself when the block's Dropout is 0.
        private int Drop(LayerDecl block, string name, int x, SyntaxNode at)
            => block.Probability > 0f ? Apply(Synthesize(name, LayerKind.Dropout, 0, 0, probability: block.Probability), x, at) : x;

        private int Unsupported(SyntaxNode node, string fix)
        {
            string text = string.Join(" ", node.ToString().Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression.Id, LocationInfo.From(node),
                text.Length > 60 ? text.Substring(0, 57) + "..." : text, "a [Forward] expression", fix));
            return -1;
        }

        private static readonly ScalarExpr X = new ParamExpr(0);
        private static readonly ScalarExpr Zero = new ConstExpr(0f);

        private static readonly ScalarExpr Relu = BuiltinFunctions.Relu;
        private static readonly ScalarExpr Gelu = BuiltinFunctions.Gelu;
    }
}
