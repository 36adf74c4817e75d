using System;
using System.Collections.Generic;
using System.Linq;

namespace PamGen;

/// <summary>
/// What the hand-assembled transformers share: one arena, the step counter and the training step
/// (forward, loss, backward, global-norm clip, AdamW on a warm-up + cosine schedule), with NaN/∞ checks that stop
/// the step before the update and name the operation.
/// </summary>
[MultiplicationFree]
public abstract partial class TransformerModel
{
    private readonly List<Tensor> _paramGrads;

    private protected TransformerModel(TrainingMode mode, TransformerConfig config, TrainingOptions options, int batch)
    {
        config.Validate();
        Shapes.RequirePositive(batch, GetType().Name, nameof(batch));
        Mode = mode;
        Config = config;
        Options = options;
        BatchSize = batch;
        Arena = new TensorArena();
        Run = new RunState(config.Seed) { Fuse = options.FuseOperations };
        _paramGrads = new List<Tensor>();
    }

    /// <summary>The arithmetic mode.</summary>
    public TrainingMode Mode { get; }
    /// <summary>The architecture.</summary>
    public TransformerConfig Config { get; }
    /// <summary>The optimisation settings.</summary>
    public TrainingOptions Options { get; }
    /// <summary>Sequences per batch (fixed at construction, like every buffer).</summary>
    public int BatchSize { get; }
    /// <summary>Training steps taken (including a step stopped by a non-finite value).</summary>
    public int Step => Run.Step;
    /// <summary>The model's single allocation.</summary>
    public TensorArena Arena { get; }
    /// <summary>Parameters in declaration order.</summary>
    public IReadOnlyList<Tensor> Parameters => Arena.Parameters;
    /// <summary>The global gradient norm of the last training step (before clipping).</summary>
    public float LastGradNorm { get; private protected set; }

    private protected RunState Run { get; }

    /// <summary>The mode a pair of arithmetics amounts to.</summary>
    private protected static TrainingMode ModeOf<TMatmul, TElem>() where TMatmul : struct, IArithmetic where TElem : struct, IArithmetic
        => TElem.IsMultiplicationFree ? TrainingMode.Pam : TMatmul.IsMultiplicationFree ? TrainingMode.PamMatmul : TrainingMode.Ieee;

    private protected void Allocate<TElem>(int scratch) where TElem : struct, IArithmetic
    {
        Run.Scratch = Arena.Buffer("scratch", Math.Max(1, scratch));
        Arena.Allocate();
        Arena.InitializeParameters<TElem>(Config.Seed);
        _paramGrads.AddRange(Arena.Parameters.Select(p => p.Grad!));
    }

    /// <summary>One training step around a model's forward (returning the loss) and backward.</summary>
    private protected float TrainCore<TElem>(Func<float> forward, Action backward) where TElem : struct, IArithmetic
    {
        Run.Step++;
        Run.Training = true;
        Arena.ZeroGrads();
        float loss = forward();
        if (!float.IsFinite(loss))
            throw new NonFiniteException(Arena.FirstNonFiniteActivation() ?? "cross_entropy (loss)", Run.Step, "forward");
        backward();
        LastGradNorm = GradientClipping.ClipGlobalNorm<TElem>(_paramGrads, Options.MaxGradNorm, Run.Step, Arena.FirstNonFiniteActivationGrad);
        float lr = Options.Schedule.At<TElem>(Run.Step - 1);
        AdamW.Update<TElem>(Arena, lr, Run.Step, Options.AdamOrDefault);
        return loss;
    }

    private protected float EvalCore(Func<float> forward)
    {
        Run.Training = false;
        return forward();
    }

    private protected int[] Flatten(int[,] tokens, string name, int rows, int cols)
    {
        if (tokens.GetLength(0) != rows || tokens.GetLength(1) != cols)
            throw new ArgumentException($"{GetType().Name}: '{name}' has shape [{tokens.GetLength(0)}, {tokens.GetLength(1)}] but the model was built for [{rows}, {cols}] (batch, sequence).", name);
        var flat = new int[rows * cols];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
        {
            int id = tokens[i, j];
            if ((uint)id >= (uint)Config.Vocab)
                throw new ArgumentOutOfRangeException(name, id, $"{GetType().Name}: '{name}'[{i}, {j}] = {id} is outside the vocabulary [0, {Config.Vocab}).");
            flat[i * cols + j] = id;
        }
        return flat;
    }

    private protected byte[] KeepMask(int[] tokens)
    {
        if (Config.PadToken < 0) return Array.Empty<byte>();
        var keep = new byte[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) keep[i] = tokens[i] == Config.PadToken ? (byte)0 : (byte)1;
        return keep;
    }

    private protected static int[] ArgMaxRows(ReadOnlySpan<float> logits, int rows, int cols)
    {
        var result = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = logits.Slice(i * cols, cols);
            int best = 0;
            for (int j = 1; j < cols; j++) if (row[j] > row[best]) best = j;
            result[i] = best;
        }
        return result;
    }
}
