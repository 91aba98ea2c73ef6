using LeastSquares.Numerics;
using MathNet.Numerics;

namespace LeastSquares.Statistics;

/// <summary>
/// The regularized incomplete beta function I_x(a, b) and its complement, both with small
/// relative error, from an argument given as the pair (x, y = 1 − x) so that neither loses
/// digits to the subtraction.
/// </summary>
/// <remarks>
/// I_x(a, b) = x^a·y^b / (a·B(a, b)) · K, where K is the continued fraction of the incomplete beta
/// (evaluated by the modified Lentz method where it converges fast, x below the mean
/// (a + 1)/(a + b + 2); otherwise the complement is taken from the mirrored fraction). The
/// prefactor is where plain formulas lose digits: for large a or b, a·log x and log B(a, b) are
/// large and nearly cancel. Here it is written as exp(a·g(u/x₀) + b·g(−u/y₀)) times
/// x₀^a·y₀^b / B(a, b), with x₀ = a/(a + b), y₀ = b/(a + b), u = x − x₀ formed in double-double and
/// g(t) = log(1 + t) − t; the second factor comes from Stirling's series with the large
/// logarithms cancelled by hand, so every term stays of moderate size.
/// </remarks>
public static class IncompleteBeta
{
    /// <summary>I_x(a, b) where x = <paramref name="x"/>, 1 − x = <paramref name="y"/>.</summary>
    public static double Regularized(double a, double b, double x, double y) => Both(a, b, x, y).Lower;

    /// <summary>1 − I_x(a, b) = I_y(b, a), computed directly (no subtraction from 1).</summary>
    public static double Complement(double a, double b, double x, double y) => Both(a, b, x, y).Upper;

    /// <summary>I_x(a, b) and 1 − I_x(a, b); the smaller of the two is computed directly.</summary>
    public static (double Lower, double Upper) Both(double a, double b, double x, double y)
    {
        if (!(a > 0) || !(b > 0) || double.IsInfinity(a) || double.IsInfinity(b))
        {
            throw new ArgumentOutOfRangeException(nameof(a), "The parameters of the incomplete beta function must be positive and finite.");
        }

        if (!(x >= 0) || !(y >= 0) || Math.Abs(x + y - 1) > 1e-12)
        {
            throw new ArgumentOutOfRangeException(nameof(x), "The argument must lie in [0, 1], given as x and 1 − x.");
        }

        if (x == 0)
        {
            return (0, 1);
        }

        if (y == 0)
        {
            return (1, 0);
        }

        var (logLower, logUpper, _) = Logs(a, b, new DoubleDouble(x), new DoubleDouble(y));
        return (Math.Exp(logLower), Math.Exp(logUpper));
    }

    /// <summary>
    /// log I_x(a, b), log(1 − I_x(a, b)) and log(x^a·y^b / B(a, b)), for 0 &lt; x &lt; 1; in
    /// logarithms so that tails far below the smallest double keep their value (quantiles at
    /// 1e-300 need them).
    /// </summary>
    internal static (double LogLower, double LogUpper, double LogPrefactor) Logs(double a, double b, DoubleDouble x, DoubleDouble y)
    {
        if (x.Hi == 0 || y.Hi == 0)
        {
            return x.Hi == 0 ? (double.NegativeInfinity, 0, double.NegativeInfinity) : (0, double.NegativeInfinity, double.NegativeInfinity);
        }

        double logPrefactor = LogPrefactor(a, b, x, y);
        if (x.Hi * (a + b + 2) < a + 1)
        {
            double logLower = logPrefactor - Math.Log(a) + Math.Log(ContinuedFraction(a, b, x));
            return (logLower, Log1p(-Math.Exp(logLower)), logPrefactor);
        }

        double logUpper = logPrefactor - Math.Log(b) + Math.Log(ContinuedFraction(b, a, y));
        return (Log1p(-Math.Exp(logUpper)), logUpper, logPrefactor);
    }

