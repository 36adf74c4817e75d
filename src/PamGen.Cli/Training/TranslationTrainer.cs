using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using PamGen.Cli.Data;

namespace PamGen.Cli.Training;

/// <summary>Settings of one <c>pamgen translate</c> run.</summary>
/// <param name="Epochs">Passes over the training pairs.</param>
/// <param name="Batch">Sentence pairs per step.</param>
/// <param name="Seed">Seed of the split, shuffling, initialisation and dropout.</param>
/// <param name="LearningRate">Peak AdamW learning rate (warm-up, then cosine decay to a tenth).</param>
/// <param name="Dim">Model width.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Layers">Encoder blocks.</param>
/// <param name="DecoderLayers">Decoder blocks.</param>
/// <param name="Hidden">MLP hidden width.</param>
/// <param name="MaxChars">Longest sentence kept, in characters (sets both sequence lengths, plus one for the end token).</param>
/// <param name="TestCount">Pairs held out for evaluation.</param>
/// <param name="PairLimit">Use at most this many training pairs (0 = all).</param>
/// <param name="DecodeCount">Held-out pairs translated greedily at the end for the character error rate.</param>
internal sealed record TranslationSettings(int Epochs = 4, int Batch = 32, int Seed = 1, float LearningRate = 2e-3f,
    int Dim = 64, int Heads = 4, int Layers = 2, int DecoderLayers = 2, int Hidden = 256, int MaxChars = 48,
    int TestCount = 512, int PairLimit = 0, int DecodeCount = 256);

/// <summary>What one mode's translation run achieved.</summary>
/// <param name="Mode">The arithmetic mode.</param>
/// <param name="TrainLoss">Mean training loss of the last epoch (nats per target character, dropout on).</param>
/// <param name="TestLoss">Held-out loss, teacher-forced (nats per target character).</param>
/// <param name="TestCharAccuracy">Held-out next-character accuracy, teacher-forced.</param>
/// <param name="CharErrorRate">Edit distance of greedy translations to the references over the references' length.</param>
/// <param name="PairsPerSecond">Training throughput.</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="MatmulProductsPerStep">Matmul products of one training step (forward and backward).</param>
/// <param name="Examples">A few greedy translations of held-out sentences.</param>
internal sealed record TranslationResult(TrainingMode Mode, float TrainLoss, float TestLoss, double TestCharAccuracy, double CharErrorRate,
    double PairsPerSecond, TimeSpan Elapsed, long MatmulProductsPerStep, IReadOnlyList<(string German, string Reference, string Output)> Examples);

/// <summary>
/// Trains the runtime's <see cref="TransformerSeq2Seq"/> to translate German sentences into English, character by
/// character (the paper's own benchmark is IWSLT14 German–English; this is its small, offline cousin). Source:
/// characters then the end token; decoder input: the begin token then the characters; targets: the characters then
/// the end token, padding ignored. Evaluation: teacher-forced loss and accuracy, and greedy decoding of held-out
/// sentences scored by character error rate.
/// </summary>
internal static class TranslationTrainer
{
    /// <summary>The model's architecture for <paramref name="s"/> and a vocabulary of <paramref name="vocabulary"/> tokens.</summary>
    public static TransformerConfig Config(TranslationSettings s, int vocabulary) =>
        new(Vocab: vocabulary, Dim: s.Dim, Heads: s.Heads, Layers: s.Layers, Hidden: s.Hidden, MaxSeq: s.MaxChars + 1,
            DecoderLayers: s.DecoderLayers, Dropout: 0.1f, LabelSmoothing: 0f, PadToken: CharVocabulary.Pad, Seed: (ulong)s.Seed);

