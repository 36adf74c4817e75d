using System.Collections.Generic;
using System.Linq;
using PamGen.Dsl.Model;
using PamGen.Dsl.Scalar;

namespace PamGen.Dsl.Emit;

/// <summary>
/// Emits a model's training code from a checked, fused <see cref="ModelGraph"/>: one arena (parameters, gradients,
/// AdamW moments, activations), a seeded constructor, Forward (training/inference), Backward, parameter
/// enumeration, ZeroGrad, the AdamW step and a cross-entropy train step — by calling the runtime's ops, with
/// chains of elementwise functions fused into generated kernels. Files: <c>{Model}.Model.Cpu.g.cs</c>,
/// <c>{Model}.Forward.Cpu.g.cs</c>, <c>{Model}.Backward.Cpu.g.cs</c> and <c>{Model}.Kernels.Cpu.g.cs</c>.
/// </summary>
public static partial class ModelEmitter
{
    private const string G = "global::PamGen.";
    private const string Modes = "where TMatmul : struct, global::PamGen.IArithmetic where TElem : struct, global::PamGen.IArithmetic";

    /// <summary>The generated files of a valid model (fuse first with <see cref="ModelFusion.Fuse"/>).</summary>
    public static GeneratedFile[] Emit(ModelGraph graph, TypeContext context)
    {
        var shapes = ModelShapes.Infer(graph).Shapes;
        var m = new Plan(graph, shapes);
        string prefix = context.HintPrefix;
        var files = new List<GeneratedFile>
        {
            new($"{prefix}.Model.Cpu.g.cs", Model(m, context)),
            new($"{prefix}.Forward.Cpu.g.cs", Forward(m, context)),
            new($"{prefix}.Backward.Cpu.g.cs", Backward(m, context)),
        };
        if (graph.Nodes.Any(n => n.Op == ModelOp.Elementwise)) files.Add(new($"{prefix}.Kernels.Cpu.g.cs", Kernels(m, context)));
        return files.ToArray();
    }

    /// <summary>Names and sizes derived once from the graph.</summary>
    private sealed class Plan
    {
        public Plan(ModelGraph graph, TensorShape?[] shapes)
        {
            Graph = graph;
            Shapes = shapes;
            Layers = graph.Layers.ToDictionary(l => l.Name);
            Inputs = graph.Inputs();
            Input = Inputs[0];
            Tokens = Inputs.Any(i => shapes[i]!.Tokens);
            var outShape = shapes[graph.Output]!;
            Classes = outShape.Width;
            Epilogues = GemmEpilogueFusion.Plan(graph);
            OutRows = Rows(graph.Output);
            // Parameters in the order the forward pass first uses their layers (the runtime's hand-assembled models
            // declare theirs in that order, so one seed initialises both alike).
            var seen = new HashSet<string>();
            foreach (var n in graph.Nodes.Where(n => n.Op == ModelOp.Layer && seen.Add(n.Layer)))
            {
                var l = Layers[n.Layer];
                switch (l.Kind)
                {
                    case LayerKind.Linear:
                        Parameters.Add((l.Name, "Weight", "weight", new[] { l.B, l.A }, true));
                        if (l.Bias) Parameters.Add((l.Name, "Bias", "bias", new[] { l.B }, false));
                        break;
                    case LayerKind.Embedding:
                        // Embedding tables are not decayed, as in the runtime's transformers.
                        Parameters.Add((l.Name, "Tokens", "tokens", new[] { l.A, l.B }, false));
                        Parameters.Add((l.Name, "Positions", "positions", new[] { l.C, l.B }, false));
                        break;
                    case LayerKind.LayerNorm:
                        Parameters.Add((l.Name, "Gamma", "gamma", new[] { l.A }, false));
                        Parameters.Add((l.Name, "Beta", "beta", new[] { l.A }, false));
                        break;
                    case LayerKind.PositionalEmbedding:
                        Parameters.Add((l.Name, "Positions", "positions", new[] { l.A, l.B }, false));
                        break;
                    case LayerKind.Conv2d:
                        Parameters.Add((l.Name, "Weight", "weight", new[] { l.B, l.A, l.C, l.C }, true));
                        Parameters.Add((l.Name, "Bias", "bias", new[] { l.B }, false));
                        break;
                    case LayerKind.PatchEmbedding:
                        Parameters.Add((l.Name, "Weight", "weight", new[] { l.D, l.C, l.B, l.B }, true));
                        Parameters.Add((l.Name, "Bias", "bias", new[] { l.D }, false));
                        break;
                }
            }
        }

        public ModelGraph Graph { get; }
        public TensorShape?[] Shapes { get; }
        public Dictionary<string, LayerDecl> Layers { get; }
        /// <summary>The input nodes, one per [Forward] parameter.</summary>
        public int[] Inputs { get; }
        /// <summary>The first input node.</summary>
        public int Input { get; }
        /// <summary>Whether any input is token ids.</summary>
        public bool Tokens { get; }
        public int Classes { get; }
        public string OutRows { get; }
        public List<(string Layer, string Suffix, string Name, int[] Shape, bool Decay)> Parameters { get; } = new();
        public IReadOnlyList<GemmEpilogue> Epilogues { get; }

