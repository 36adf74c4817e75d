using System;
using System.Runtime.CompilerServices;

namespace PamGen;

/// <summary>
/// Softmax cross-entropy with label smoothing ε and an ignore index, averaged over the rows that are not ignored.
/// Target distribution <c>q = (1 − ε)·onehot + Div(ε, V)</c>. Per row, in base 2 with the softmax's per-row shift
/// <c>n</c>: <c>lse = n + Log2(Σ Exp2(t − n))</c>, <c>t = Mul(x, log2 e)</c>, and the loss in nats is
/// <c>Div(Mul(1 − ε, lse − t_y) + Mul(ε, lse − Div(Σt, V)), log2 e)</c>. Backward (for the mean loss, upstream
/// gradient 1): <c>dx += Div(p − q, count)</c> (NUMERICS.md §3).
/// </summary>
[MultiplicationFree]
public static class CrossEntropy
{
    /// <summary>Forward pass; returns the mean loss over non-ignored rows (0 when every row is ignored).</summary>
    /// <param name="losses">[n] per-row loss (0 for ignored rows)</param>
    /// <param name="probs">saved [n, classes] softmax</param>
    /// <param name="logits">[n, classes]</param>
    /// <param name="targets">[n] class ids, or <paramref name="ignoreIndex"/></param>
    /// <param name="n">Rows.</param>
    /// <param name="classes">Classes (vocabulary).</param>
    /// <param name="smoothing">Label smoothing ε in [0, 1).</param>
    /// <param name="ignoreIndex">Target value that marks a row to skip.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Forward<TElem>(Span<float> losses, Span<float> probs, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets,
        int n, int classes, float smoothing = 0f, int ignoreIndex = -100) where TElem : struct, IArithmetic
    {
        Check(losses.Length, probs.Length, logits.Length, targets, n, classes, smoothing, ignoreIndex, "CrossEntropy.Forward");
        float keep = 1f - smoothing, fc = classes;
        float total = 0f;
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            var x = logits.Slice(i * classes, classes);
            var p = probs.Slice(i * classes, classes);
            float max = float.NegativeInfinity, sumT = 0f;
            for (int j = 0; j < classes; j++)
            {
                float t = TElem.Mul(x[j], Softmax.Log2E);
                p[j] = t;
                sumT += t;
                if (j == 0 || t > max || float.IsNaN(t)) max = t;
            }
            float shift = MathF.Floor(max);
            int y = targets[i];
            float ty = y == ignoreIndex ? 0f : p[y];
            float sum = 0f;
            for (int j = 0; j < classes; j++)
            {
                float e = TElem.Exp2(p[j] - shift);
                p[j] = e;
                sum += e;
            }
            for (int j = 0; j < classes; j++) p[j] = TElem.Div(p[j], sum);
            if (y == ignoreIndex)
            {
                losses[i] = 0f;
                continue;
            }
            float lse = shift + TElem.Log2(sum);
            float bits = TElem.Mul(keep, lse - ty);
            if (smoothing != 0f) bits += TElem.Mul(smoothing, lse - TElem.Div(sumT, fc));
            losses[i] = TElem.Div(bits, Softmax.Log2E);
            total += losses[i];
            count++;
        }
        return count == 0 ? 0f : TElem.Div(total, count);
    }

    /// <summary>Backward pass for the mean loss; accumulates into <paramref name="dLogits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<TElem>(Span<float> dLogits, ReadOnlySpan<float> probs, ReadOnlySpan<int> targets,
        int n, int classes, float smoothing = 0f, int ignoreIndex = -100) where TElem : struct, IArithmetic
    {
        Check(n, probs.Length, dLogits.Length, targets, n, classes, smoothing, ignoreIndex, "CrossEntropy.Backward");
        int count = 0;
        for (int i = 0; i < n; i++) if (targets[i] != ignoreIndex) count++;
        if (count == 0) return;
        float fcount = count;
        float off = TElem.Div(smoothing, classes);
        float on = 1f - smoothing + off;
        for (int i = 0; i < n; i++)
        {
            int y = targets[i];
            if (y == ignoreIndex) continue;
            var p = probs.Slice(i * classes, classes);
            var d = dLogits.Slice(i * classes, classes);
            for (int j = 0; j < classes; j++) d[j] += TElem.Div(p[j] - (j == y ? on : off), fcount);
        }
    }

    private static void Check(int lossLen, int probsLen, int logitsLen, ReadOnlySpan<int> targets, int n, int classes, float smoothing, int ignoreIndex, string op)
    {
        Shapes.RequirePositive(n, op, nameof(n));
        Shapes.RequirePositive(classes, op, nameof(classes));
        if (!(smoothing >= 0f && smoothing < 1f)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"{op}: label smoothing must be in [0, 1).");
        Shapes.Require(lossLen, op, "losses", n);
        Shapes.Require(probsLen, op, "probs", n, classes);
        Shapes.Require(logitsLen, op, "logits", n, classes);
        if (targets.Length != n) throw new ArgumentException($"{op}: 'targets' has shape [{targets.Length}] but the logits need [{n}].", nameof(targets));
        for (int i = 0; i < n; i++)
        {
            int y = targets[i];
            if (y != ignoreIndex && (uint)y >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), y, $"{op}: target {i} is {y}, outside [0, {classes}) and not the ignore index {ignoreIndex}.");
        }
    }
}
