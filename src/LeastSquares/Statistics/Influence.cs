using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.Statistics;

/// <summary>What one row does to a least-squares fit: R's <c>hatvalues</c>, <c>rstandard</c> and <c>cooks.distance</c>.</summary>
/// <param name="Leverage">hᵢ = xᵢᵀ(XᵀX)⁻¹xᵢ, in [0, 1].</param>
/// <param name="StandardizedResidual">eᵢ/(σ̂·√(1 − hᵢ)); NaN when hᵢ = 1.</param>
/// <param name="CooksDistance">rᵢ²·hᵢ/(p·(1 − hᵢ)), rᵢ the standardized residual; NaN when hᵢ = 1.</param>
public readonly record struct RowInfluence(double Leverage, double StandardizedResidual, double CooksDistance);

/// <summary>
/// Leverages, standardized residuals and Cook's distances of the rows of a fit, one row at a time
/// (a second pass over the rows needs this object and the row, nothing else): from the unscaled
/// covariance (XᵀX)⁻¹, σ̂ = √(SSE/(n − p)) and p, as R's <c>influence.measures</c> defines them
/// for an unweighted <c>lm</c>.
/// </summary>
public sealed class Influence
{
    private readonly double[,] _covariance;
    private readonly ModelTerms _terms;
    private readonly double[] _unit;

    /// <summary>Creates the measures of a fit with these terms, covariance, σ̂ and p.</summary>
    /// <param name="terms">The model's terms (to turn a row's predictors into its features).</param>
    /// <param name="unscaledCovariance">(XᵀX)⁻¹ in the user basis, p×p.</param>
    /// <param name="sigma">σ̂, the residual standard error.</param>
    /// <exception cref="ArgumentException">The covariance is not p×p, or σ̂ is not positive and finite.</exception>
    public Influence(ModelTerms terms, double[,] unscaledCovariance, double sigma)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(unscaledCovariance);
        int p = terms.CoefficientCount;
        if (unscaledCovariance.GetLength(0) != p || unscaledCovariance.GetLength(1) != p)
        {
            throw new ArgumentException($"The covariance must be {p}×{p}, one row and column per coefficient.", nameof(unscaledCovariance));
        }

        if (!(sigma >= 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentException("σ̂ must be a finite number ≥ 0.", nameof(sigma));
        }

        _terms = terms;
        _covariance = unscaledCovariance;
        _unit = new double[terms.FeatureCount];
        Sigma = sigma;
    }

    /// <summary>The measures of a least-squares fit; null when it has no covariance (a rank-deficient or penalized fit) or no residual degrees of freedom.</summary>
    public static Influence? Of(FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.UnscaledCovariance is not { } covariance || fit.Penalty is not null || fit.ResidualDegreesOfFreedom <= 0)
        {
            return null;
        }

        return new Influence(fit.Terms, covariance, Math.Sqrt(fit.SumOfSquaredErrors / fit.ResidualDegreesOfFreedom));
    }

    /// <summary>σ̂, the residual standard error.</summary>
    public double Sigma { get; }

    /// <summary>p, the number of coefficients.</summary>
    public int Parameters => _terms.CoefficientCount;

    /// <summary>
    /// Writes the features xᵢ of a row in the user basis (1 for the intercept first, then one value
    /// per coefficient) into <paramref name="features"/>: feature j is what the model with a single
    /// coefficient 1 at j predicts for the row, so every term kind is covered as prediction covers it.
    /// </summary>
    /// <param name="predictors">The row's values of <see cref="ModelTerms.Predictors"/>.</param>
    /// <param name="features">p values.</param>
    public void Features(ReadOnlySpan<double> predictors, Span<double> features)
    {
        if (features.Length != Parameters)
        {
            throw new ArgumentException($"A row has {Parameters} features, not {features.Length}.", nameof(features));
        }

        int first = 0;
        if (_terms.Intercept)
        {
            features[0] = 1;
            first = 1;
        }

        for (int j = 0; j < _unit.Length; j++)
        {
            _unit[j] = 1;
            DoubleDouble sum = DoubleDouble.Zero;
            _terms.AddPrediction(predictors, _unit, ref sum);
            features[first + j] = sum.ToDouble();
            _unit[j] = 0;
        }
    }

    /// <summary>hᵢ = xᵀ(XᵀX)⁻¹x for a row's features <paramref name="features"/> (p values, as <see cref="Features"/> writes them).</summary>
    public double Leverage(ReadOnlySpan<double> features)
    {
        if (features.Length != Parameters)
        {
            throw new ArgumentException($"A row has {Parameters} features, not {features.Length}.", nameof(features));
        }

        // Compensated: the quadratic form of a small leverage can cancel between the terms.
        DoubleDouble h = DoubleDouble.Zero;
        for (int i = 0; i < features.Length; i++)
        {
            DoubleDouble row = DoubleDouble.Zero;
            for (int j = 0; j < features.Length; j++)
            {
                row += DoubleDouble.TwoProduct(_covariance[i, j], features[j]);
            }

            h += row * features[i];
        }

        return Math.Clamp(h.ToDouble(), 0, 1);
    }

    /// <summary>The measures of a row with features <paramref name="features"/> and residual <paramref name="residual"/> = y − ŷ.</summary>
    public RowInfluence Of(ReadOnlySpan<double> features, double residual)
    {
        double h = Leverage(features);
        double r = StandardizedResidual(residual, h);
        return new RowInfluence(h, r, CooksDistance(r, h, Parameters));
    }

    /// <summary>eᵢ/(σ̂·√(1 − hᵢ)); NaN when hᵢ = 1 (the row is fitted exactly, whatever its y) or σ̂ = 0.</summary>
    public double StandardizedResidual(double residual, double leverage) =>
        leverage >= 1 || Sigma == 0 ? double.NaN : residual / (Sigma * Math.Sqrt(1 - leverage));

    /// <summary>Cook's distance rᵢ²·hᵢ/(p·(1 − hᵢ)) from the standardized residual and the leverage.</summary>
    public static double CooksDistance(double standardizedResidual, double leverage, int parameters) =>
        leverage >= 1 ? double.NaN : standardizedResidual * standardizedResidual * leverage / (parameters * (1 - leverage));

    /// <summary>
    /// The standardized residual at which Cook's distance equals <paramref name="distance"/> for a
    /// row of leverage <paramref name="leverage"/>: √(D·p·(1 − h)/h), the contour plot.lm draws.
    /// </summary>
    public static double CooksContour(double distance, double leverage, int parameters) =>
        Math.Sqrt(distance * parameters * (1 - leverage) / leverage);
}