        public int ParameterCount => Parameters.Sum(p => p.Shape.Aggregate(1, (a, b) => a * b));
        public string Field(string layer, string suffix) => $"_{char.ToLowerInvariant(layer[0])}{layer.Substring(1)}{suffix}";
        public string Node(int i) => "_n" + i;
        public string Rows(int i) => Shapes[i]!.Pooled ? "Batch" : $"Batch * {Seq(i)}";
        public string ShapeArgs(int i) => Shapes[i]!.IsImage ? $"Batch, {Shapes[i]!.Width}, {Shapes[i]!.Height}, {Shapes[i]!.ImageWidth}"
            : Shapes[i]!.Pooled ? $"Batch, {Shapes[i]!.Width}" : $"Batch, {Seq(i)}, {Shapes[i]!.Width}";
        public bool HasTensor(int i) => !Shapes[i]!.Tokens && !Shapes[i]!.Mask
            && !Epilogues.Any(e => e.Kind == GemmEpilogueKind.Residual && e.Linear == i || e.Kind == GemmEpilogueKind.DropoutResidual && e.Dropout == i);

        /// <summary>Whether the model has more than one input (then each has its own sequence length).</summary>
        public bool MultiInput => Inputs.Length > 1;
        /// <summary>The sequence length property of node <paramref name="i"/>'s sequence dimension.</summary>
        public string Seq(int i) => Shapes[i]!.SeqLength > 0 ? Shapes[i]!.SeqLength.ToString(System.Globalization.CultureInfo.InvariantCulture) : SeqOf(Shapes[i]!.Sequence);
        /// <summary>Node <paramref name="i"/>'s sequence length inside the constructor (before the properties are set).</summary>
        public string CtorSeq(int i) => Shapes[i]!.SeqLength > 0 ? Shapes[i]!.SeqLength.ToString(System.Globalization.CultureInfo.InvariantCulture) : SeqParam(Shapes[i]!.Sequence);
        /// <summary>The inputs whose sequence length is given at construction (all but images).</summary>
        public int[] SequenceInputs => Enumerable.Range(0, Inputs.Length).Where(k => !Shapes[Inputs[k]]!.IsImage && !Shapes[Inputs[k]]!.Mask).ToArray();
        /// <summary>The byte array a [Mask] input node is copied into.</summary>
        public string MaskField(int node) => $"_{Camel(Graph.Nodes[node].Label)}Mask";
        /// <summary>The [Mask] input node of input <paramref name="ordinal"/>'s sequence, or −1.</summary>
        public int MaskOf(int ordinal) => Inputs.Where(k => Shapes[k]!.Mask && Shapes[k]!.Sequence == ordinal).DefaultIfEmpty(-1).First();
        /// <summary>Inputs of a weight's layer per output (the initialisation's fan-in).</summary>
        public int FanIn(LayerDecl l) => l.Kind switch
        {
            LayerKind.Conv2d => l.A * l.C * l.C,
            LayerKind.PatchEmbedding => l.C * l.B * l.B,
            _ => l.A,
        };
        /// <summary>The sequence length property of input <paramref name="ordinal"/>.</summary>
        public string SeqOf(int ordinal) => MultiInput ? Pascal(InputName(ordinal)) + "Length" : "Sequence";
        /// <summary>The constructor parameter of input <paramref name="ordinal"/>'s sequence length.</summary>
        public string SeqParam(int ordinal) => MultiInput ? InputName(ordinal) + "Length" : "sequence";
        public string InputName(int ordinal) => Graph.Nodes[Inputs[ordinal]].Label;
        /// <summary>The saved token ids of input <paramref name="ordinal"/> (kept for the embedding's backward).</summary>
        public string TokensField(int ordinal) => MultiInput ? $"_{Camel(InputName(ordinal))}Tokens" : "_tokens";
        /// <summary>The padding keep mask of input <paramref name="ordinal"/> (1 = real token).</summary>
        public string KeepField(int ordinal) => MultiInput ? $"_{Camel(InputName(ordinal))}Keep" : "_keep";
        /// <summary>Whether input <paramref name="ordinal"/> is token ids with a padding token.</summary>
        public bool Padded(int ordinal) => Graph.PadToken >= 0 && Shapes[Inputs[ordinal]]!.Tokens;
        /// <summary>The keep mask argument for a sequence of node <paramref name="i"/>: its input's padding mask, or <c>default</c> (no padding).</summary>
        public string Keep(int i) => MaskOf(Shapes[i]!.Sequence) is var mask and >= 0 ? MaskField(mask)
            : Padded(Shapes[i]!.Sequence) ? KeepField(Shapes[i]!.Sequence) : "default";
        /// <summary>Whether the loss ignores padding targets: a padded model with a per-position output.</summary>
        public bool IgnoresPadding => Graph.PadToken >= 0 && !Shapes[Graph.Output]!.Pooled;
        /// <summary>The element type of input <paramref name="ordinal"/>'s span.</summary>
        public string InputType(int ordinal) => Shapes[Inputs[ordinal]]!.Mask ? "byte" : Shapes[Inputs[ordinal]]!.Tokens ? "int" : "float";
        /// <summary>The inputs as method parameters.</summary>
        public string InputParameters => string.Join(", ", Enumerable.Range(0, Inputs.Length).Select(k => $"global::System.ReadOnlySpan<{InputType(k)}> {InputName(k)}"));
        /// <summary>The inputs as call arguments.</summary>
        public string InputArguments => string.Join(", ", Enumerable.Range(0, Inputs.Length).Select(InputName));
        /// <summary>The expected length of input <paramref name="ordinal"/>.</summary>
        public string InputLength(int ordinal) => Shapes[Inputs[ordinal]]! is { IsImage: true } image ? $"Batch * {image.Width * image.Height * image.ImageWidth}"
            : Shapes[Inputs[ordinal]]! is { Mask: true } mask ? $"Batch * {SeqOf(mask.Sequence)}"
            : Shapes[Inputs[ordinal]]!.Tokens ? $"Batch * {SeqOf(ordinal)}" : $"Batch * {SeqOf(ordinal)} * {Shapes[Inputs[ordinal]]!.Width}";
        /// <summary>The input ordinal that feeds node <paramref name="i"/>'s sequence.</summary>
        public int Ordinal(int i) => Shapes[i]!.Sequence;

