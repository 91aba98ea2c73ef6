using LeastSquares.Loss;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>
/// The closed-form least-squares solution from the triangular factor R of the augmented design
/// (<see cref="TriangularFactor"/>), accumulated by Householder reflections in double-double: the
/// normal equations are never formed, so the error grows with the condition number of X rather
/// than its square. β solves the triangular system of the centred block of R; the residual sum of
/// squares is R²_yy; (XᵀX)⁻¹ = R⁻¹R⁻ᵀ.
/// </summary>
internal static class QrSolver
{
    /// <summary>Solves the model of <paramref name="factor"/>; (XᵀX)⁻¹ too with <paramref name="covariance"/>.</summary>
    /// <exception cref="InsufficientDataException">Fewer rows than coefficients.</exception>
    /// <exception cref="SingularDesignException">Constant or collinear columns (named).</exception>
    public static Solution Solve(TriangularFactor factor, bool covariance = true)
    {
        ArgumentNullException.ThrowIfNull(factor);
        var moments = factor.ToMoments();
        Solution.CheckRows(moments);
        var (intercept, beta, inverse) = TriangularSystem.Solve(factor, moments, covariance);
        return new Solution("qr", moments, moments, intercept, beta, Mse.SumOfSquares(factor, intercept, beta), inverse)
        {
            // With the covariance the condition number is the explicit inverse's, as the normal
            // equations give it; without, R gives it at once (the moments' p×p matrix is never formed).
            Condition = covariance ? null : TriangularSystem.ConditionNumber(factor),
        };
    }
}
