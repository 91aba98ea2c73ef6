using LeastSquares.Terms;

namespace LeastSquares.Statistics;

/// <summary>
/// What one row tells about a least-squares fit, from the fit's unscaled covariance (XᵀX)⁻¹ and σ̂
/// alone, so that rows can be streamed past it in constant memory: the leverage h = xᵀ(XᵀX)⁻¹x
/// (R's <c>hatvalues</c>), the standardized residual e/(σ̂√(1 − h)) (<c>rstandard</c>), Cook's
/// distance e²·h/(p·σ̂²·(1 − h)²) (<c>cooks.distance</c>), and the intervals of
/// <c>predict.lm(interval = "confidence" | "prediction")</c>: ŷ ± t·σ̂·√h and ŷ ± t·σ̂·√(1 + h).
/// </summary>
/// <remarks>
/// For a row the model was fitted to these are R's values. For a new row, h is the same quadratic
/// form (it may exceed 1 far from the data), and the residual, standardized residual and Cook's
/// distance are those the row would have if it had been one of the fitted rows without changing the
/// fit: a measure of how far it lies from the model, not a leave-one-out statistic.
/// A weighted fit's prediction interval for a new row assumes weight 1, as R's does.
/// </remarks>
public sealed class Influence
{
    private readonly double[] _covariance; // row-major p×p, symmetric
    private readonly double _tQuantile;

    /// <summary>Creates the measures of a fit.</summary>
    /// <param name="unscaledCovariance">(XᵀX)⁻¹ in the user's basis (the model's coefficient order), p×p.</param>
    /// <param name="sigma">σ̂ = √(RSS/(n − p)).</param>
    /// <param name="residualDegreesOfFreedom">n − p, at least 1.</param>
    /// <param name="level">The intervals' level, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentException">A covariance that is not square, σ̂ negative or not finite, or no residual degrees of freedom.</exception>
    public Influence(double[,] unscaledCovariance, double sigma, long residualDegreesOfFreedom, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(unscaledCovariance);
        int p = unscaledCovariance.GetLength(0);
        if (p == 0 || unscaledCovariance.GetLength(1) != p)
        {
            throw new ArgumentException("The unscaled covariance must be a non-empty square matrix.", nameof(unscaledCovariance));
        }

        if (!(sigma >= 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ̂ must be a finite number, 0 or more.");
        }

        if (residualDegreesOfFreedom < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(residualDegreesOfFreedom), residualDegreesOfFreedom, "Intervals need at least one residual degree of freedom.");
        }

        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A level lies strictly between 0 and 1.");
        }

        _covariance = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                // Symmetrised, so that the quadratic form can use one triangle.
                _covariance[(i * p) + j] = 0.5 * (unscaledCovariance[i, j] + unscaledCovariance[j, i]);
            }
        }

        CoefficientCount = p;
        Sigma = sigma;
        ResidualDegreesOfFreedom = residualDegreesOfFreedom;
        Level = level;
        _tQuantile = StudentTDistribution.Quantile(0.5 + (level / 2), residualDegreesOfFreedom);
    }

    /// <summary>Number of coefficients p (the intercept included).</summary>
    public int CoefficientCount { get; }

    /// <summary>σ̂.</summary>
    public double Sigma { get; }

    /// <summary>n − p.</summary>
    public long ResidualDegreesOfFreedom { get; }

    /// <summary>The intervals' level.</summary>
    public double Level { get; }

    /// <summary>The t quantile of the intervals, t(1 − (1 − level)/2, n − p).</summary>
    public double TQuantile => _tQuantile;

    /// <summary>
    /// The features x of a row in the model's coefficient order: 1 for the intercept (when the model
    /// has one), then each term's features in the user's basis.
    /// </summary>
    /// <param name="terms">The model's terms.</param>
    /// <param name="predictors">The row's values of <see cref="ModelTerms.Predictors"/>.</param>
    /// <param name="features">p values.</param>
    public static void Features(ModelTerms terms, ReadOnlySpan<double> predictors, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(terms);
        int j = 0;
        if (terms.Intercept)
        {
            features[0] = 1;
            j = 1;
        }

        // Around centre 0 a term's working features are the user's features.
        terms.WorkingFeatures(predictors, 0, features.Slice(j, terms.FeatureCount));
    }

    /// <summary>The leverage h = xᵀ(XᵀX)⁻¹x of a row with features <paramref name="features"/> (p values).</summary>
    public double Leverage(ReadOnlySpan<double> features)
    {
        int p = CoefficientCount;
        if (features.Length != p)
        {
            throw new ArgumentException($"A row has {p} features here, not {features.Length}.", nameof(features));
        }

        var c = _covariance.AsSpan();
        double diagonal = 0;
        double off = 0;
        for (int i = 0; i < p; i++)
        {
            double xi = features[i];
            var row = c.Slice(i * p, p);
            diagonal += row[i] * xi * xi;
            double s = 0;
            for (int j = i + 1; j < p; j++)
            {
                s += row[j] * features[j];
            }

            off += xi * s;
        }

        return Math.Max(diagonal + (2 * off), 0);
    }

    /// <summary>The standard error of the fitted value, σ̂·√h (<c>predict(se.fit = TRUE)$se.fit</c>).</summary>
    public double StandardErrorOfFit(double leverage) => Sigma * Math.Sqrt(leverage);

    /// <summary>The confidence interval of the mean response at a row: ŷ ± t·σ̂·√h.</summary>
    public (double Lower, double Upper) ConfidenceInterval(double prediction, double leverage)
    {
        double half = _tQuantile * Sigma * Math.Sqrt(leverage);
        return (prediction - half, prediction + half);
    }

    /// <summary>The prediction interval of a new observation at a row: ŷ ± t·σ̂·√(1 + h) (weight 1).</summary>
    public (double Lower, double Upper) PredictionInterval(double prediction, double leverage)
    {
        double half = _tQuantile * Sigma * Math.Sqrt(1 + leverage);
        return (prediction - half, prediction + half);
    }

    /// <summary>The standardized residual e/(σ̂√(1 − h)); NaN when h is 1 (or more), as R gives.</summary>
    public double StandardizedResidual(double residual, double leverage) =>
        leverage >= 1 ? double.NaN : residual / (Sigma * Math.Sqrt(1 - leverage));

    /// <summary>Cook's distance r²·h/(p·(1 − h)), r the standardized residual; NaN when h is 1 (or more).</summary>
    public double CooksDistance(double residual, double leverage)
    {
        double r = StandardizedResidual(residual, leverage);
        return r * r * leverage / (CoefficientCount * (1 - leverage));
    }
}