        private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);
        private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static IEnumerable<(string, string)> Facts(Plan m, string pass, string backend)
    {
        var g = m.Graph;
        return new[]
        {
            ("model", g.Name),
            ("pass", pass),
            ("backend", backend),
            ("shapes", string.Join("\n", Enumerable.Range(0, g.Nodes.Count).Select(i => $"n{i} = {Describe(m, i)} : {m.Shapes[i]}"))),
            ("DSL", $"[Forward] {(m.MultiInput ? "(" + m.InputArguments + ")" : g.InputName)} => {g.Source}"),
        }.Concat(FusionFacts(m));
    }

    private static string Describe(Plan m, int i)
    {
        var n = m.Graph.Nodes[i];
        return n.Op switch
        {
            ModelOp.Input => n.Label,
            ModelOp.Add => $"n{n.A} + n{n.B}",
            ModelOp.Layer => $"{n.Layer}(n{n.A}) [{m.Layers[n.Layer].Kind}]",
            ModelOp.Attention => $"Attention(q: n{n.A}, k: n{n.B}, v: n{n.C}) [{m.Layers[n.Layer].B} heads{(m.Layers[n.Layer].Causal ? ", causal" : "")}]",
            _ => $"{n.Label}(n{n.A})",
        };
    }

    private static string Model(Plan m, TypeContext context)
    {
        var g = m.Graph;
        var w = new SourceWriter();
        FileScaffold.Begin(w, context, Facts(m, "Model (arena, initialisation, parameters, optimizer)", "CPU runtime ops (PamGen.Runtime)").Concat(new[]
        {
            ("params", string.Join("\n", m.Parameters.Select(p => $"{p.Layer}.{p.Name} [{string.Join(", ", p.Shape)}]{(p.Decay ? " (decayed)" : "")}"))),
        }));
        w.Line($"/// <summary>Trainable parameters of the model (elements), fixed at build time.</summary>");
        w.Line($"public const int ParameterCount = {m.ParameterCount};");
        w.Line();
        w.Line("/// <summary>Batch size the activations were allocated for.</summary>");
        w.Line("public int Batch { get; }");
        foreach (int k in m.SequenceInputs)
        {
            w.Line(m.MultiInput ? $"/// <summary>Length of the '{m.InputName(k)}' sequences the activations were allocated for.</summary>" : "/// <summary>Sequence length the activations were allocated for.</summary>");
            w.Line($"public int {m.SeqOf(k)} {{ get; }}");
        }
        w.Line($"/// <summary>The single allocation holding parameters, gradients, AdamW moments, activations and buffers.</summary>");
        w.Line($"public {G}TensorArena Arena {{ get; }} = new {G}TensorArena();");
        w.Line("/// <summary>Parameters in the order the forward pass first uses them (the runtime's transformers declare theirs in that order), each with its name, shape and gradient.</summary>");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<{G}Tensor> Parameters => Arena.Parameters;");
        w.Line();
        foreach (var p in m.Parameters) w.Line($"private readonly {G}Tensor {m.Field(p.Layer, p.Suffix)}; // {p.Layer}.{p.Name} [{string.Join(", ", p.Shape)}]");
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            if (!m.HasTensor(i)) continue;
            w.Line($"private readonly {G}Tensor {m.Node(i)}; // n{i} {m.Shapes[i]}: {Describe(m, i)}");
            if (g.Nodes[i].Op == ModelOp.Layer && m.Layers[g.Nodes[i].Layer].Kind == LayerKind.LayerNorm)
                w.Line($"private readonly {G}Tensor {m.Node(i)}Mean, {m.Node(i)}Std; // saved [rows] statistics of n{i}");
            if (g.Nodes[i].Op == ModelOp.Attention)
                w.Line($"private readonly {G}Tensor {m.Node(i)}Probs, {m.Node(i)}Scratch; // saved [batch, heads, seq, seq] probabilities and backward scratch of n{i}");
            ImageFields(w, m, i);
        }
        w.Line($"private readonly {G}Tensor _losses, _probs, _dLogits; // cross-entropy: [rows], [rows, {m.Classes}], [rows, {m.Classes}]");
        for (int k = 0; k < m.Inputs.Length; k++)
        {
            if (m.Shapes[m.Inputs[k]]!.Mask)
                w.Line($"private readonly byte[] {m.MaskField(m.Inputs[k])}; // [batch, {m.Shapes[m.Inputs[k]]!.SeqName}] the '{m.InputName(k)}' mask: 1 = real position, 0 = padding");
            if (!m.Shapes[m.Inputs[k]]!.Tokens) continue;
            w.Line($"private readonly int[] {m.TokensField(k)}; // [batch, {m.Shapes[m.Inputs[k]]!.SeqName}] token ids kept for the embedding's backward");
            if (m.Padded(k)) w.Line($"private readonly byte[] {m.KeepField(k)}; // [batch, {m.Shapes[m.Inputs[k]]!.SeqName}] 1 = real token, 0 = padding (token {g.PadToken})");
        }
        if (m.IgnoresPadding) w.Line($"private readonly int[] _targets; // [{m.OutRows.Replace(" ", "")}] targets with padding replaced by the ignore index");
        w.Line("private bool _training, _forwardDone, _initialized;");
        w.Line("private ulong _dropoutSeed, _forwardCount;");
        w.Line();

