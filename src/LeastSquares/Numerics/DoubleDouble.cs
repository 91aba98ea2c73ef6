using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace LeastSquares.Numerics;

/// <summary>
/// An unevaluated sum <c>Hi + Lo</c> of two doubles with <c>|Lo| ≤ ulp(Hi)/2</c>, giving about
/// 106 significant bits (≈ 32 decimal digits). Used wherever the accuracy targets need more than
/// double precision: accumulating cross-products, the small p×p factorisations and the mapping of
/// coefficients between bases. The error-free transformations are Knuth's TwoSum and an FMA-based
/// TwoProduct; the compound operations follow the usual "sloppy" double-double algorithms, whose
/// relative error is a small multiple of 2⁻¹⁰⁶.
/// </summary>
[SuppressMessage("Design", "CA1051", Justification = "A numeric pair read in hot loops; fields keep it a plain value.")]
public readonly struct DoubleDouble : IEquatable<DoubleDouble>, IComparable<DoubleDouble>
{
    /// <summary>The leading part; the nearest double to the value.</summary>
    public readonly double Hi;

    /// <summary>The trailing part.</summary>
    public readonly double Lo;

    /// <summary>Zero.</summary>
    public static readonly DoubleDouble Zero;

    /// <summary>One.</summary>
    public static readonly DoubleDouble One = new(1.0);

    /// <summary>Creates the exact value <paramref name="value"/>.</summary>
    public DoubleDouble(double value)
    {
        Hi = value;
        Lo = 0.0;
    }

    /// <summary>Creates <c>hi + lo</c>; the caller guarantees the pair is normalised.</summary>
    public DoubleDouble(double hi, double lo)
    {
        Hi = hi;
        Lo = lo;
    }

    /// <summary>True when both parts are finite.</summary>
    public bool IsFinite => double.IsFinite(Hi) && double.IsFinite(Lo);

    /// <summary>Exact sum of two doubles as (rounded sum, error).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        return new DoubleDouble(s, err);
    }

    /// <summary>Exact difference of two doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoDiff(double a, double b)
    {
        double s = ErrorFree.TwoDiff(a, b, out double err);
        return new DoubleDouble(s, err);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    /// <summary>Exact product of two doubles (barring underflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoProduct(double a, double b)
    {
        double p = a * b;
        return new DoubleDouble(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    /// <summary>Sum.</summary>
    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var s = TwoSum(a.Hi, b.Hi);
        var t = TwoSum(a.Lo, b.Lo);
        var u = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(u.Hi, u.Lo + t.Lo);
    }

    /// <summary>Sum with a double.</summary>
    public static DoubleDouble operator +(DoubleDouble a, double b)
    {
        var s = TwoSum(a.Hi, b);
        return QuickTwoSum(s.Hi, s.Lo + a.Lo);
    }

    /// <summary>Negation.</summary>
    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    /// <summary>Difference.</summary>
    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);

    /// <summary>Difference with a double.</summary>
    public static DoubleDouble operator -(DoubleDouble a, double b) => a + (-b);

    /// <summary>Product.</summary>
    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p = TwoProduct(a.Hi, b.Hi);
        double err = p.Lo + (a.Hi * b.Lo + a.Lo * b.Hi);
        return QuickTwoSum(p.Hi, err);
    }

    /// <summary>Product with a double.</summary>
    public static DoubleDouble operator *(DoubleDouble a, double b)
    {
        var p = TwoProduct(a.Hi, b);
        return QuickTwoSum(p.Hi, p.Lo + a.Lo * b);
    }

    /// <summary>Quotient (three correction steps of long division).</summary>
    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        double q1 = a.Hi / b.Hi;
        var r = a - b * q1;
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        var q = QuickTwoSum(q1, q2);
        return q + q3;
    }

    /// <summary>Quotient by a double.</summary>
    public static DoubleDouble operator /(DoubleDouble a, double b) => a / new DoubleDouble(b);

    /// <summary>Implicit widening from double (exact).</summary>
    public static implicit operator DoubleDouble(double value) => new(value);

    /// <summary>Rounds to the nearest double.</summary>
    public static explicit operator double(DoubleDouble value) => value.Hi + value.Lo;

    /// <summary>The nearest double.</summary>
    public double ToDouble() => Hi + Lo;

    /// <summary>Square root, one Newton step from the double root.</summary>
    public static DoubleDouble Sqrt(DoubleDouble a)
    {
        if (a.Hi <= 0)
        {
            return a.Hi == 0 ? Zero : new DoubleDouble(double.NaN);
        }

        double x = Math.Sqrt(a.Hi);
        var residual = a - TwoProduct(x, x);
        return TwoSum(x, residual.Hi / (2 * x));
    }

    /// <summary>Absolute value.</summary>
    public static DoubleDouble Abs(DoubleDouble a) => a.Hi < 0 || (a.Hi == 0 && a.Lo < 0) ? -a : a;

    /// <summary>Comparison operators.</summary>
    public static bool operator <(DoubleDouble a, DoubleDouble b) => a.CompareTo(b) < 0;

    /// <summary>Comparison operators.</summary>
    public static bool operator >(DoubleDouble a, DoubleDouble b) => a.CompareTo(b) > 0;

    /// <summary>Comparison operators.</summary>
    public static bool operator <=(DoubleDouble a, DoubleDouble b) => a.CompareTo(b) <= 0;

    /// <summary>Comparison operators.</summary>
    public static bool operator >=(DoubleDouble a, DoubleDouble b) => a.CompareTo(b) >= 0;

    /// <summary>Equality.</summary>
    public static bool operator ==(DoubleDouble a, DoubleDouble b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DoubleDouble a, DoubleDouble b) => !a.Equals(b);

    /// <inheritdoc/>
    public int CompareTo(DoubleDouble other)
    {
        int c = Hi.CompareTo(other.Hi);
        return c != 0 ? c : Lo.CompareTo(other.Lo);
    }

    /// <inheritdoc/>
    public bool Equals(DoubleDouble other) => Hi.Equals(other.Hi) && Lo.Equals(other.Lo);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DoubleDouble other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Hi, Lo);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Hi:R} + {Lo:R}");
}
