using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares;

/// <summary>
/// A fitted linear model applied to new rows: ŷ = θᵀx, where x holds 1 for the intercept (when
/// the model has one) followed by the predictors, or by the powers x, x², …, xᴺ of the single
/// predictor of a polynomial.
/// </summary>
/// <remarks>
/// The sum is formed in double-double arithmetic (exact products, compensated sums) and rounded
/// once, so ŷ is the model's value at the row to within about one unit in the last place, however
/// much the terms cancel (a timestamp predictor near 1.7e9 against a large intercept, say).
/// </remarks>
public sealed class LinearModel
{
    private readonly double[] _coefficients;

    /// <summary>Creates a model from its terms and one coefficient per term.</summary>
    /// <param name="terms">The model's terms.</param>
    /// <param name="coefficients">The estimates, in the order of <see cref="ModelTerms.TermNames"/>.</param>
    /// <exception cref="ArgumentException">The number of coefficients differs from the number of terms, or one is not finite.</exception>
    public LinearModel(ModelTerms terms, IReadOnlyList<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count != terms.CoefficientCount)
        {
            throw new ArgumentException(
                $"The model has {terms.CoefficientCount} terms ({string.Join(", ", terms.TermNames)}) but {coefficients.Count} coefficients were given.",
                nameof(coefficients));
        }

        for (int j = 0; j < coefficients.Count; j++)
        {
            if (!double.IsFinite(coefficients[j]))
            {
                throw new ArgumentException($"The coefficient of term '{terms.TermNames[j]}' is not a finite number.", nameof(coefficients));
            }
        }

        Terms = terms;
        _coefficients = coefficients.ToArray();
    }

    /// <summary>The model's terms.</summary>
    public ModelTerms Terms { get; }

    /// <summary>The coefficients θ, in the order of <see cref="ModelTerms.TermNames"/>.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    /// <summary>The model of a fit.</summary>
    /// <param name="fit">A fit result.</param>
    /// <returns>
    /// The model with the fit's terms and coefficients; the aliased ones of a rank-deficient fit
    /// (<see cref="FitResult.Aliased"/>) are left out of predictions, as R's <c>predict.lm</c> does.
    /// </returns>
    public static LinearModel FromFit(FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return new LinearModel(fit.Terms, WithoutAliased(fit.Coefficients));
    }

    /// <summary>
    /// The coefficients with the aliased ones (NaN: R's NA in a rank-deficient fit, a saved model's
    /// null) set to 0, which leaves them out of a prediction as R's <c>predict.lm</c> does.
    /// </summary>
    public static IReadOnlyList<double> WithoutAliased(IReadOnlyList<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        return [.. coefficients.Select(c => double.IsNaN(c) ? 0 : c)];
    }

    /// <summary>The prediction ŷ = θᵀx for one row.</summary>
    /// <param name="predictors">The row's values of <see cref="ModelTerms.Predictors"/>, in that order (one value for a polynomial).</param>
    /// <returns>ŷ, rounded once from a double-double sum.</returns>
    /// <exception cref="ArgumentException"><paramref name="predictors"/> does not hold one value per predictor.</exception>
    public double Predict(ReadOnlySpan<double> predictors)
    {
        if (predictors.Length != Terms.Predictors.Count)
        {
            throw new ArgumentException(
                $"The model takes {Terms.Predictors.Count} predictor value(s) ({string.Join(", ", Terms.Predictors)}) but {predictors.Length} were given.",
                nameof(predictors));
        }

        int j = 0;
        DoubleDouble sum = DoubleDouble.Zero;
        if (Terms.Intercept)
        {
            sum = _coefficients[0];
            j = 1;
        }

        Terms.AddPrediction(predictors, _coefficients.AsSpan(j), ref sum);
        return sum.ToDouble();
    }

    /// <summary>
    /// A row's residual: its response (the transform of its target, as <see cref="ModelTerms.ResponseOf(ReadOnlySpan{double})"/>
    /// gives it) less the prediction. Every second pass over the rows takes the residual from here.
    /// </summary>
    /// <param name="row">The row's values of <see cref="ModelTerms.Predictors"/>, then its target value.</param>
    public double Residual(ReadOnlySpan<double> row) => Terms.ResponseOf(row) - Predict(row[..^1]);
}
