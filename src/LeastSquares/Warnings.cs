namespace LeastSquares;

/// <summary>
/// Something the user should know about a fit that still produced a result. The core states the
/// facts; a user interface words them (the CLI in <c>CliMessages</c>).
/// </summary>
public abstract record FitWarning;

/// <summary>The design's condition number exceeds <see cref="Threshold"/>.</summary>
/// <param name="ConditionNumber">The condition number; +∞ when too large to estimate (beyond about 1e16).</param>
/// <param name="RawPowersOf">For a polynomial, the column whose raw powers are nearly collinear; null otherwise.</param>
public sealed record IllConditioned(double ConditionNumber, string? RawPowersOf) : FitWarning
{
    /// <summary>Condition numbers above this are reported.</summary>
    public const double Threshold = 1e10;
}

/// <summary>An explicit learning rate is at or above the stability limit 2/λmax of plain gradient descent.</summary>
/// <param name="Rate">The rate given.</param>
/// <param name="Limit">2/λmax of the Hessian.</param>
public sealed record RateAboveStabilityLimit(double Rate, double Limit) : FitWarning;

/// <summary>An iterative method stopped at its iteration limit before meeting its tolerance.</summary>
/// <param name="Iterations">Iterations (epochs for sgd) run.</param>
/// <param name="Rate">The learning rate used (chosen or given).</param>
/// <param name="RelativeGradient">The gradient's size relative to its yardstick, as the tolerance measures it.</param>
/// <param name="Settings">The settings of the run.</param>
public sealed record NotConverged(int Iterations, double Rate, double RelativeGradient, SolverOptions Settings) : FitWarning;

/// <summary>Coordinate descent of a penalized fit stopped at its sweep limit before meeting its stopping rule.</summary>
public sealed record CoordinateDescentNotConverged(int Sweeps) : FitWarning;

/// <summary>
/// No standard errors, t, p, intervals or F for a fit that did not converge: they describe the
/// least-squares estimate, and an unconverged gd or sgd iterate is not it.
/// </summary>
/// <param name="Method">The method that stopped early (gd or sgd).</param>
public sealed record InferenceWithheld(string Method) : FitWarning;

/// <summary>
/// HC2 or HC3 met rows of leverage 1 (a coefficient determined by one row): their weight eᵢ²/(1 − hᵢ)ᵏ
/// is 0/0, so the robust covariance is NaN (<c>sandwich::vcovHC</c> warns and gives NaN too).
/// </summary>
/// <param name="Type">HC2 or HC3.</param>
/// <param name="Rows">The first such rows, 1-based among the rows of positive weight the fit used.</param>
/// <param name="Count">How many rows have leverage 1.</param>
public sealed record LeverageOne(string Type, IReadOnlyList<long> Rows, long Count) : FitWarning;

/// <summary>
/// The residuals are zero to about 15 digits of the fitted values' size (R's summary.lm: "essentially
/// perfect fit: summary may be unreliable"): standard errors, t and p rest on rounding.
/// </summary>
public sealed record EssentiallyPerfectFit : FitWarning;

/// <summary>
/// A rank-deficient design fitted with its aliased columns left out (<see cref="SolverOptions.DropAliased"/>,
/// R's NA coefficients): each named column is a combination of the columns before it.
/// </summary>
/// <param name="Terms">The aliased coefficients' names, in model order.</param>
public sealed record AliasedCoefficients(IReadOnlyList<string> Terms) : FitWarning;