    /// <summary>log(x^a·y^b / B(a, b)), with a small absolute error.</summary>
    internal static double LogPrefactor(double a, double b, DoubleDouble x, DoubleDouble y)
    {
        if (a < Large && b < Large)
        {
            // Every logarithm is of moderate size: a·log x loses at most a few units of 1e-16·a.
            return (a * Log(x)) + (b * Log(y)) - LogBeta(a, b);
        }

        // x₀ = a/(a + b) and the offset u = x − x₀, in double-double so that u keeps its digits.
        var x0 = new DoubleDouble(a) / (a + b);
        var y0 = new DoubleDouble(b) / (a + b);
        double u = (x.Hi <= y.Hi ? x - x0 : y0 - y).ToDouble();
        double exponent = (a * OffsetLog(x, x0, u)) + (b * OffsetLog(y, y0, -u));
        return exponent + LogModePrefactor(a, b);
    }

    /// <summary>
    /// log(v/v₀) − d/v₀ where v = v₀ + d:
    /// from the series where v is near v₀, else from the ratio (whose logarithm then dominates).
    /// </summary>
    private static double OffsetLog(DoubleDouble v, DoubleDouble v0, double d)
    {
        double t = d / v0.Hi;
        return Math.Abs(t) <= 0.5 ? Log1pMinus(t) : Log(v / v0) - t;
    }

    /// <summary>log v of a double-double v &gt; 0: the logarithm of its high part, corrected by its low part.</summary>
    private static double Log(DoubleDouble v) => Math.Log(v.Hi) + Log1p(v.Lo / v.Hi);

    /// <summary>log(x₀^a·y₀^b / B(a, b)) at x₀ = a/(a + b), for max(a, b) ≥ <see cref="Large"/>.</summary>
    private static double LogModePrefactor(double a, double b)
    {
        if (a < b)
        {
            (a, b) = (b, a);
        }

        // a is large. a·log x₀ + b·log y₀ − log B(a, b), with log Γ(a) − log Γ(a + b) from
        // Stirling's formula: the terms of size a·log a cancel exactly on paper.
        double common = (-0.5 * Log1p(b / a)) - StirlingRemainder(a) + StirlingRemainder(a + b);
        if (b >= Large)
        {
            return common + (0.5 * Math.Log(b)) - (0.5 * Log2Pi) - StirlingRemainder(b);
        }

        return common + (b * Math.Log(b)) - b - LogGamma(b);
    }

    /// <summary>log B(a, b) for a, b below <see cref="Large"/>.</summary>
    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>
    /// log Γ(z) for 0 &lt; z &lt; 2·<see cref="Large"/>. Whole and half-whole z (every z = df/2 that
    /// a fit produces) are exact products times a power of √π, good to a few units in the last
    /// place; other values come from MathNet's Lanczos approximation (about 1e-15 absolute).
    /// </summary>
    internal static double LogGamma(double z)
    {
        double twice = 2 * z;
        if (twice != Math.Floor(twice) || z >= 2 * Large)
        {
            return SpecialFunctions.GammaLn(z);
        }

        // Γ(n) = (n − 1)!; Γ(n + ½) = √π · ½ · 3/2 · … · (n − ½).
        bool half = twice % 2 == 1;
        double product = 1;
        for (double k = half ? 0.5 : 1; k < z; k++)
        {
            product *= k;
        }

        return Math.Log(product) + (half ? 0.5 * Math.Log(Math.PI) : 0);
    }

