using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

/// <summary>
/// The error-free steps the accumulation kernels are built of, written once for a double and for
/// each vector width, so that every kernel (scalar, 4-wide, packed 8-wide) does the same operations
/// lane by lane and gives the same sums exactly.
/// </summary>
internal static class ErrorFree
{
    /// <summary>TwoDiff (Knuth): a − b = s + lo exactly, s the rounded difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoDiff(double a, double b, out double lo)
    {
        double s = a - b;
        double bb = s - a;
        lo = (a - (s - bb)) - (b + bb);
        return s;
    }

    /// <summary>TwoDiff lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> TwoDiff(Vector512<double> a, Vector512<double> b, out Vector512<double> lo)
    {
        var s = a - b;
        var bb = s - a;
        lo = (a - (s - bb)) - (b + bb);
        return s;
    }

    /// <summary>
    /// Adds value + error to the compensated sum (hi, lo): hi takes the rounded sum (TwoSum), lo
    /// its rounding error and the error term.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(ref double hi, ref double lo, double value, double error)
    {
        double s = hi + value;
        double bb = s - hi;
        lo += ((hi - (s - bb)) + (value - bb)) + error;
        hi = s;
    }

    /// <summary><see cref="AddTo(ref double, ref double, double, double)"/> lane by lane, 4 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> value, Vector256<double> error)
    {
        var s = hi + value;
        var bb = s - hi;
        lo += ((hi - (s - bb)) + (value - bb)) + error;
        hi = s;
    }

    /// <summary><see cref="AddTo(ref double, ref double, double, double)"/> lane by lane, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(ref Vector512<double> hi, ref Vector512<double> lo, Vector512<double> value, Vector512<double> error)
    {
        var s = hi + value;
        var bb = s - hi;
        lo += ((hi - (s - bb)) + (value - bb)) + error;
        hi = s;
    }
}
