using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PamGen;

/// <summary>
/// Vector512 loads and stores for the elementwise passes of the ops. Each pass runs 16 lanes at a time through the
/// mode's vector operations (bit-identical to its scalar ones, IArithmetic's contract) and finishes with the scalar
/// form, so results do not depend on whether the vector path ran. Sums stay scalar and in index order.
/// </summary>
[MultiplicationFree]
internal static class Vec
{
    public const int Width = 16;

    public static bool Enabled => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> s, int i) => Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(Span<float> s, int i) => Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, Span<float> s, int i) => v.StoreUnsafe(ref MemoryMarshal.GetReference(s), (nuint)i);

    /// <summary>The number of leading elements the vector loop covers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Body(int length) => Enabled ? length - length % Width : 0;

    /// <summary>
    /// As <see cref="Body"/> for passes with Exp/Exp2: only multiplication-free modes have branch-free vector
    /// transcendentals; <see cref="IeeeArithmetic"/>'s vector forms call the scalar function per lane, slower than
    /// its scalar loop, so Ieee runs those passes scalar (same bits either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BodyWithTranscendentals<TArith>(int length) where TArith : struct, IArithmetic
        => TArith.IsMultiplicationFree ? Body(length) : 0;
}