        string sizes = string.Join("", m.SequenceInputs.Select(k => $" × <paramref name=\"{m.SeqParam(k)}\"/>"));
        w.Line($"/// <summary>Allocates the model for <paramref name=\"batch\"/>{sizes} inputs. The parameters are initialised from seed {g.Seed} by the first <c>Forward</c> in that call's elementwise arithmetic (so a Pam model is initialised without a float multiply), or earlier by <see cref=\"InitializeParameters{{TElem}}\"/>.</summary>");
        w.Open($"public {g.Name}(int batch{string.Join("", m.SequenceInputs.Select(k => ", int " + m.SeqParam(k)))})");
        w.Line("if (batch <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(batch), batch, \"The batch size must be positive.\");");
        foreach (int k in m.SequenceInputs)
        {
            string sp = m.SeqParam(k);
            w.Line($"if ({sp} <= 0) throw new global::System.ArgumentOutOfRangeException(nameof({sp}), {sp}, \"The {(m.MultiInput ? $"'{m.InputName(k)}' " : "")}sequence length must be positive.\");");
        }
        // Each positional table must cover the sequence it is applied to.
        var covered = new HashSet<string>();
        // (Sequences of image patches have a length fixed at build time and checked there.)
        foreach (var n in g.Nodes.Where(n => n.Op == ModelOp.Layer && m.Layers[n.Layer].Kind is LayerKind.Embedding or LayerKind.PositionalEmbedding
            && m.Shapes[n.A]!.SeqLength == 0 && covered.Add(n.Layer)))
        {
            var l = m.Layers[n.Layer];
            int maxSeq = l.Kind == LayerKind.Embedding ? l.C : l.A;
            string sp = m.SeqParam(m.Ordinal(n.A));
            w.Line($"if ({sp} > {maxSeq}) throw new global::System.ArgumentOutOfRangeException(nameof({sp}), {sp}, \"{l.Kind} '{l.Name}' covers {maxSeq} positions (MaxSeq); declare a larger MaxSeq.\");");
        }
        w.Line("Batch = batch;");
        foreach (int k in m.SequenceInputs) w.Line($"{m.SeqOf(k)} = {m.SeqParam(k)};");
        foreach (var p in m.Parameters)
            w.Line($"{m.Field(p.Layer, p.Suffix)} = Arena.Parameter(\"{p.Layer}.{p.Name}\", {(p.Decay ? "true" : "false")}, {string.Join(", ", p.Shape)});");
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            if (!m.HasTensor(i)) continue;
            w.Line($"{m.Node(i)} = Arena.Activation(\"n{i}\", {m.ShapeArgs(i)});");
            if (g.Nodes[i].Op == ModelOp.Layer && m.Layers[g.Nodes[i].Layer].Kind == LayerKind.LayerNorm)
            {
                w.Line($"{m.Node(i)}Mean = Arena.Buffer(\"n{i}.mean\", {m.Rows(i)});");
                w.Line($"{m.Node(i)}Std = Arena.Buffer(\"n{i}.std\", {m.Rows(i)});");
            }
            if (g.Nodes[i].Op == ModelOp.Attention)
            {
                var core = m.Layers[g.Nodes[i].Layer];
                string tq = m.CtorSeq(g.Nodes[i].A), tk = m.CtorSeq(g.Nodes[i].B);
                w.Line($"{m.Node(i)}Probs = Arena.Buffer(\"n{i}.probs\", batch, {core.B}, {tq}, {tk});");
                // Backward's score gradients for the whole batch: every (batch, head) pair in one batched GEMM per product.
                w.Line($"{m.Node(i)}Scratch = Arena.Buffer(\"n{i}.scratch\", batch, {core.B}, {tq}, {tk});");
            }
            ImageBuffers(w, m, i);
        }
        w.Line($"_losses = Arena.Buffer(\"loss.rows\", {m.OutRows});");
        w.Line($"_probs = Arena.Buffer(\"loss.probs\", {m.OutRows}, {m.Classes});");
        w.Line($"_dLogits = Arena.Buffer(\"loss.dlogits\", {m.OutRows}, {m.Classes});");
        for (int k = 0; k < m.Inputs.Length; k++)
        {
            if (m.Shapes[m.Inputs[k]]!.Mask) w.Line($"{m.MaskField(m.Inputs[k])} = new byte[batch * {m.SeqParam(m.Shapes[m.Inputs[k]]!.Sequence)}];");
            if (!m.Shapes[m.Inputs[k]]!.Tokens) continue;
            w.Line($"{m.TokensField(k)} = new int[batch * {m.SeqParam(k)}];");
            if (m.Padded(k)) w.Line($"{m.KeepField(k)} = new byte[batch * {m.SeqParam(k)}];");
        }
        if (m.IgnoresPadding) w.Line($"_targets = new int[{m.OutRows.Replace("Batch", "batch")}];");
        w.Line("Arena.Allocate();");
        w.Close();
        w.Line();

        w.Line($"/// <summary>Re-initialises every parameter from seed {g.Seed}, scaling in <typeparamref name=\"TElem\"/> (multiplication-free in Pam mode): weights normal with std 1/√fan-in, embeddings 0.1 (as the runtime's transformers), biases and β 0, γ 1.</summary>");
        w.Open($"public void InitializeParameters<TElem>() where TElem : struct, {G}IArithmetic");
        w.Line("_initialized = true;");
        w.Line($"var rng = new {G}SeededRandom({g.Seed}UL);");
        foreach (var p in m.Parameters)
        {
            var l = m.Layers[p.Layer];
            string f = m.Field(p.Layer, p.Suffix) + ".Span";
            w.Line(p.Suffix switch
            {
                "Weight" => $"{G}Initializers.Normal<TElem>({f}, {G}Initializers.FanInStd<TElem>({m.FanIn(l)}), ref rng);",
                "Tokens" or "Positions" => $"{G}Initializers.Normal<TElem>({f}, 0.1f, ref rng);",
                "Gamma" => $"{G}Initializers.Constant({f}, 1f);",
                _ => $"{G}Initializers.Constant({f}, 0f);",
            });
        }
        w.Close();
        w.Line();

        w.Line("/// <summary>Clears every parameter gradient (backward accumulates into them).</summary>");
        w.Line("public void ZeroGrad() => Arena.ZeroGrads();");
        w.Line();
        w.Line("/// <summary>One AdamW update of every parameter (<paramref name=\"step\"/> counts from 1), in <typeparamref name=\"TElem\"/>.</summary>");
        w.Line($"public void Step<TElem>(float learningRate, int step, {G}AdamWOptions options) where TElem : struct, {G}IArithmetic");
        w.Line($"    => {G}AdamW.Update<TElem>(Arena, learningRate, step, options);");
        w.Line();
        string targets = m.IgnoresPadding ? "IgnorePadding(targets)" : "targets";
        w.Line($"/// <summary>Mean softmax cross-entropy of the last forward output against <paramref name=\"targets\"/> [{m.OutRows.Replace(" ", "")}]{(m.IgnoresPadding ? $" (targets equal to the padding token {g.PadToken} add no loss)" : "")}.</summary>");
        w.Line($"public float Loss<TElem>(global::System.ReadOnlySpan<int> targets, float smoothing = 0f) where TElem : struct, {G}IArithmetic");
        w.Line($"    => {G}CrossEntropy.Forward<TElem>(_losses.Span, _probs.Span, {m.Node(g.Output)}.Span, {targets}, {m.OutRows}, {m.Classes}, smoothing);");
        w.Line();
        if (m.IgnoresPadding) PaddingMembers.IgnorePadding(w, m.Graph.Name, g.PadToken);
        w.Line("/// <summary>A training step: zero-grad, forward (training), cross-entropy, backward, AdamW. Returns the loss.</summary>");
        w.Line($"public float TrainStep<TMatmul, TElem>({m.InputParameters}, global::System.ReadOnlySpan<int> targets, float learningRate, int step, {G}AdamWOptions options, float smoothing = 0f)");
        w.Line("    " + Modes);
        w.Open();
        w.Line("// Parameter gradients only: Backward clears the activation gradients itself.");
        w.Line("Arena.ZeroParameterGrads();");
        w.Line($"Forward<TMatmul, TElem>({m.InputArguments}, training: true);");
        w.Line("float loss = Loss<TElem>(targets, smoothing);");
        w.Line("_dLogits.Span.Clear();");
        w.Line($"{G}CrossEntropy.Backward<TElem>(_dLogits.Span, _probs.Span, {targets}, {m.OutRows}, {m.Classes}, smoothing);");
        w.Line("Backward<TMatmul, TElem>(_dLogits.Span);");
        w.Line("Step<TElem>(learningRate, step, options);");
        w.Line("return loss;");
        w.Close();
        w.Line();
        w.Line("// The layer methods are declarations for the [Forward] expression only; they carry no computation.");
        foreach (var l in g.Layers.Where(l => l.IsDeclared))
            w.Line($"{l.Modifiers} partial {G}TensorExpr {l.Name}({G}TensorExpr {l.ParameterName}{(l.MemoryName.Length > 0 ? $", {G}TensorExpr {l.MemoryName}" : "")}) => {l.ParameterName};");
        w.Line();
        w.Open("private static void Accumulate(global::System.Span<float> into, global::System.ReadOnlySpan<float> gradient)");
        w.Line("for (int i = 0; i < into.Length; i++) into[i] += gradient[i];");
        w.Close();
        FileScaffold.End(w, context);
        return w.ToString();
    }

    private static string Forward(Plan m, TypeContext context)
    {
        var g = m.Graph;
        var w = new SourceWriter();
        FileScaffold.Begin(w, context, Facts(m, "Forward (training and inference)", "CPU: runtime ops, GEMMs in TMatmul, elementwise work in TElem; fused elementwise kernels"));
        string described = string.Join(", ", Enumerable.Range(0, m.Inputs.Length).Select(k => $"<paramref name=\"{m.InputName(k)}\"/> ({m.Shapes[m.Inputs[k]]})"));
        w.Line($"/// <summary>Runs the model on {described}; returns the output {m.Shapes[g.Output]} (valid until the next call). Dropout is active only when <paramref name=\"training\"/>.</summary>");
        w.Line($"public global::System.ReadOnlySpan<float> Forward<TMatmul, TElem>({m.InputParameters}, bool training = false)");
        w.Line("    " + Modes);
        w.Open();
        for (int k = 0; k < m.Inputs.Length; k++)
        {
            string name = m.InputName(k), expected = m.InputLength(k);
            w.Line($"if ({name}.Length != {expected})");
            w.Line($"    throw new global::System.ArgumentException($\"{g.Name}.Forward: '{name}' holds {{{name}.Length}} values but the model was allocated for {m.Shapes[m.Inputs[k]]} = {{{expected}}}.\", nameof({name}));");
        }
        w.Line("if (!_initialized) InitializeParameters<TElem>();");
        w.Line("_training = training;");
        w.Line($"_dropoutSeed = {G}SeededRandom.Mix({g.Seed}UL + ++_forwardCount);");
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            string o = m.Node(i), a = n.A >= 0 ? m.Node(n.A) : "";
            w.Line($"// n{i} = {Describe(m, i)} : {m.Shapes[i]}");
            if (FusedForward(w, m, i)) continue;
            switch (n.Op)
            {
                case ModelOp.Input when m.Shapes[i]!.Mask:
                    w.Line($"{n.Label}.CopyTo({m.MaskField(i)});");
                    break;
                case ModelOp.Input:
                    int k = m.Ordinal(i);
                    w.Line(m.Shapes[i]!.Tokens ? $"{n.Label}.CopyTo({m.TokensField(k)});" : $"{n.Label}.CopyTo({o}.Span);");
                    if (m.Padded(k)) PaddingMembers.KeepMask(w, m.TokensField(k), m.KeepField(k), g.PadToken);
                    break;
                case ModelOp.Add:
                    w.Line($"{G}Residual.Forward({o}.Span, {a}.Span, {m.Node(n.B)}.Span);");
                    break;
                case ModelOp.MeanPool when m.Shapes[n.A]!.IsImage:
                    ImageMeanPool(w, m, i, forward: true);
                    break;
                case ModelOp.MeanPool:
                    w.Line($"{G}MeanPool.Forward<TElem>({o}.Span, {a}.Span, {m.Keep(n.A)}, Batch, {m.Seq(n.A)}, {m.Shapes[i]!.Width});");
                    break;
                case ModelOp.Elementwise:
                    w.Line($"Fused{i}Forward<TElem>({o}.Span, {a}.Span);");
                    break;
                case ModelOp.Attention:
                    var core = m.Layers[n.Layer];
                    w.Line($"{G}Attention.Forward<TMatmul, TElem>({o}.Span, {o}Probs.Span, {a}.Span, {m.Node(n.B)}.Span, {m.Node(n.C)}.Span, {m.Keep(n.B)}, Batch, {m.Seq(n.A)}, {m.Seq(n.B)}, {core.A}, {core.B}, {(core.Causal ? "true" : "false")});");
                    break;
                default:
                    var l = m.Layers[n.Layer];
                    switch (l.Kind)
                    {
                        case LayerKind.Linear:
                            w.Line($"{G}Linear.Forward<TMatmul>({o}.Span, {a}.Span, {m.Field(l.Name, "Weight")}.Span, {(l.Bias ? m.Field(l.Name, "Bias") + ".Span" : "default")}, {m.Rows(i)}, {l.A}, {l.B});");
                            break;
                        case LayerKind.Embedding:
                            w.Line($"{G}Embedding.Forward<TElem>({o}.Span, {m.TokensField(m.Ordinal(n.A))}, {m.Field(l.Name, "Tokens")}.Span, {m.Field(l.Name, "Positions")}.Span, Batch, {m.Seq(n.A)}, {l.B});");
                            break;
                        case LayerKind.Conv2d or LayerKind.MaxPool or LayerKind.PatchEmbedding:
                            ImageForward(w, m, i);
                            break;
                        case LayerKind.PositionalEmbedding:
                            w.Line($"{G}PositionalEmbedding.Forward({o}.Span, {a}.Span, {m.Field(l.Name, "Positions")}.Span, Batch, {m.Seq(n.A)}, {l.B});");
                            break;
                        case LayerKind.LayerNorm:
                            w.Line($"{G}LayerNorm.Forward<TElem>({o}.Span, {o}Mean.Span, {o}Std.Span, {a}.Span, {m.Field(l.Name, "Gamma")}.Span, {m.Field(l.Name, "Beta")}.Span, {m.Rows(i)}, {l.A});");
                            break;
                        case LayerKind.Dropout:
                            w.Line($"if (training) {G}Dropout.Forward<TElem>({o}.Span, {a}.Span, {ScalarPrinter.Literal(l.Probability)}, _dropoutSeed + {i}UL);");
                            w.Line($"else {a}.Span.CopyTo({o}.Span);");
                            break;
                    }
                    break;
            }
        }
        w.Line("_forwardDone = true;");
        w.Line($"return {m.Node(g.Output)}.Span;");
        w.Close();
        FileScaffold.End(w, context);
        return w.ToString();
    }

    private static string Backward(Plan m, TypeContext context)
    {
        var g = m.Graph;
        var w = new SourceWriter();
        FileScaffold.Begin(w, context, Facts(m, "Backward (reverse order, accumulating into parameter gradients)", "CPU: runtime ops' backward, GEMMs in TMatmul, elementwise in TElem; fused elementwise kernels"));
        w.Line($"/// <summary>Back-propagates <paramref name=\"dOutput\"/> {m.Shapes[g.Output]} through the last forward pass, accumulating into the parameter gradients (call <see cref=\"ZeroGrad\"/> first).</summary>");
        w.Line("public void Backward<TMatmul, TElem>(global::System.ReadOnlySpan<float> dOutput)");
        w.Line("    " + Modes);
        w.Open();
        w.Line($"if (!_forwardDone) throw new global::System.InvalidOperationException(\"{g.Name}.Backward needs a Forward pass first.\");");
        w.Line($"if (dOutput.Length != {m.Node(g.Output)}.Length)");
        w.Line($"    throw new global::System.ArgumentException($\"{g.Name}.Backward: 'dOutput' holds {{dOutput.Length}} values but the output {m.Shapes[g.Output]} holds {{{m.Node(g.Output)}.Length}}.\", nameof(dOutput));");
        w.Line("Arena.ZeroActivationGrads();");
        w.Line($"dOutput.CopyTo({m.Node(g.Output)}.GradSpan);");
        for (int i = g.Nodes.Count - 1; i >= 0; i--)
        {
            var n = g.Nodes[i];
            if (n.Op == ModelOp.Input) continue;
            string o = m.Node(i), a = n.A >= 0 ? m.Node(n.A) : "";
            w.Line($"// n{i} = {Describe(m, i)}");
            if (FusedBackward(w, m, i)) continue;
            switch (n.Op)
            {
                case ModelOp.Add:
                    w.Line($"{G}Residual.Backward({a}.GradSpan, {m.Node(n.B)}.GradSpan, {o}.GradSpan);");
                    break;
                case ModelOp.MeanPool when m.Shapes[n.A]!.IsImage:
                    ImageMeanPool(w, m, i, forward: false);
                    break;
                case ModelOp.MeanPool:
                    w.Line($"{G}MeanPool.Backward<TElem>({a}.GradSpan, {o}.GradSpan, {m.Keep(n.A)}, Batch, {m.Seq(n.A)}, {m.Shapes[i]!.Width});");
                    break;
                case ModelOp.Elementwise:
                    w.Line($"Fused{i}Backward<TElem>({a}.GradSpan, {o}.GradSpan, {a}.Span);");
                    break;
                case ModelOp.Attention:
                    var core = m.Layers[n.Layer];
                    w.Line($"{G}Attention.Backward<TMatmul, TElem>({a}.GradSpan, {m.Node(n.B)}.GradSpan, {m.Node(n.C)}.GradSpan, {o}Scratch.Span, {o}.GradSpan, {o}Probs.Span, {a}.Span, {m.Node(n.B)}.Span, {m.Node(n.C)}.Span, Batch, {m.Seq(n.A)}, {m.Seq(n.B)}, {core.A}, {core.B});");
                    break;
                default:
                    var l = m.Layers[n.Layer];
                    switch (l.Kind)
                    {
                        case LayerKind.Linear:
                            w.Line($"{G}Linear.Backward<TMatmul>({a}.GradSpan, {m.Field(l.Name, "Weight")}.GradSpan, {(l.Bias ? m.Field(l.Name, "Bias") + ".GradSpan" : "default")}, {o}.GradSpan, {a}.Span, {m.Field(l.Name, "Weight")}.Span, {m.Rows(i)}, {l.A}, {l.B});");
                            break;
                        case LayerKind.Embedding:
                            w.Line($"{G}Embedding.Backward<TElem>({m.Field(l.Name, "Tokens")}.GradSpan, {m.Field(l.Name, "Positions")}.GradSpan, {o}.GradSpan, {m.TokensField(m.Ordinal(n.A))}, Batch, {m.Seq(n.A)}, {l.B});");
                            break;
                        case LayerKind.Conv2d or LayerKind.MaxPool or LayerKind.PatchEmbedding:
                            ImageBackward(w, m, i);
                            break;
                        case LayerKind.PositionalEmbedding:
                            w.Line($"{G}PositionalEmbedding.Backward({a}.GradSpan, {m.Field(l.Name, "Positions")}.GradSpan, {o}.GradSpan, Batch, {m.Seq(n.A)}, {l.B});");
                            break;
                        case LayerKind.LayerNorm:
                            w.Line($"{G}LayerNorm.Backward<TElem>({a}.GradSpan, {m.Field(l.Name, "Gamma")}.GradSpan, {m.Field(l.Name, "Beta")}.GradSpan, {o}.GradSpan, {a}.Span, {m.Field(l.Name, "Gamma")}.Span, {o}Mean.Span, {o}Std.Span, {m.Rows(i)}, {l.A});");
                            break;
                        case LayerKind.Dropout:
                            w.Line($"if (_training) {G}Dropout.Backward<TElem>({a}.GradSpan, {o}.GradSpan, {ScalarPrinter.Literal(l.Probability)}, _dropoutSeed + {i}UL);");
                            w.Line($"else Accumulate({a}.GradSpan, {o}.GradSpan);");
                            break;
                    }
                    break;
            }
        }
        w.Close();
        FileScaffold.End(w, context);
        return w.ToString();
    }

    private static string Kernels(Plan m, TypeContext context)
    {
        var g = m.Graph;
        var w = new SourceWriter();
        var facts = Facts(m, "Fused elementwise kernels (forward and backward)", "CPU: Vector512 loop, Vector256 loop, scalar tail; generic over TArith : IArithmetic").ToList();
        var names = new[] { "x" };
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            if (n.Op != ModelOp.Elementwise) continue;
            if (IsRuntimeGelu(n))
            {
                facts.Add(($"n{i}", $"{n.Label}: the runtime's Gelu op (forward as the expression x / (1 + Exp(-(x * 1.702))), backward as its hand-derived formula)"));
                continue;
            }
            var derived = Differentiator.Derive(n.Function!, 1);
            facts.Add(($"n{i}", $"{n.Label}: y = {ScalarPrinter.Print(derived.Graph, derived.Output, names)}\n{KernelEmitter.Gradients(derived, names)}{(derived.Exact is { } exact ? "\nexact: " + KernelEmitter.Gradients(exact, names) : "")}"));
        }
        FileScaffold.Begin(w, context, facts);
        bool first = true;
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            if (n.Op != ModelOp.Elementwise) continue;
            if (!first) w.Line();
            first = false;
            if (IsRuntimeGelu(n))
            {
                RuntimeGeluKernels(w, i);
                EpilogueKernel(w, m, i);
                continue;
            }
            var derived = Differentiator.Derive(n.Function!, 1);
            KernelEmitter.WriteForward(w, $"Fused{i}Forward", names, derived, $"n{i} = {Escape(n.Label)}(x)", "private");
            w.Line();
            KernelEmitter.WriteBackward(w, $"Fused{i}Backward", names, derived, $"n{i} = {Escape(n.Label)}(x)", "private");
            EpilogueKernel(w, m, i);
        }
        FileScaffold.End(w, context);
        return w.ToString();
    }

    // A lone Gelu (not fused into a chain) runs as the runtime's Gelu op: the same forward bits as a generated
    // kernel of its expression, and the runtime's hand-derived backward, so generated transformers equal the
    // hand-assembled ones bit for bit in every mode.
    private static bool IsRuntimeGelu(ModelNode n) => n.Op == ModelOp.Elementwise && Equals(n.Function, BuiltinFunctions.Gelu);

    private static void RuntimeGeluKernels(SourceWriter w, int i)
    {
        w.Line($"/// <summary>Computes n{i} = Gelu(x) with the runtime's Gelu op (as the hand-assembled transformers do).</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"PamGen.Generators\", \"1\")]");
        w.Line($"private static void Fused{i}Forward<TArith>(global::System.Span<float> output, global::System.ReadOnlySpan<float> x)");
        w.Line($"    where TArith : struct, {G}IArithmetic => {G}Gelu.Forward<TArith>(output, x);");
        w.Line();
        w.Line($"/// <summary>Accumulates the gradient of n{i} = Gelu(x) into <paramref name=\"dX\"/> with the runtime's Gelu backward.</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"PamGen.Generators\", \"1\")]");
        w.Line($"private static void Fused{i}Backward<TArith>(global::System.Span<float> dX, global::System.ReadOnlySpan<float> dOutput, global::System.ReadOnlySpan<float> x)");
        w.Line($"    where TArith : struct, {G}IArithmetic => {G}Gelu.Backward<TArith>(dX, dOutput, x);");
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
