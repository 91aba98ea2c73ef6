namespace LeastSquares.Statistics;

/// <summary>Inference for one coefficient. Null where the quantity is undefined (no residual degrees of freedom).</summary>
public sealed record CoefficientStatistics(string Term, double Estimate, double? StandardError, double? T, double? PValue,
    double? ConfidenceLow, double? ConfidenceHigh);

/// <summary>
/// The classical summary of a least-squares fit, with the conventions of R's <c>summary.lm</c>:
/// σ̂² = SSE/(n − p); R² uncentred for a model without intercept; AIC and BIC from the Gaussian
/// log-likelihood with σ² counted as a parameter (k = p + 1), as R's <c>AIC</c> does. p-values
/// and the interval's t quantile come from <see cref="StudentTDistribution"/> and
/// <see cref="FDistribution"/>: 14 significant digits, tails down to 1e-300 rather than floored.
/// A fit that did not converge (gd or sgd stopped at its limit) is not the least-squares estimate
/// these assume: its standard errors, t, p, intervals and F are null.
/// </summary>
public sealed record RegressionStatistics
{
    /// <summary>Per-coefficient statistics in term order.</summary>
    public required IReadOnlyList<CoefficientStatistics> Coefficients { get; init; }

    /// <summary>R² (null for a constant response).</summary>
    public double? RSquared { get; init; }

    /// <summary>Adjusted R².</summary>
    public double? AdjustedRSquared { get; init; }

    /// <summary>√(SSE/(n − p)).</summary>
    public double? ResidualStandardError { get; init; }

    /// <summary>n − p.</summary>
    public long ResidualDegreesOfFreedom { get; init; }

    /// <summary>F statistic of the regression against the intercept-only (or zero) model.</summary>
    public double? FStatistic { get; init; }

    /// <summary>Numerator degrees of freedom of F.</summary>
    public int? FNumeratorDf { get; init; }

    /// <summary>p-value of F.</summary>
    public double? FPValue { get; init; }

    /// <summary>Gaussian log-likelihood at the estimate.</summary>
    public double? LogLikelihood { get; init; }

    /// <summary>Akaike information criterion, −2 log L + 2(p + 1).</summary>
    public double? Aic { get; init; }

    /// <summary>Bayesian information criterion, −2 log L + ln(n)(p + 1).</summary>
    public double? Bic { get; init; }

    /// <summary>Confidence level of the intervals.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// The covariance the standard errors, t, p, intervals and F come from: "classical"
    /// (σ̂²·(XᵀWX)⁻¹), or a robust one's label ("HC3", "HC1 clustered by firm (G = 50)").
    /// </summary>
    public string CovarianceType { get; init; } = "classical";

