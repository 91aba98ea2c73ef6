namespace LeastSquares.Loss;

/// <summary>
/// The elastic-net penalty added to half the mean squared error:
/// <code>
///   (1/(2n))·Σᵢ(yᵢ − β₀ − xᵢᵀβ)² + λ·(R·‖β‖₁ + (1 − R)/2·‖β‖²₂),
/// </code>
/// the intercept never penalized. R = 1 is the lasso, R = 0 ridge, anything between the elastic
/// net. This is scikit-learn's <c>ElasticNet(alpha=λ, l1_ratio=R)</c> and glmnet's objective.
/// </summary>
/// <remarks>
/// With <see cref="Standardize"/> the penalty falls on the coefficients of the columns divided
/// by their population standard deviation (glmnet's <c>standardize=TRUE</c>); the fit is still
/// reported in the columns' own units. The one-dimensional minimisers every penalized solver needs
/// are here: <see cref="Coordinate"/> (coordinate descent) and <see cref="Proximal"/> (a proximal
/// gradient step).
/// </remarks>
/// <param name="Lambda">λ ≥ 0, the overall strength.</param>
/// <param name="L1Ratio">R in [0, 1], the lasso's share.</param>
/// <param name="Standardize">Whether the penalty is on standardized coefficients.</param>
public sealed record Penalty(double Lambda, double L1Ratio, bool Standardize = true)
{
    /// <summary>The weight λ·R of ‖β‖₁.</summary>
    public double L1 => Lambda * L1Ratio;

    /// <summary>The weight λ·(1 − R) of ‖β‖²₂/2.</summary>
    public double L2 => Lambda * (1 - L1Ratio);

    /// <summary>ridge (R = 0), lasso (R = 1) or elasticnet.</summary>
    public string Kind => L1Ratio == 0 ? "ridge" : L1Ratio == 1 ? "lasso" : "elasticnet";

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for λ &lt; 0 or R outside [0, 1].</summary>
    public void Validate()
    {
        if (!(Lambda >= 0 && double.IsFinite(Lambda)))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "λ must be zero or positive.");
        }

        if (!(L1Ratio >= 0 && L1Ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(L1Ratio), L1Ratio, "The l1 ratio must lie in [0, 1].");
        }
    }

    /// <summary>The penalty λ·(R·‖b‖₁ + (1 − R)/2·‖b‖²₂) of coefficients <paramref name="b"/> (in the penalized scale).</summary>
    public double Value(ReadOnlySpan<double> b)
    {
        double l1 = 0, l2 = 0;
        foreach (var v in b)
        {
            l1 += Math.Abs(v);
            l2 += v * v;
        }

        return (L1 * l1) + (L2 * l2 / 2);
    }

    /// <summary>
    /// The minimiser over t of a·t²/2 − z·t + λ(R|t| + (1 − R)t²/2): soft-threshold z at λR and
    /// shrink by a + λ(1 − R). Exactly 0 when |z| ≤ λR; 0 too when the curvature is 0 (a constant column).
    /// </summary>
    public double Coordinate(double z, double curvature)
    {
        double denominator = curvature + L2;
        return denominator > 0 ? SoftThreshold(z, L1) / denominator : 0.0;
    }

    /// <summary>The proximal map of step·penalty at v: argmin over t of (t − v)²/(2·step) + penalty(t).</summary>
    public double Proximal(double v, double step) => SoftThreshold(v, step * L1) / (1 + (step * L2));

    /// <summary>sign(z)·max(|z| − t, 0), exactly 0 inside the threshold.</summary>
    public static double SoftThreshold(double z, double t) => z > t ? z - t : z < -t ? z + t : 0.0;
}
