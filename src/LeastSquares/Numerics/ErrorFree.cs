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

    /// <summary>
    /// Adds the product a·b to the compensated sum (hi, lo): the rounded product by TwoSum, its
    /// rounding error (exact, by an FMA) into lo.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref double hi, ref double lo, double a, double b)
    {
        double p = a * b;
        AddTo(ref hi, ref lo, p, Math.FusedMultiplyAdd(a, b, -p));
    }

    /// <summary>
    /// Adds the product (a + aLo)(b + bLo) of two double-doubles to the compensated sum (hi, lo):
    /// as <see cref="AddProduct(ref double, ref double, double, double)"/>, with the cross terms
    /// of the low parts added to the error (their product is below double-double accuracy).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref double hi, ref double lo, double a, double b, double aLo, double bLo)
    {
        double p = a * b;
        AddTo(ref hi, ref lo, p, Math.FusedMultiplyAdd(a, b, -p) + (a * bLo + aLo * b));
    }

    /// <summary><see cref="AddProduct(ref double, ref double, double, double)"/> lane by lane, 4 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> a, Vector256<double> b)
    {
        var p = a * b;
        AddTo(ref hi, ref lo, p, Vector256.FusedMultiplyAdd(a, b, -p));
    }

    /// <summary><see cref="AddProduct(ref double, ref double, double, double, double, double)"/> lane by lane, 4 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> a, Vector256<double> b,
        Vector256<double> aLo, Vector256<double> bLo)
    {
        var p = a * b;
        AddTo(ref hi, ref lo, p, Vector256.FusedMultiplyAdd(a, b, -p) + (a * bLo + aLo * b));
    }

    /// <summary><see cref="AddProduct(ref double, ref double, double, double)"/> lane by lane, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Vector512<double> hi, ref Vector512<double> lo, Vector512<double> a, Vector512<double> b)
    {
        var p = a * b;
        AddTo(ref hi, ref lo, p, Vector512.FusedMultiplyAdd(a, b, -p));
    }

    /// <summary><see cref="AddProduct(ref double, ref double, double, double, double, double)"/> lane by lane, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddProduct(ref Vector512<double> hi, ref Vector512<double> lo, Vector512<double> a, Vector512<double> b,
        Vector512<double> aLo, Vector512<double> bLo)
    {
        var p = a * b;
        AddTo(ref hi, ref lo, p, Vector512.FusedMultiplyAdd(a, b, -p) + (a * bLo + aLo * b));
    }

    /// <summary>
    /// <see cref="DoubleDouble"/>'s product x·y lane by lane, 4 wide: the FMA-exact product of the
    /// high parts, the cross terms added to its error, renormalised (QuickTwoSum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Hi, Vector256<double> Lo) Product(Vector256<double> xh, Vector256<double> xl,
        Vector256<double> yh, Vector256<double> yl)
    {
        var p = xh * yh;
        var err = Vector256.FusedMultiplyAdd(xh, yh, -p) + ((xh * yl) + (xl * yh));
        return QuickTwoSum(p, err);
    }

    /// <summary>
    /// <see cref="DoubleDouble"/>'s sum a + b lane by lane, 4 wide: TwoSum of the high parts and
    /// of the low parts, renormalised twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Hi, Vector256<double> Lo) Sum(Vector256<double> ah, Vector256<double> al,
        Vector256<double> bh, Vector256<double> bl)
    {
        var s = ah + bh;
        var bb = s - ah;
        var se = (ah - (s - bb)) + (bh - bb);
        var t = al + bl;
        var bb2 = t - al;
        var te = (al - (t - bb2)) + (bl - bb2);
        var (uh, ul) = QuickTwoSum(s, se + t);
        return QuickTwoSum(uh, ul + te);
    }

    /// <summary><see cref="Product(Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/>, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Hi, Vector512<double> Lo) Product(Vector512<double> xh, Vector512<double> xl,
        Vector512<double> yh, Vector512<double> yl)
    {
        var p = xh * yh;
        var err = Vector512.FusedMultiplyAdd(xh, yh, -p) + ((xh * yl) + (xl * yh));
        return QuickTwoSum(p, err);
    }

    /// <summary><see cref="Sum(Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/>, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Hi, Vector512<double> Lo) Sum(Vector512<double> ah, Vector512<double> al,
        Vector512<double> bh, Vector512<double> bl)
    {
        var s = ah + bh;
        var bb = s - ah;
        var se = (ah - (s - bb)) + (bh - bb);
        var t = al + bl;
        var bb2 = t - al;
        var te = (al - (t - bb2)) + (bl - bb2);
        var (uh, ul) = QuickTwoSum(s, se + t);
        return QuickTwoSum(uh, ul + te);
    }

    /// <summary>a + b = s + e exactly when |a| ≥ |b| (or a is 0), lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Hi, Vector256<double> Lo) QuickTwoSum(Vector256<double> a, Vector256<double> b)
    {
        var s = a + b;
        return (s, b - (s - a));
    }

    /// <summary>a + b = s + e exactly when |a| ≥ |b| (or a is 0), lane by lane, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Hi, Vector512<double> Lo) QuickTwoSum(Vector512<double> a, Vector512<double> b)
    {
        var s = a + b;
        return (s, b - (s - a));
    }
}