    /// <summary>
    /// Computes the summary of <paramref name="fit"/>. With <paramref name="robust"/>, the standard
    /// errors are the square roots of its diagonal, t, p and the intervals follow from them with
    /// n − p degrees of freedom (as <c>lmtest::coeftest</c> and <c>coefci</c> give them for an lm),
    /// and F is the Wald test that every slope is 0 under that covariance, W/k on (k, n − p)
    /// degrees of freedom (<c>lmtest::waldtest(m, vcov = V, test = "F")</c>).
    /// </summary>
    public static RegressionStatistics Compute(FitResult fit, double confidenceLevel = 0.95, RobustCovariance? robust = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "A confidence level lies strictly between 0 and 1.");
        }

        bool inference = fit.Converged;
        long n = fit.Count;
        int p = fit.Rank; // the coefficients estimated: R's rank, all of them at full rank
        long df = n - p;
        double sse = fit.SumOfSquaredErrors;
        double sst = fit.TotalSumOfSquares;
        bool intercept = fit.Terms.Intercept;
        // A penalized fit is biased on purpose: σ² from n − p, standard errors, t, p, F and the
        // likelihood of the least-squares model do not hold for it, so none is given.
        bool penalized = fit.Penalty is not null;
        double? sigma2 = df > 0 && !penalized ? sse / df : null;
        double? tQuantile = df > 0 ? StudentTDistribution.Quantile(0.5 + (confidenceLevel / 2), df) : null;
        var coefficients = new List<CoefficientStatistics>();
        for (int j = 0; j < fit.CoefficientCount; j++)
        {
            double b = fit.Coefficients[j];
            double? se = null, t = null, pv = null, lo = null, hi = null;
            if (inference && sigma2 is { } s2 && fit.UnscaledCovariance is { } cov && !double.IsNaN(b))
            {
                se = robust is null ? Math.Sqrt(s2 * Math.Max(cov[j, j], 0)) : Math.Sqrt(Math.Max(robust.Covariance[j, j], 0));
                t = b / se;
                pv = TwoSidedP(t.Value, df);
                if (double.IsNaN(t.Value))
                {
                    // 0/0: a zero estimate with a zero standard error (an exact fit) has no t.
                    t = null;
                    pv = null;
                }
                lo = b - (tQuantile!.Value * se.Value);
                hi = b + (tQuantile.Value * se.Value);
            }

            coefficients.Add(new CoefficientStatistics(fit.Terms.TermNames[j], b, se, t, pv, lo, hi));
        }

        double? r2 = sst > 0 ? 1 - (sse / sst) : null;
        int dfModel = p - (intercept ? 1 : 0);
        double? adj = r2 is { } r && df > 0 && !penalized ? 1 - ((1 - r) * (n - (intercept ? 1 : 0)) / df) : null;
        double? f = null, fp = null;
        if (inference && df > 0 && dfModel > 0 && sst > 0 && !penalized)
        {
            if (robust is not null)
            {
                f = WaldF(fit, robust.Covariance, dfModel);
                fp = f is { } wald ? FDistribution.UpperTail(wald, dfModel, df) : null;
            }
            else
            {
                f = (sst - sse) / dfModel / (sse / df);
                // A fit worse than the baseline (an unconverged gd run) has F ≤ 0: nothing is explained, p = 1.
                fp = sse == 0 ? 0 : f <= 0 ? 1 : FDistribution.UpperTail(f.Value, dfModel, df);
            }
        }

        // R's logLik.lm: 0.5·(Σ log w − n·(log 2π + 1 − log n + log Σw·r²)), n the rows of positive weight.
        double? logLik = sse > 0 && !penalized
            ? (0.5 * (fit.WeightLogSum ?? 0)) - (0.5 * n * (Math.Log(2 * Math.PI) + 1 - Math.Log(n) + Math.Log(sse)))
            : null;
        return new RegressionStatistics
        {
            Coefficients = coefficients,
            RSquared = r2,
            AdjustedRSquared = adj,
            ResidualStandardError = sigma2 is { } v ? Math.Sqrt(v) : null,
            ResidualDegreesOfFreedom = df,
            FStatistic = f,
            FNumeratorDf = dfModel > 0 ? dfModel : null,
            FPValue = fp,
            LogLikelihood = logLik,
            Aic = logLik is { } l ? (-2 * l) + (2 * (p + 1)) : null,
            Bic = logLik is { } l2 ? (-2 * l2) + (Math.Log(n) * (p + 1)) : null,
            ConfidenceLevel = confidenceLevel,
            CovarianceType = robust?.Label ?? "classical",
        };
    }

    /// <summary>
    /// bᵀV⁻¹b/k over the k slopes b (every coefficient but the intercept) with their block V of the
    /// covariance; null when V is not positive definite.
    /// </summary>
    private static double? WaldF(FitResult fit, double[,] covariance, int k)
    {
        int first = fit.Terms.Intercept ? 1 : 0;
        var l = new double[k, k];
        var b = new double[k];
        for (int i = 0; i < k; i++)
        {
            b[i] = fit.Coefficients[first + i];
            for (int j = 0; j <= i; j++)
            {
                double s = covariance[first + i, first + j];
                for (int m = 0; m < j; m++)
                {
                    s -= l[i, m] * l[j, m];
                }

                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(s);
                }
                else
                {
                    l[i, j] = s / l[j, j];
                }
            }
        }

        // W = ‖L⁻¹b‖² with V = LLᵀ.
        var z = new double[k];
        double w = 0;
        for (int i = 0; i < k; i++)
        {
            double s = b[i];
            for (int m = 0; m < i; m++)
            {
                s -= l[i, m] * z[m];
            }

            z[i] = s / l[i, i];
            w += z[i] * z[i];
        }

        return w / k;
    }

    /// <summary>P(|T| ≥ |t|) for Student's t with <paramref name="df"/> degrees of freedom.</summary>
    public static double TwoSidedP(double t, double df)
    {
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        if (double.IsInfinity(t))
        {
            return 0;
        }

        return StudentTDistribution.TwoSidedP(t, df);
    }
}
