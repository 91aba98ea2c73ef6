using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Terms;

/// <summary>
/// The solve-time step of R's orthogonal <c>poly(x, d)</c>: from the moments of the raw powers of x
/// (Σ xᵏ for k up to 2d, all in the state) it computes R's α and ‖pₖ‖², then carries the state to
/// the orthogonal basis by the triangular change of basis u = C·(1, x, …, xᵈ), so that every
/// solver and every statistic (standard errors, t, p, the summary) is that of R's parametrisation.
/// </summary>
/// <remarks>
/// The monic polynomials pₖ are built by Stieltjes' recurrence in powers of t = x − x̄, their inner
/// products taken from the centred moments Σ tᵏ, all in double-double (about 32 digits). Moments
/// are a poorly conditioned route to orthogonal polynomials, and so is the map from the raw powers
/// to the centred ones when x is far from 0 relative to its spread; the digits lost grow with the
/// degree and with |x̄|/sd(x), and double-double leaves room for them: for degrees up to 5 or so on
/// data like R's datasets the result agrees with R's QR-based <c>poly()</c> to 13 digits or more.
/// </remarks>
public static class OrthogonalPolynomials
{
    /// <summary>
    /// The moments carried to the orthogonal basis of every orthogonal polynomial of the model, with
    /// the fitted terms (each holding its α and norm2); the moments unchanged when there is none.
    /// </summary>
    /// <exception cref="SingularDesignException">A polynomial whose degree is not below the number of distinct values of its argument.</exception>
    public static Moments Fit(Moments raw) => Fit(raw, []);

    /// <summary>
    /// As <see cref="Fit(Moments)"/>, but each polynomial's basis comes from the first of
    /// <paramref name="frames"/> that has an unfitted polynomial of the same label (moments of other
    /// rows: R evaluates <c>poly(x, d)</c> on its model frame, before rows with a missing cell
    /// elsewhere are dropped), from <paramref name="raw"/> itself when none has. The moments carried
    /// are always <paramref name="raw"/>'s: the fit is of its rows, in that basis.
    /// </summary>
    /// <exception cref="SingularDesignException">A polynomial whose degree is not below the number of distinct values of its argument.</exception>
    public static Moments Fit(Moments raw, IReadOnlyList<Moments> frames)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(frames);
        var terms = raw.Terms;
        if (!terms.HasUnfittedPolynomials)
        {
            return raw;
        }

        var fitted = terms.TermList.ToArray();
        for (int t = 0; t < fitted.Length; t++)
        {
            if (fitted[t] is OrthogonalPolyTerm { Basis: null } poly)
            {
                var (source, first, own) = (raw, terms.FirstFeatureOf(t), poly);
                foreach (var frame in frames)
                {
                    int u = frame.Terms.TermList.ToList().FindIndex(f => f is OrthogonalPolyTerm { Basis: null } p && p.Label == poly.Label);
                    if (u >= 0)
                    {
                        (source, first, own) = (frame, frame.Terms.FirstFeatureOf(u), (OrthogonalPolyTerm)frame.Terms.TermList[u]);
                        break;
                    }
                }

                fitted[t] = poly.WithBasis(Basis(source, first, own, own.UsesCentre ? source.Centre : 0));
            }
        }