    /// <summary>Trains one mode, one line per epoch to <paramref name="output"/>.</summary>
    /// <exception cref="NonFiniteException">A NaN or ∞ stopped a training step.</exception>
    public static TranslationResult Train(TrainingMode mode, List<SentencePair> train, List<SentencePair> test, TranslationSettings s, TextWriter output)
    {
        if (s.PairLimit > 0 && s.PairLimit < train.Count) train = train.GetRange(0, s.PairLimit);
        if (train.Count < s.Batch || test.Count < s.Batch)
            throw new ArgumentException($"--batch {s.Batch} is larger than the {Math.Min(train.Count, test.Count)} pairs of the smaller split; choose a smaller batch.", nameof(s));
        var vocabulary = CharVocabulary.Build(train);
        int length = s.MaxChars + 1;
        int stepsPerEpoch = train.Count / s.Batch;
        int totalSteps = Math.Max(1, s.Epochs * stepsPerEpoch);
        var options = new TrainingOptions(LearningRate: s.LearningRate, MinLearningRate: s.LearningRate / 10,
            WarmupSteps: Math.Max(1, Math.Min(200, totalSteps / 10)), TotalSteps: totalSteps, MaxGradNorm: 1f);
        var config = Config(s, vocabulary.Count);
        var model = TransformerSeq2Seq.Create(mode, config, options, s.Batch, length, length);
        var batch = new Batch(s.Batch, length);

        output.WriteLine(Invariant($"{DigitsTrainer.Name(mode)}: {train.Count} training / {test.Count} held-out pairs, {vocabulary.Count} character tokens, batch {s.Batch}, ") +
                         Invariant($"{stepsPerEpoch} steps per epoch, Dim {s.Dim}, Heads {s.Heads}, Layers {s.Layers}+{s.DecoderLayers}, Hidden {s.Hidden}, lr {s.LearningRate}"));
        var clock = Stopwatch.StartNew();
        TimeSpan trainTime = TimeSpan.Zero;
        float trainLoss = float.NaN, testLoss = float.NaN;
        double accuracy = 0;
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            int[] order = DigitsDataset.Permutation(train.Count, unchecked(s.Seed * 7919 + epoch));
            double sum = 0;
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                batch.Fill(vocabulary, i => train[order[step * s.Batch + i]]);
                sum += model.TrainStep(batch.Source, batch.TargetIn, batch.TargetOut);
            }
            trainTime += epochClock.Elapsed;
            trainLoss = (float)(sum / stepsPerEpoch);
            (testLoss, accuracy) = Evaluate(model, vocabulary, test, batch);
            output.WriteLine(Invariant($"  epoch {epoch,2}/{s.Epochs}: train loss {trainLoss:F4}, held-out loss {testLoss:F4} ({testLoss / Math.Log(2):F3} bits/char), ") +
                             Invariant($"next-char accuracy {accuracy * 100,6:F2} %, {stepsPerEpoch * s.Batch / epochClock.Elapsed.TotalSeconds,6:F1} pairs/s, elapsed {clock.Elapsed.TotalSeconds,6:F1} s"));
        }
        var decoded = Decode(model, vocabulary, test.Take(Math.Min(s.DecodeCount, test.Count)).ToList(), batch);
        long edits = 0, characters = 0;
        foreach (var (pair, text) in decoded)
        {
            edits += EditDistance.Between(text, pair.English);
            characters += pair.English.Length;
        }
        double cer = (double)edits / Math.Max(1, characters);
        output.WriteLine(Invariant($"  greedy translation of {decoded.Count} held-out sentences: character error rate {cer * 100:F1} %"));
        var examples = decoded.Take(5).Select(d => (d.Pair.German, d.Pair.English, d.Output)).ToList();
        return new TranslationResult(mode, trainLoss, testLoss, accuracy, cer, (double)s.Epochs * stepsPerEpoch * s.Batch / Math.Max(trainTime.TotalSeconds, 1e-9),
            clock.Elapsed, MatmulProductsPerStep(config, s.Batch, length, length), examples);
    }

    /// <summary>Teacher-forced loss and next-character accuracy over the full batches of <paramref name="test"/>.</summary>
    public static (float Loss, double Accuracy) Evaluate(TransformerSeq2Seq model, CharVocabulary vocabulary, List<SentencePair> test, Batch batch)
    {
        int batches = test.Count / batch.Size;
        double loss = 0;
        long correct = 0, counted = 0;
        for (int k = 0; k < batches; k++)
        {
            batch.Fill(vocabulary, i => test[k * batch.Size + i]);
            loss += model.Evaluate(batch.Source, batch.TargetIn, batch.TargetOut);
            int[,] predicted = model.Predict(batch.Source, batch.TargetIn);
            for (int b = 0; b < batch.Size; b++)
            for (int t = 0; t < batch.Length; t++)
            {
                if (batch.TargetOut[b, t] == TransformerSeq2Seq.IgnoreIndex) continue;
                counted++;
                if (predicted[b, t] == batch.TargetOut[b, t]) correct++;
            }
        }
        return ((float)(loss / batches), (double)correct / Math.Max(1, counted));
    }

    /// <summary>Greedy decoding: the decoder input grows by the model's own most likely character until the end token.</summary>
    public static List<(SentencePair Pair, string Output)> Decode(TransformerSeq2Seq model, CharVocabulary vocabulary, List<SentencePair> pairs, Batch batch)
    {
        var results = new List<(SentencePair, string)>(pairs.Count);
        for (int start = 0; start < pairs.Count; start += batch.Size)
        {
            int count = Math.Min(batch.Size, pairs.Count - start);
            batch.Fill(vocabulary, i => pairs[start + (i < count ? i : 0)]);   // a short last batch repeats its first pair
            var input = new int[batch.Size, batch.Length];
            var outputs = new List<int>[batch.Size];
            var finished = new bool[batch.Size];
            for (int b = 0; b < batch.Size; b++) { input[b, 0] = CharVocabulary.Begin; outputs[b] = new List<int>(); }
            for (int t = 0; t < batch.Length && finished.Contains(false); t++)
            {
                int[,] predicted = model.Predict(batch.Source, input);   // causal: position t sees inputs 0..t only
                for (int b = 0; b < batch.Size; b++)
                {
                    if (finished[b]) continue;
                    int next = predicted[b, t];
                    outputs[b].Add(next);
                    if (next == CharVocabulary.End) finished[b] = true;
                    else if (t + 1 < batch.Length) input[b, t + 1] = next;
                }
            }
            for (int i = 0; i < count; i++) results.Add((pairs[start + i], vocabulary.Decode(outputs[i])));
        }
        return results;
    }

    /// <summary>Matmul products of one training step: encoder and decoder blocks (projections, attention, MLP),
    /// cross-attention and the output head, forward once and backward twice (two products per forward one).</summary>
    public static long MatmulProductsPerStep(TransformerConfig c, int batch, int sourceLength, int targetLength)
    {
        long d = c.Dim, h = c.Hidden, s = (long)batch * sourceLength, t = (long)batch * targetLength;
        long encoder = s * (4 * d * d + 2 * d * h) + 2L * batch * sourceLength * sourceLength * d;
        long decoder = t * (4 * d * d + 2 * d * h) + 2L * batch * targetLength * targetLength * d      // self-attention and MLP
                     + t * 2 * d * d + s * 2 * d * d + 2L * batch * targetLength * sourceLength * d;   // cross-attention
        long forward = c.Layers * encoder + c.DecoderLayers * decoder + t * d * c.Vocab;
        return 3 * forward;
    }

    /// <summary>One batch of encoded pairs, reused across steps.</summary>
    internal sealed class Batch(int size, int length)
    {
        public int Size { get; } = size;
        public int Length { get; } = length;
        public int[,] Source { get; } = new int[size, length];
        public int[,] TargetIn { get; } = new int[size, length];
        public int[,] TargetOut { get; } = new int[size, length];

        /// <summary>Encodes <c>pair(i)</c> into row i for every row.</summary>
        public void Fill(CharVocabulary vocabulary, Func<int, SentencePair> pair)
        {
            for (int b = 0; b < Size; b++)
            {
                var p = pair(b);
                if (p.German.Length >= Length || p.English.Length >= Length)
                    throw new ArgumentException($"A pair is longer than the model's {Length - 1} characters: \"{p.German}\" / \"{p.English}\"; raise --max-chars.", nameof(pair));
                for (int t = 0; t < Length; t++)
                {
                    Source[b, t] = t < p.German.Length ? vocabulary.Id(p.German[t]) : t == p.German.Length ? CharVocabulary.End : CharVocabulary.Pad;
                    TargetIn[b, t] = t == 0 ? CharVocabulary.Begin : t - 1 < p.English.Length ? vocabulary.Id(p.English[t - 1]) : CharVocabulary.Pad;
                    TargetOut[b, t] = t < p.English.Length ? vocabulary.Id(p.English[t]) : t == p.English.Length ? CharVocabulary.End : TransformerSeq2Seq.IgnoreIndex;
                }
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
