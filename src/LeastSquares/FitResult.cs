using LeastSquares.Terms;

namespace LeastSquares;

/// <summary>The outcome of a fit, in the user's basis (the raw predictors and powers).</summary>
public sealed record FitResult
{
    /// <summary>The model.</summary>
    public required ModelTerms Terms { get; init; }

    /// <summary>The method that produced it: normal, qr, gd or sgd.</summary>
    public required string Method { get; init; }

    /// <summary>Number of rows n.</summary>
    public required long Count { get; init; }

    /// <summary>The estimates, in the order of <see cref="ModelTerms.TermNames"/>.</summary>
    public required IReadOnlyList<double> Coefficients { get; init; }

    /// <summary>Residual sum of squares Σ(yᵢ − ŷᵢ)², from <see cref="Loss.Mse"/>.</summary>
    public required double SumOfSquaredErrors { get; init; }

    /// <summary>Total sum of squares: about the mean with an intercept, about zero without one (as R and NIST do).</summary>
    public required double TotalSumOfSquares { get; init; }

    /// <summary>The loss MSE = SSE/n.</summary>
    public double MeanSquaredError => SumOfSquaredErrors / Count;

    /// <summary>(XᵀX)⁻¹ in the user basis, p×p, when the design has full rank; the covariance of the estimates is σ² times it.</summary>
    public double[,]? UnscaledCovariance { get; init; }

    /// <summary>2-norm condition number of the design in the user basis after centring (with an intercept) and scaling each column to unit length.</summary>
    public double? ConditionNumber { get; init; }

    /// <summary>Iterations (epochs for sgd) run by an iterative method; null for the closed-form ones.</summary>
    public int? Iterations { get; init; }

    /// <summary>Whether the method met its convergence criterion (always true for closed-form methods).</summary>
    public bool Converged { get; init; } = true;

    /// <summary>Things the user should know (ill-conditioning, iteration limit…), as typed facts.</summary>
    public IReadOnlyList<FitWarning> Warnings { get; init; } = [];

    /// <summary>Per-iteration loss history of an iterative method, when it was asked for.</summary>
    public IReadOnlyList<IterationRecord>? Trace { get; init; }

    /// <summary>The penalty of a ridge, lasso or elastic-net fit; null for least squares. Penalized fits have no covariance (no standard errors or p-values: they would not be valid).</summary>
    public Loss.Penalty? Penalty { get; init; }

    /// <summary>For a penalized fit, the number of non-zero slopes (its degrees of freedom, as glmnet counts them).</summary>
    public int? NonZero { get; init; }

    /// <summary>The λ path and its cross-validation, when λ was chosen by it.</summary>
    public Solvers.CrossValidation? CrossValidation { get; init; }

    /// <summary>
    /// Σ log w over the rows of a weighted fit (<c>lm(weights =)</c>: SSE is then Σw·r², n counts
    /// the rows of positive weight); null for an unweighted fit.
    /// </summary>
    public double? WeightLogSum { get; init; }

    /// <summary>True for a weighted fit.</summary>
    public bool IsWeighted => WeightLogSum is not null;

    /// <summary>
    /// The positions (in <see cref="ModelTerms.TermNames"/>) of the coefficients aliased by earlier
    /// columns in a rank-deficient fit (<see cref="SolverOptions.DropAliased"/>), in order: their
    /// estimates are NaN (R's NA), their rows and columns of <see cref="UnscaledCovariance"/> zero, and
    /// a prediction leaves them out. Empty for a fit of full rank.
    /// </summary>
    public IReadOnlyList<int> Aliased { get; init; } = [];

    /// <summary>Number of coefficients p.</summary>
    public int CoefficientCount => Coefficients.Count;

    /// <summary>The rank of the design: p less the aliased coefficients.</summary>
    public int Rank => CoefficientCount - Aliased.Count;

    /// <summary>Residual degrees of freedom n − rank (n − p at full rank).</summary>
    public long ResidualDegreesOfFreedom => Count - Rank;
}

/// <summary>One iteration of an iterative solver: the loss at the iterate, the gradient norm, and the step size used.</summary>
public readonly record struct IterationRecord(int Iteration, double Loss, double GradientNorm, double StepSize);
