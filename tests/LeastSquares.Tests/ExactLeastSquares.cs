using System.Numerics;

namespace LeastSquares.Tests;

/// <summary>
/// An independent reference: the exact least-squares solution of double data, computed in
/// rational arithmetic (BigInteger fractions) by Gaussian elimination on the normal equations.
/// No rounding anywhere, so its only error is the final conversion to double.
/// </summary>
internal static class ExactLeastSquares
{
    internal readonly record struct Fraction(BigInteger Num, BigInteger Den)
    {
        public static Fraction From(double v)
        {
            if (v == 0)
            {
                return new Fraction(0, 1);
            }

            long bits = BitConverter.DoubleToInt64Bits(v);
            bool negative = bits < 0;
            int exponent = (int)((bits >> 52) & 0x7FF);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            if (exponent == 0)
            {
                exponent++;
            }
            else
            {
                mantissa |= 1L << 52;
            }

            exponent -= 1075;
            BigInteger num = mantissa;
            BigInteger den = 1;
            if (exponent > 0)
            {
                num <<= exponent;
            }
            else
            {
                den <<= -exponent;
            }

            return Make(negative ? -num : num, den);
        }

        public static Fraction Make(BigInteger num, BigInteger den)
        {
            if (den.Sign < 0)
            {
                num = -num;
                den = -den;
            }

            var g = BigInteger.GreatestCommonDivisor(num, den);
            return g.IsOne || g.IsZero ? new Fraction(num, den) : new Fraction(num / g, den / g);
        }

        public static Fraction operator +(Fraction a, Fraction b) => Make((a.Num * b.Den) + (b.Num * a.Den), a.Den * b.Den);

        public static Fraction operator -(Fraction a, Fraction b) => Make((a.Num * b.Den) - (b.Num * a.Den), a.Den * b.Den);

        public static Fraction operator *(Fraction a, Fraction b) => Make(a.Num * b.Num, a.Den * b.Den);

        public static Fraction operator /(Fraction a, Fraction b) => Make(a.Num * b.Den, a.Den * b.Num);

        public double ToDouble()
        {
            // Scale so that the quotient has 64+ significant bits, then convert once.
            if (Num.IsZero)
            {
                return 0;
            }

            long shift = (long)(Den.GetBitLength() - BigInteger.Abs(Num).GetBitLength()) + 80;
            var q = shift >= 0 ? (Num << (int)shift) / Den : Num / (Den << (int)-shift);
            return Math.ScaleB((double)q, (int)-shift);
        }
    }

    /// <summary>Exact solution of min ‖Xθ − y‖ with X = [1?, features]; returns θ (intercept first) and the SSE.</summary>
    public static (double[] Theta, double Sse) Solve(double[][] features, double[] y, bool intercept) =>
        Solve(features.Select(r => r.Select(Fraction.From).ToArray()).ToArray(), y, intercept);

    /// <summary>
    /// Exact solution for the polynomial θ₀ + θ₁x + … + θ_d·xᵈ, with the powers of each double x
    /// formed exactly (not rounded to double), as lsq forms them.
    /// </summary>
    public static (double[] Theta, double Sse) SolvePolynomial(double[] x, double[] y, int degree, bool intercept)
    {
        var features = x.Select(v =>
        {
            var f = Fraction.From(v);
            var powers = new Fraction[degree];
            var power = f;
            for (int j = 0; j < degree; j++)
            {
                powers[j] = power;
                power *= f;
            }

            return powers;
        }).ToArray();
        return Solve(features, y, intercept);
    }

    private static (double[] Theta, double Sse) Solve(Fraction[][] features, double[] y, bool intercept)
    {
        int n = y.Length;
        int k = features[0].Length;
        int p = k + (intercept ? 1 : 0);
        var x = new Fraction[n][];
        var yy = new Fraction[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = new Fraction[p];
            int o = 0;
            if (intercept)
            {
                x[i][0] = new Fraction(1, 1);
                o = 1;
            }

            for (int j = 0; j < k; j++)
            {
                x[i][j + o] = features[i][j];
            }

            yy[i] = Fraction.From(y[i]);
        }

        var a = new Fraction[p, p + 1];
        for (int r = 0; r < p; r++)
        {
            for (int c = 0; c <= p; c++)
            {
                var s = new Fraction(0, 1);
                for (int i = 0; i < n; i++)
                {
                    s += x[i][r] * (c < p ? x[i][c] : yy[i]);
                }

                a[r, c] = s;
            }
        }

        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            while (a[pivot, col].Num.IsZero)
            {
                pivot++;
            }

            for (int c = 0; c <= p; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }

            for (int r = 0; r < p; r++)
            {
                if (r == col || a[r, col].Num.IsZero)
                {
                    continue;
                }

                var f = a[r, col] / a[col, col];
                for (int c = col; c <= p; c++)
                {
                    a[r, c] -= f * a[col, c];
                }
            }
        }

        var theta = new Fraction[p];
        for (int j = 0; j < p; j++)
        {
            theta[j] = a[j, p] / a[j, j];
        }

        var sse = new Fraction(0, 1);
        for (int i = 0; i < n; i++)
        {
            var r = yy[i];
            for (int j = 0; j < p; j++)
            {
                r -= x[i][j] * theta[j];
            }

            sse += r * r;
        }

        return (theta.Select(t => t.ToDouble()).ToArray(), sse.ToDouble());
    }
}