        return Transform(raw, terms.WithTerms(fitted));
    }

    /// <summary>
    /// Moments of the raw powers (e.g. a cross-validation fold's) carried to the orthogonal basis of
    /// <paramref name="fitted"/>, the same model whose polynomials have their basis.
    /// </summary>
    public static Moments Transform(Moments raw, ModelTerms fitted)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(fitted);
        int q = raw.FeatureCount;
        var l = new DoubleDouble[q, q];
        var s = new DoubleDouble[q];
        for (int j = 0; j < q; j++)
        {
            l[j, j] = DoubleDouble.One;
        }

        for (int t = 0; t < fitted.TermList.Count; t++)
        {
            if (fitted.TermList[t] is OrthogonalPolyTerm { Basis: { } basis } poly && raw.Terms.TermList[t] is OrthogonalPolyTerm { Basis: null })
            {
                var c = RawCoefficients(basis, poly.Degree, raw.Terms.TermList[t].UsesCentre ? raw.Centre : 0);
                int first = fitted.FirstFeatureOf(t);
                for (int k = 1; k <= poly.Degree; k++)
                {
                    s[first + k - 1] = c[k, 0];
                    for (int i = 1; i <= k; i++)
                    {
                        l[first + k - 1, first + i - 1] = c[k, i];
                    }
                }
            }
        }

        var moved = raw.Transform(l, s, 0);
        return new Moments(fitted, 0, moved.Count, moved.Mean, moved.Co, moved.Weights);
    }

    /// <summary>
    /// R's α and norm2 for the polynomial whose powers (x − <paramref name="centre"/>)ʲ are features
    /// first … first + d − 1 of the moments.
    /// </summary>
    private static PolyBasis Basis(Moments m, int first, OrthogonalPolyTerm poly, double centre)
    {
        int d = poly.Degree;
        long n = m.Count;
        var power = RawPowerSums(m, first, d);
        var mean = power[1] / n;
        var centred = CentredSums(power, mean);

        // Sums of powers far from 0 cancel when they are centred: about 2d·log₁₀(1 + |t̄|/sd) of the
        // 32 digits the sums carry are lost. Past 20 the basis would not be good to 12 digits.
        double sd = Math.Sqrt(Math.Max(centred[2].Hi, 0) / n);
        if (sd > 0 && 2 * d * Math.Log10(1 + (Math.Abs(mean.Hi) / sd)) > 20)
        {
            throw new SingularDesignException(new PolynomialFarFromZero(poly.Label, d));
        }

        // Stieltjes: p₀ = 1, p₁ = t − a₀, pₖ₊₁ = (t − aₖ)·pₖ − (Nₖ/Nₖ₋₁)·pₖ₋₁, in coefficients of t.
        var alpha = new double[d];
        var norm2 = new double[d + 2];
        var exactAlpha = new DoubleDouble[d];
        var exactNorm2 = new DoubleDouble[d + 2];
        norm2[0] = 1;
        exactNorm2[0] = DoubleDouble.One;
        var previous = new DoubleDouble[d + 2];
        var current = new DoubleDouble[d + 2];
        current[0] = DoubleDouble.One;
        DoubleDouble lastNorm = DoubleDouble.One;
        for (int k = 0; k <= d; k++)
        {
            var norm = Inner(current, current, centred, k, 0);
            var scale = centred[2 * k];
            if (k > 0 && (norm.Hi <= 0 || norm.Hi < 1e-14 * Math.Abs(scale.Hi)))
            {
                throw new SingularDesignException(new PolynomialTooFewPoints(poly.Label, d));
            }

            norm2[k + 1] = norm.ToDouble();
            exactNorm2[k + 1] = norm;
            if (k == d)
            {
                break;
            }

            var a = Inner(current, current, centred, k, 1) / norm;
            exactAlpha[k] = a + mean + centre;
            alpha[k] = exactAlpha[k].ToDouble();
            var next = new DoubleDouble[d + 2];
            var ratio = k == 0 ? DoubleDouble.Zero : norm / lastNorm;
            for (int j = 0; j <= k + 1; j++)
            {
                var v = (j > 0 ? current[j - 1] : DoubleDouble.Zero) - (a * current[j]) - (ratio * previous[j]);
                next[j] = v;
            }

            previous = current;
            current = next;
            lastNorm = norm;
        }

        return new PolyBasis(alpha, norm2) { ExactAlpha = exactAlpha, ExactNorm2 = exactNorm2 };
    }

    /// <summary>Σ pᵢ·qⱼ·M_{i+j+extra} over the coefficients (degree ≤ <paramref name="degree"/>) of two polynomials in t.</summary>
    private static DoubleDouble Inner(DoubleDouble[] p, DoubleDouble[] q, DoubleDouble[] moments, int degree, int extra)
    {
        var sum = DoubleDouble.Zero;
        for (int i = 0; i <= degree; i++)
        {
            for (int j = 0; j <= degree; j++)
            {
                sum += p[i] * q[j] * moments[i + j + extra];
            }
        }

        return sum;
    }

    /// <summary>Σ tᵏ for k = 0..2d from the means and centred co-moments of the working powers t¹ … tᵈ.</summary>
    private static DoubleDouble[] RawPowerSums(Moments m, int first, int d)
    {
        long n = m.Count;
        var sums = new DoubleDouble[(2 * d) + 1];
        sums[0] = new DoubleDouble(n);
        for (int k = 1; k <= 2 * d; k++)
        {
            if (k <= d)
            {
                sums[k] = m.Mean[first + k - 1] * (double)n;
                continue;
            }

            // Σ xⁱ·xʲ = Cᵢⱼ + n·x̄ᵢ·x̄ⱼ with i + j = k, i and j as near k/2 as the degree allows.
            int i = Math.Min(d, (k + 1) / 2);
            int j = k - i;
            sums[k] = m.Co[first + i - 1, first + j - 1] + (m.Mean[first + i - 1] * m.Mean[first + j - 1] * (double)n);
        }

        return sums;
    }

    /// <summary>Σ (x − c)ᵏ from Σ xʲ by the binomial theorem.</summary>
    private static DoubleDouble[] CentredSums(DoubleDouble[] power, DoubleDouble c)
    {
        var centred = new DoubleDouble[power.Length];
        for (int k = 0; k < power.Length; k++)
        {
            var sum = DoubleDouble.Zero;
            double binom = 1;
            var negPower = DoubleDouble.One; // (−c)^(k − j), built from j = k down
            for (int j = k; j >= 0; j--)
            {
                sum += power[j] * negPower * binom;
                binom = binom * j / (k - j + 1);
                negPower *= -c;
            }

            centred[k] = sum;
        }

        return centred;
    }

    /// <summary>
    /// C[k, i]: the coefficient of tⁱ (t = x − <paramref name="centre"/>) in pₖ(x)/‖pₖ‖ (k = 1..d), from α and norm2 by the recurrence
    /// predict uses (their double-double values from the fit when the basis has them).
    /// </summary>
    internal static DoubleDouble[,] RawCoefficients(PolyBasis basis, int d, double centre)
    {
        // In t = x − centre: x − αₖ = t − (αₖ − centre), the difference exact in double-double.
        var p = new DoubleDouble[d + 1, d + 1];
        p[0, 0] = DoubleDouble.One;
        p[1, 1] = DoubleDouble.One;
        DoubleDouble Alpha(int k) => basis.ExactAlpha is { } exact ? exact[k] - centre : DoubleDouble.TwoDiff(basis.Alpha[k], centre);
        DoubleDouble Norm2(int k) => basis.ExactNorm2 is { } exact ? exact[k] : new DoubleDouble(basis.Norm2[k]);
        p[1, 0] = -Alpha(0);
        for (int k = 1; k < d; k++)
        {
            var ratio = Norm2(k + 1) / Norm2(k);
            var alpha = Alpha(k);
            for (int i = 0; i <= k + 1; i++)
            {
                var v = (i > 0 ? p[k, i - 1] : DoubleDouble.Zero) - (p[k, i] * alpha) - (ratio * p[k - 1, i]);
                p[k + 1, i] = v;
            }
        }

        var c = new DoubleDouble[d + 1, d + 1];
        for (int k = 1; k <= d; k++)
        {
            var norm = DoubleDouble.Sqrt(Norm2(k + 1));
            for (int i = 0; i <= k; i++)
            {
                c[k, i] = p[k, i] / norm;
            }
        }

        return c;
    }
}
