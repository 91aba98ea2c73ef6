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
/// for an unweighted <c>lm</c>; and the intervals of <c>predict.lm(interval = "confidence" |
/// "prediction")</c> at a row, ŷ ± t·σ̂·√h and ŷ ± t·σ̂·√(1 + h).
/// </summary>
/// <remarks>
/// For a row the model was fitted to these are R's values. For a new row (<c>lsq predict</c>), h is
/// the same quadratic form (it can exceed 1 far outside the data), and the standardized residual and
/// Cook's distance are those the row would have among the fitted rows with the fit unchanged. A
/// weighted fit's prediction interval for a new row assumes weight 1, as R's does.
/// </remarks>
public sealed class Influence
{
    private readonly double[,] _covariance;
    private readonly ModelTerms _terms;
    private readonly LeverageForm? _form;

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
        _form = LeverageForm.Of(unscaledCovariance, terms.Intercept);
        Sigma = sigma;
        Rank = Enumerable.Range(0, p).Count(j => unscaledCovariance[j, j] != 0);
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
    /// The coefficients estimated: p less those aliased in a rank-deficient fit, whose rows and
    /// columns of the covariance are zero (R's rank, the p of Cook's distance).
    /// </summary>
    public int Rank { get; }

    /// <summary>
    /// Writes the features xᵢ of a row in the user basis (1 for the intercept first, then one value
    /// per coefficient) into <paramref name="features"/>: each term's working features around
    /// centre 0, which are its features in the user basis (see <see cref="Term.Recentre"/>). No
    /// state is kept, so one object serves several threads.
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

        _terms.WorkingFeatures(predictors, 0, features[first..]);
    }

    /// <summary>
    /// hᵢ = xᵀ(XᵀX)⁻¹x for a row's features <paramref name="features"/> (p values, as <see
    /// cref="Features"/> writes them); at most 1 for a fitted row, more for a new row far from the
    /// data. Within 1e-11 of the exact form of the covariance given: a row with few nonzero
    /// features (a design with factors: one per factor term) in double-double over those alone,
    /// O(nnz²); else in plain doubles from a factor of the centred covariance when a row's error
    /// bound allows (<see cref="LeverageForm"/>), else in double-double, O(p²).
    /// </summary>
    public double Leverage(ReadOnlySpan<double> features)
    {
        if (features.Length != Parameters)
        {
            throw new ArgumentException($"A row has {Parameters} features, not {features.Length}.", nameof(features));
        }

        // A row of a design with factors is 0 at every level but its own: its form over its few
        // nonzero features is the double-double form itself (the zeros add exact zeros), at
        // O(nnz²) instead of O(p²) however many levels there are.
        if (_terms.HasFactors)
        {
            int nonzeros = 0;
            for (int i = 0; i < features.Length; i++)
            {
                if (features[i] != 0)
                {
                    nonzeros++;
                }
            }

            if (nonzeros * nonzeros * SparseCost < features.Length * features.Length)
            {
                return SparseLeverage(features, nonzeros);
            }
        }

        if (_form is { } form && form.TryLeverage(features, out double fast))
        {
            return Math.Max(fast, 0);
        }

        return CompensatedLeverage(features);
    }

    /// <summary>
    /// How many plain multiply-adds one double-double product and sum costs, about: a row with
    /// nnz nonzero features goes the sparse way when nnz²·this is below p² (what the plain fast form costs).
    /// </summary>
    private const int SparseCost = 16;

    /// <summary>
    /// hᵢ over the <paramref name="nonzeros"/> nonzero features of a row, in double-double: the same
    /// sums as <see cref="CompensatedLeverage"/>, whose other terms are exact zeros.
    /// </summary>
    internal double SparseLeverage(ReadOnlySpan<double> features, int nonzeros)
    {
        Span<int> at = nonzeros <= 128 ? stackalloc int[nonzeros] : new int[nonzeros];
        int n = 0;
        for (int i = 0; i < features.Length && n < nonzeros; i++)
        {
            if (features[i] != 0)
            {
                at[n++] = i;
            }
        }

        DoubleDouble h = DoubleDouble.Zero;
        for (int a = 0; a < n; a++)
        {
            int i = at[a];
            DoubleDouble row = DoubleDouble.TwoProduct(_covariance[i, i], features[i]);
            for (int b = a + 1; b < n; b++)
            {
                int j = at[b];
                row += DoubleDouble.TwoProduct(2 * _covariance[i, j], features[j]);
            }

            h += row * features[i];
        }

        return Math.Max(h.ToDouble(), 0);
    }

    /// <summary>
    /// hᵢ as <see cref="Leverage"/> gives it, always in double-double (the reference the fast path
    /// is checked against; <see cref="Leverage"/> falls back to it for a row whose bound is not met).
    /// </summary>
    internal double CompensatedLeverage(ReadOnlySpan<double> features)
    {
        // Compensated: the quadratic form of a small leverage can cancel between the terms. The
        // covariance is symmetric, so each off-diagonal pair is one exact product of 2·C[i, j] (the
        // doubling is exact): p(p + 1)/2 products instead of p².
        DoubleDouble h = DoubleDouble.Zero;
        for (int i = 0; i < features.Length; i++)
        {
            DoubleDouble row = DoubleDouble.TwoProduct(_covariance[i, i], features[i]);
            for (int j = i + 1; j < features.Length; j++)
            {
                row += DoubleDouble.TwoProduct(2 * _covariance[i, j], features[j]);
            }

            h += row * features[i];
        }

        return Math.Max(h.ToDouble(), 0);
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

    /// <summary>The standard error of the fitted value at a row of leverage <paramref name="leverage"/>, σ̂·√h (<c>predict(se.fit = TRUE)$se.fit</c>).</summary>
    public double StandardErrorOfFit(double leverage) => Sigma * Math.Sqrt(leverage);

    /// <summary>The confidence interval of the mean response at a row, ŷ ± t·σ̂·√h; <paramref name="tQuantile"/> is t(1 − (1 − level)/2, n − p).</summary>
    public (double Lower, double Upper) ConfidenceInterval(double prediction, double leverage, double tQuantile)
    {
        double half = tQuantile * Sigma * Math.Sqrt(leverage);
        return (prediction - half, prediction + half);
    }

    /// <summary>The prediction interval of one new observation (weight 1) at a row, ŷ ± t·σ̂·√(1 + h).</summary>
    public (double Lower, double Upper) PredictionInterval(double prediction, double leverage, double tQuantile)
    {
        double half = tQuantile * Sigma * Math.Sqrt(1 + leverage);
        return (prediction - half, prediction + half);
    }

    /// <summary>
    /// The standardized residual at which Cook's distance equals <paramref name="distance"/> for a
    /// row of leverage <paramref name="leverage"/>: √(D·p·(1 − h)/h), the contour plot.lm draws.
    /// </summary>
    public static double CooksContour(double distance, double leverage, int parameters) =>
        Math.Sqrt(distance * parameters * (1 - leverage) / leverage);
}
