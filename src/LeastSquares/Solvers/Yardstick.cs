using LeastSquares.Loss;

namespace LeastSquares.Solvers;

/// <summary>
/// What the tolerance measures the gradient against. ∇MSE at θ = 0 would not do: its intercept part is
/// 2ȳ, so for a response with a large mean (prices, counts, offsets) it dwarfs the slopes' part,
/// and a run would stop long before the slopes settle. So the two parts are judged apart: the
/// slopes' part against its size at the intercept-only fit (θ₀ = ȳ, slopes 0), which is
/// −2·cov(features, y) whatever ȳ is; the intercept's part against its size at θ = 0 (2|ȳ|),
/// or 2·sd(y) when larger.
/// </summary>
internal readonly record struct Yardstick(double Intercept, double Slopes)
{
    public static Yardstick For(MseQuadratic quadratic)
    {
        int m = quadratic.FeatureCount + 1;
        var theta = new double[m];
        var grad = new double[m];
        Mse.ValueAndGradient(quadratic, theta, grad);
        double atZeroIntercept = Math.Abs(grad[0]);
        double atZeroSlopes = SlopeNorm(grad);
        if (quadratic.Intercept)
        {
            theta[0] = quadratic.MeanY;
            Mse.ValueAndGradient(quadratic, theta, grad);
        }

        double slopes = SlopeNorm(grad) is > 0 and var s ? s : atZeroSlopes is > 0 ? atZeroSlopes : 1; // y ≡ ȳ: any other size will do

        // The intercept's part is 2|ȳ − θ₀ − …|: measured against 2|ȳ|, or against 2·sd(y)
        // when that is larger, so that a response centred near 0 (z-scores, residuals) is
        // not held to a size below the rounding of its own gradient.
        double spread = 2 * Math.Sqrt(Math.Max(quadratic.Cyy, 0));
        double intercept = Math.Max(atZeroIntercept, spread) is > 0 and var i ? i : slopes;
        return new Yardstick(intercept, slopes);
    }

    /// <summary>How far the gradient still is from convergence: 1 at the yardstick, tol when converged.</summary>
    public double Relative(double[] grad) =>
        Math.Max(Intercept > 0 ? Math.Abs(grad[0]) / Intercept : 0, SlopeNorm(grad) / Slopes);

    private static double SlopeNorm(double[] grad) => IterationLoop.Norm(grad.AsSpan(1));
}
