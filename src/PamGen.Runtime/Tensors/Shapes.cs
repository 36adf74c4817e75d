using System;
using System.Text;

namespace PamGen;

/// <summary>Shape formatting and the length checks every operation runs on its spans.</summary>
public static class Shapes
{
    /// <summary>Formats dimensions as <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> dims)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < dims.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(dims[i]);
        }
        return sb.Append(']').ToString();
    }

    /// <summary>The element count of a shape (integer product; overflow-checked).</summary>
    public static int Size(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (int d in dims) n = checked(n * d);
        return checked((int)n);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when a buffer's length does not match the shape the operation derives
    /// from its dimensions; the message names the operation, the buffer, the length given and the shape required.
    /// </summary>
    public static void Require(int length, string operation, string buffer, params int[] dims)
    {
        int need = Size(dims);
        if (length != need)
            throw new ArgumentException(
                $"{operation}: '{buffer}' holds {length} floats but must have shape {Format(dims)} ({need} floats); " +
                "pass a buffer of that shape or fix the dimensions.", buffer);
    }

    /// <summary>As <see cref="Require(int, string, string, int[])"/>, but an empty buffer is also accepted (optional input).</summary>
    public static void RequireOptional(int length, string operation, string buffer, params int[] dims)
    {
        if (length != 0) Require(length, operation, buffer, dims);
    }

    /// <summary>Throws when a dimension is not positive.</summary>
    public static void RequirePositive(int value, string operation, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{operation}: dimension '{name}' must be positive.");
    }
}