    /// <summary>ω(z) = log Γ(z) − ((z − ½)·log z − z + ½·log 2π), for z ≥ 10, from Stirling's series.</summary>
    private static double StirlingRemainder(double z)
    {
        double r = 1 / z;
        double r2 = r * r;
        // Coefficients B₂ₖ / (2k(2k − 1)), k = 1..8; the 9th term is below 1e-18 at z = 10.
        double sum = -3617.0 / 122400;
        sum = (sum * r2) + (1.0 / 156);
        sum = (sum * r2) - (691.0 / 360360);
        sum = (sum * r2) + (1.0 / 1188);
        sum = (sum * r2) - (1.0 / 1680);
        sum = (sum * r2) + (1.0 / 1260);
        sum = (sum * r2) - (1.0 / 360);
        sum = (sum * r2) + (1.0 / 12);
        return sum * r;
    }

    /// <summary>g(t) = log(1 + t) − t, accurate for small t too.</summary>
    private static double Log1pMinus(double t)
    {
        if (Math.Abs(t) > 0.25)
        {
            return Log1p(t) - t;
        }


        // −t²/2 + t³/3 − …, written with s = t/(2 + t): log(1 + t) = 2·atanh(s).
        double s = t / (2 + t);
        double s2 = s * s;
        double sum = 0;
        double power = s2;
        for (int k = 3; k < 60; k += 2)
        {
            double term = power / k;
            sum += term;
            if (term < 1e-18 * Math.Abs(sum))
            {
                break;
            }

            power *= s2;
        }

        // log(1 + t) − t = 2s + 2s·Σ s^(2j)/(2j+1) − t, and 2s − t = −t·s.
        return (-t * s) + (2 * s * sum);
    }

    /// <summary>log(1 + t), accurate for small t (the runtime's LogP1 is log(1 + t) as written).</summary>
    internal static double Log1p(double t)
    {
        if (Math.Abs(t) <= 0.25)
        {
            return t + Log1pMinus(t);
        }

        // Goldberg's correction: u = 1 + t is rounded; log u is then off by about (u − 1 − t)/u.
        double u = 1 + t;
        return Math.Log(u) - ((u - 1 - t) / u);
    }

    /// <summary>The continued fraction of I_x(a, b) (modified Lentz).</summary>
    private static double ContinuedFraction(double a, double b, DoubleDouble x)
    {
        // In double-double: near the switch-over point the fraction is sensitive to x (by a factor
        // of about a), so rounding x or the recurrence to double would cost digits for large a.
        var one = DoubleDouble.One;
        DoubleDouble c = one;
        DoubleDouble d = one - (x * (a + b) / (a + 1));
        d = Math.Abs(d.Hi) < Tiny ? new DoubleDouble(Tiny) : d;
        d = one / d;
        DoubleDouble h = d;
        for (int m = 1; m < 10000; m++)
        {
            int m2 = 2 * m;
            DoubleDouble num = x * (new DoubleDouble(b) - m) * m / ((new DoubleDouble(a) + (m2 - 1)) * (a + m2));
            (c, d, _) = LentzStep(num, c, d);
            h *= d * c;
            num = -(x * (new DoubleDouble(a) + m) * (new DoubleDouble(a) + b + m) / ((new DoubleDouble(a) + m2) * (a + m2 + 1)));
            (c, d, var delta) = LentzStep(num, c, d);
            h *= delta;
            if (Math.Abs(delta.Hi - 1) < 1e-17)
            {
                break;
            }
        }

        return h.ToDouble();
    }

    private static (DoubleDouble C, DoubleDouble D, DoubleDouble Delta) LentzStep(DoubleDouble num, DoubleDouble c, DoubleDouble d)
    {
        d = DoubleDouble.One + (num * d);
        d = Math.Abs(d.Hi) < Tiny ? new DoubleDouble(Tiny) : d;
        c = DoubleDouble.One + (num / c);
        c = Math.Abs(c.Hi) < Tiny ? new DoubleDouble(Tiny) : c;
        d = DoubleDouble.One / d;
        return (c, d, d * c);
    }

    /// <summary>Below this a continued-fraction denominator counts as zero (modified Lentz).</summary>
    private const double Tiny = 1e-300;

    private const double Large = 10;
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
}
