using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>
/// What a solver found, in the working basis of <see cref="Work"/>: every solver returns one, and
/// <see cref="FitResultBuilder"/> alone turns it into a <see cref="FitResult"/> in the user's basis.
/// </summary>
/// <param name="Method">The method's name: normal, qr, gd or sgd.</param>
/// <param name="Moments">The moments of the rows, as given to the solver.</param>
/// <param name="Work">The moments in the basis the solution is expressed in (the same, or another centre).</param>
/// <param name="Intercept">θ₀ in that basis (0 without an intercept).</param>
/// <param name="Slopes">β in that basis.</param>
/// <param name="SumOfSquares">The residual sum of squares, from the loss module.</param>
/// <param name="Covariance">(XᵀX)⁻¹ in that basis, over (θ₀, β) or β alone without intercept; null when unknown.</param>
internal sealed record Solution(string Method, Moments Moments, Moments Work, DoubleDouble Intercept, DoubleDouble[] Slopes,
    DoubleDouble SumOfSquares, DoubleDouble[,]? Covariance)
{
    /// <summary>The factorised normal equations of <see cref="Work"/>, when the solver built them (spares the condition number a second factorisation).</summary>
    public WorkingSystem? System { get; init; }

    /// <summary>The condition number of the design, when the solver found it from its own factor; null: from the moments.</summary>
    public double? Condition { get; init; }

    /// <summary>Iterations (epochs for sgd) of an iterative method.</summary>
    public int? Iterations { get; init; }

    /// <summary>Whether the method met its criterion.</summary>
    public bool Converged { get; init; } = true;

    /// <summary>The solver's own warnings (before those of the design).</summary>
    public IReadOnlyList<FitWarning> Warnings { get; init; } = [];

    /// <summary>The penalty a penalized descent minimised with the MSE; null for least squares.</summary>
    public Loss.Penalty? Penalty { get; init; }

    /// <summary>Non-zero slopes of a penalized descent.</summary>
    public int? NonZero { get; init; }

    /// <summary>The per-iteration history, when asked for.</summary>
    public IReadOnlyList<IterationRecord>? Trace { get; init; }

    /// <summary>Throws unless there are at least as many rows as coefficients.</summary>
    public static void CheckRows(Moments moments)
    {
        if (moments.Count < moments.Terms.CoefficientCount)
        {
            throw new InsufficientDataException(moments.Count, moments.Terms.CoefficientCount);
        }
    }
}
