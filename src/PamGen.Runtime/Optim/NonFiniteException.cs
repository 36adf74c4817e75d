using System;

namespace PamGen;

/// <summary>
/// A NaN or ±∞ appeared in a loss, activation or gradient during a training step. The step is stopped before the
/// optimizer touches the parameters; <see cref="Operation"/> names the first operation (tensor) where it appeared.
/// </summary>
[MultiplicationFree]
public sealed class NonFiniteException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteException(string source, int step, string pass)
        : base($"Non-finite value (NaN or ±∞) in '{source}' during the {pass} of training step {step}; the step was stopped before the parameter update. " +
               "Lower the learning rate, enable gradient clipping, or check the inputs of that operation.")
    {
        Operation = source;
        Step = step;
        Pass = pass;
    }

    /// <summary>The operation or tensor where the value was first seen.</summary>
    public string Operation { get; }
    /// <summary>The training step (1-based).</summary>
    public int Step { get; }
    /// <summary>"forward", "backward" or "loss".</summary>
    public string Pass { get; }

    /// <summary>Whether every element is finite.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x − x is 0 for finite x and NaN for NaN and ±∞: one subtraction and one compare per element.
        float acc = 0f;
        for (int i = 0; i < values.Length; i++) acc += values[i] - values[i];
        return acc == 0f;
    }
}
