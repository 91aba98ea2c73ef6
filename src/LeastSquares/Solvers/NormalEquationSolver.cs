using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>
/// The closed-form least-squares solution from the normal equations, solved by Cholesky in
/// double-double on the centred, equilibrated moments (never an explicit inverse for the
/// solution). Accurate to about 12–15 digits even on NIST's hardest sets.
/// </summary>
internal static class NormalEquationSolver
{
    /// <summary>
    /// Solves the model of <paramref name="moments"/>; with <paramref name="covariance"/>, forms
    /// (XᵀX)⁻¹ too (<see cref="SolverOptions.Covariance"/>).
    /// </summary>
    /// <exception cref="InsufficientDataException">Fewer rows than coefficients.</exception>
    /// <exception cref="SingularDesignException">Constant or collinear columns.</exception>
    public static Solution Solve(Moments moments, bool covariance = true)
    {
        ArgumentNullException.ThrowIfNull(moments);
        Solution.CheckRows(moments);
        var terms = moments.Terms;
        if (!terms.Intercept)
        {
            return SolveWithoutIntercept(moments, covariance);
        }

        var system = WorkingSystem.Create(moments, terms.Intercept, terms.FeatureNames);
        var (intercept, slopes) = system.Solve();
        var sse = Mse.SumOfSquares(moments, intercept, slopes);
        return new Solution("normal", moments, moments, intercept, slopes, sse, covariance ? system.UnscaledCovariance() : null) { System = system };
    }

    // Without an intercept the Gram matrix of the raw columns (the powers xʲ of a polynomial) can
    // be far worse conditioned than the centred one: x in [1000, 1006] with degree 4 loses 9 digits
    // that way even in double-double. Instead the triangular factor of [1, g, y] is built from the
    // centred moments, moved to the raw basis (R·T, still triangular) and the column of ones is
    // rotated out, so the error grows with the condition of the raw design, not its square.
    private static Solution SolveWithoutIntercept(Moments moments, bool covariance)
    {
        int q = moments.FeatureCount;
        var factor = TriangularFactor.FromMoments(moments).Rebase(0, new double[q + 1]);
        var work = moments.Recentre(0);
        var (_, slopes, inverse) = TriangularSystem.Solve(factor, work, covariance);
        var sse = Mse.SumOfSquares(work, DoubleDouble.Zero, slopes);
        return new Solution("normal", moments, work, DoubleDouble.Zero, slopes, sse, inverse);
    }
}
