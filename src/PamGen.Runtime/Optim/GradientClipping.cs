using System;
using System.Collections.Generic;

namespace PamGen;

/// <summary>
/// Global-norm gradient clipping: <c>norm = Sqrt(Σ Mul(g, g))</c> over every tensor; when it exceeds the limit each
/// gradient is scaled by <c>Div(max, norm + 1e-6)</c> through the mode's <c>Mul</c>. A non-finite norm stops the step
/// with the first non-finite tensor's name.
/// </summary>
[MultiplicationFree]
public static class GradientClipping
{
    /// <summary>Clips in place and returns the norm before clipping.</summary>
    /// <param name="grads">The gradient tensors, in the order to search when the norm is not finite.</param>
    /// <param name="maxNorm">The limit; 0 or less (or ∞) measures without clipping.</param>
    /// <param name="step">The training step, for the error message.</param>
    /// <param name="locate">Optional: names the operation where a non-finite gradient first appeared (searched before the gradients themselves).</param>
    public static float ClipGlobalNorm<TElem>(IReadOnlyList<Tensor> grads, float maxNorm, int step, Func<string?>? locate = null) where TElem : struct, IArithmetic
    {
        float total = 0f;
        foreach (var t in grads)
        {
            // Partial sums per tensor keep the float32 accumulation short.
            float s = 0f;
            foreach (float g in t.Span) s += TElem.Mul(g, g);
            total += s;
        }
        if (!float.IsFinite(total))
        {
            string? source = locate?.Invoke();
            if (source is not null) throw new NonFiniteException(source, step, "backward");
            foreach (var t in grads)
                if (!NonFiniteException.AllFinite(t.Span)) throw new NonFiniteException(t.Name, step, "backward");
            throw new NonFiniteException("gradient norm (overflow of the sum of squares)", step, "backward");
        }
        float norm = TElem.Sqrt(total);
        if (maxNorm > 0f && float.IsFinite(maxNorm) && norm > maxNorm)
        {
            float scale = TElem.Div(maxNorm, norm + 1e-6f);
            foreach (var t in grads)
            {
                var span = t.Span;
                for (int i = 0; i < span.Length; i++) span[i] = TElem.Mul(span[i], scale);
            }
        }
        return norm;
    }
}
