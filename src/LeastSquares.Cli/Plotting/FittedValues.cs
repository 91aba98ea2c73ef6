using LeastSquares.Numerics;

namespace LeastSquares.Cli.Plotting;

/// <summary>Evaluates a fitted model at given predictor values.</summary>
internal static class FittedValues
{
    /// <summary>
    /// ŷ = b₀ + Σ bⱼ·xⱼ (or b₀ + Σ bⱼ·xʲ for a polynomial), summed in double-double so that a large
    /// intercept cancelling a large slope term (timestamps as x) keeps its digits.
    /// </summary>
    public static double Predict(FitResult fit, ReadOnlySpan<double> predictors)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var terms = fit.Terms;
        var c = fit.Coefficients;
        int k = 0;
        var sum = DoubleDouble.Zero;
        if (terms.Intercept)
        {
            sum += c[k++];
        }

        if (terms.IsPolynomial)
        {
            var power = DoubleDouble.One;
            for (int j = 1; j <= terms.Degree; j++)
            {
                power *= predictors[0];
                sum += power * c[k++];
            }
        }
        else
        {
            for (int j = 0; j < terms.Predictors.Count; j++)
            {
                sum += DoubleDouble.TwoProduct(c[k++], predictors[j]);
            }
        }

        return sum.ToDouble();
    }
}
