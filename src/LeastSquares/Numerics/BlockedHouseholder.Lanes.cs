using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

// The lane arithmetic of the blocked Householder form: compensated products, updates and
// DoubleDouble's sum and product, 4 and 8 lanes at a time.
internal static partial class BlockedHouseholder
{
    /// <summary>(sh, sl) += x·y: the FMA-exact product of the high parts added by TwoSum, every lower-order term into sl (the cross terms by FMAs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref Vector256<double> sh, ref Vector256<double> sl, Vector256<double> xh, Vector256<double> xl,
        Vector256<double> yh, Vector256<double> yl)
    {
        var p = xh * yh;
        var e = Vector256.FusedMultiplyAdd(xh, yh, -p);
        var s = sh + p;
        var bb = s - sh;
        sl = Vector256.FusedMultiplyAdd(xl, yh, Vector256.FusedMultiplyAdd(xh, yl, sl)) + (((sh - (s - bb)) + (p - bb)) + e);
        sh = s;
    }

    /// <summary>(yh, yl) += x·f, renormalised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref Vector256<double> yh, ref Vector256<double> yl, Vector256<double> xh, Vector256<double> xl,
        Vector256<double> fh, Vector256<double> fl)
    {
        var p = xh * fh;
        var e = Vector256.FusedMultiplyAdd(xh, fh, -p);
        var s = yh + p;
        var bb = s - yh;
        var lo = Vector256.FusedMultiplyAdd(xl, fh, Vector256.FusedMultiplyAdd(xh, fl, yl)) + (((yh - (s - bb)) + (p - bb)) + e);
        var h = s + lo;
        yl = lo - (h - s);
        yh = h;
    }

    /// <summary><see cref="Accumulate(ref Vector256{double}, ref Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/>, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref Vector512<double> sh, ref Vector512<double> sl, Vector512<double> xh, Vector512<double> xl,
        Vector512<double> yh, Vector512<double> yl)
    {
        var p = xh * yh;
        var e = Vector512.FusedMultiplyAdd(xh, yh, -p);
        var s = sh + p;
        var bb = s - sh;
        sl = Vector512.FusedMultiplyAdd(xl, yh, Vector512.FusedMultiplyAdd(xh, yl, sl)) + (((sh - (s - bb)) + (p - bb)) + e);
        sh = s;
    }

    /// <summary><see cref="Update(ref Vector256{double}, ref Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/>, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref Vector512<double> yh, ref Vector512<double> yl, Vector512<double> xh, Vector512<double> xl,
        Vector512<double> fh, Vector512<double> fl)
    {
        var p = xh * fh;
        var e = Vector512.FusedMultiplyAdd(xh, fh, -p);
        var s = yh + p;
        var bb = s - yh;
        var lo = Vector512.FusedMultiplyAdd(xl, fh, Vector512.FusedMultiplyAdd(xh, fl, yl)) + (((yh - (s - bb)) + (p - bb)) + e);
        var h = s + lo;
        yl = lo - (h - s);
        yh = h;
    }

    /// <summary>(yh, yl) += x₁·f₁ + x₂·f₂: both FMA-exact products added by TwoSum, the errors gathered, renormalised once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateTwo(ref Vector512<double> yh, ref Vector512<double> yl,
        Vector512<double> x1h, Vector512<double> x1l, Vector512<double> f1h, Vector512<double> f1l,
        Vector512<double> x2h, Vector512<double> x2l, Vector512<double> f2h, Vector512<double> f2l)
    {
        var p1 = x1h * f1h;
        var e1 = Vector512.FusedMultiplyAdd(x1h, f1h, -p1);
        var p2 = x2h * f2h;
        var e2 = Vector512.FusedMultiplyAdd(x2h, f2h, -p2);
        var cross = Vector512.FusedMultiplyAdd(x2l, f2h, Vector512.FusedMultiplyAdd(x2h, f2l,
            Vector512.FusedMultiplyAdd(x1l, f1h, Vector512.FusedMultiplyAdd(x1h, f1l, yl))));
        var s1 = yh + p1;
        var b1 = s1 - yh;
        var r1 = (yh - (s1 - b1)) + (p1 - b1);
        var s2 = s1 + p2;
        var b2 = s2 - s1;
        var r2 = (s1 - (s2 - b2)) + (p2 - b2);
        var lo = cross + ((r1 + r2) + (e1 + e2));
        var h = s2 + lo;
        yl = lo - (h - s2);
        yh = h;
    }

    // DoubleDouble's product by a double-double and its sum, lane by lane: ErrorFree's steps.
    private static (Vector512<double> Hi, Vector512<double> Lo) Mul(Vector512<double> ah, Vector512<double> al, DoubleDouble b) =>
        ErrorFree.Product(ah, al, Vector512.Create(b.Hi), Vector512.Create(b.Lo));

    private static (Vector512<double> Hi, Vector512<double> Lo) Add(Vector512<double> ah, Vector512<double> al,
        Vector512<double> bh, Vector512<double> bl) => ErrorFree.Sum(ah, al, bh, bl);

    private static (Vector256<double> Hi, Vector256<double> Lo) Mul(Vector256<double> ah, Vector256<double> al, DoubleDouble b) =>
        ErrorFree.Product(ah, al, Vector256.Create(b.Hi), Vector256.Create(b.Lo));

    private static (Vector256<double> Hi, Vector256<double> Lo) Add(Vector256<double> ah, Vector256<double> al,
        Vector256<double> bh, Vector256<double> bl) => ErrorFree.Sum(ah, al, bh, bl);
}
