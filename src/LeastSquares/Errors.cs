using System.Globalization;

namespace LeastSquares;

/// <summary>
/// A fit that cannot be carried out for numerical reasons (exit code 3 in the CLI). Each subclass
/// carries its facts as typed values; its <see cref="Exception.Message"/> is a plain description for
/// library users, and a user interface words the facts itself.
/// </summary>
public class NumericalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NumericalException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NumericalException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NumericalException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The design matrix does not have full column rank: some columns are constant or collinear.</summary>
public sealed class SingularDesignException : NumericalException
{
    /// <summary>Creates the exception for <paramref name="defect"/>.</summary>
    public SingularDesignException(DesignDefect defect)
        : base(Describe(defect))
    {
        Defect = defect;
    }

    /// <summary>What is wrong with the design.</summary>
    public DesignDefect Defect { get; }

    /// <summary>The columns that are constant or take part in the linear dependence.</summary>
    public IReadOnlyList<string> Columns => Defect.Columns;

    private static string Describe(DesignDefect defect)
    {
        ArgumentNullException.ThrowIfNull(defect);
        return "The design is rank-deficient: " + string.Join(", ", defect.Columns) + ".";
    }
}

/// <summary>There are fewer rows than coefficients.</summary>
public sealed class InsufficientDataException : NumericalException
{
    /// <summary>Creates the exception.</summary>
    public InsufficientDataException(long rows, int coefficients)
        : base(string.Create(CultureInfo.InvariantCulture, $"{rows} rows for {coefficients} coefficients: a least-squares fit needs at least as many rows as coefficients."))
    {
        Rows = rows;
        Coefficients = coefficients;
    }

    /// <summary>Rows available.</summary>
    public long Rows { get; }

    /// <summary>Coefficients to estimate.</summary>
    public int Coefficients { get; }
}

/// <summary>Gradient descent diverged (loss growing or not finite).</summary>
public sealed class DivergenceException : NumericalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="rate">The learning rate the run started with.</param>
    /// <param name="finalRate">The rate its schedule had reached when it diverged.</param>
    /// <param name="largestStableRate">2/λmax of the Hessian.</param>
    /// <param name="iterations">Iterations (epochs for sgd) run.</param>
    /// <param name="scaling">The feature scaling of the run.</param>
    /// <param name="stochastic">True for mini-batch sgd.</param>
    public DivergenceException(double rate, double finalRate, double largestStableRate, int iterations, FeatureScaling scaling, bool stochastic)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Gradient descent diverged after {iterations} iterations at learning rate {rate:G6}; the largest stable rate is {largestStableRate:G6}."))
    {
        Rate = rate;
        FinalRate = finalRate;
        LargestStableRate = largestStableRate;
        Iterations = iterations;
        Scaling = scaling;
        Stochastic = stochastic;
    }

    /// <summary>The learning rate the run started with.</summary>
    public double Rate { get; }

    /// <summary>The rate the schedule had reached at the end (equal to <see cref="Rate"/> without a schedule).</summary>
    public double FinalRate { get; }

    /// <summary>The largest constant learning rate for which plain gradient descent converges (2/λmax of the Hessian).</summary>
    public double LargestStableRate { get; }

    /// <summary>Iterations (epochs for sgd) run before the loss blew up.</summary>
    public int Iterations { get; }

    /// <summary>The feature scaling the run used.</summary>
    public FeatureScaling Scaling { get; }

    /// <summary>True for mini-batch stochastic gradient descent.</summary>
    public bool Stochastic { get; }
}

/// <summary>Why a design has no unique least-squares solution.</summary>
public abstract record DesignDefect
{
    /// <summary>The columns involved, the offending one first.</summary>
    public abstract IReadOnlyList<string> Columns { get; }
}

/// <summary>A column is constant, so its coefficient cannot be told from the intercept.</summary>
/// <param name="Column">The column.</param>
/// <param name="Value">Its one value.</param>
public sealed record ConstantColumn(string Column, double Value) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Column];
}

/// <summary>Without an intercept, a column is zero in every row.</summary>
/// <param name="Column">The column.</param>
public sealed record ZeroColumn(string Column) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Column];
}

/// <summary>A column is (numerically) a combination of earlier columns: Column ≈ Σ weight·other (+ a constant with an intercept).</summary>
/// <param name="Column">The dependent column.</param>
/// <param name="Others">The earlier columns that take part, with their weights.</param>
/// <param name="Intercept">Whether the model has an intercept (the relation then holds up to a constant).</param>
public sealed record CollinearColumns(string Column, IReadOnlyList<(string Name, double Weight)> Others, bool Intercept) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Column, .. Others.Select(o => o.Name)];
}

/// <summary>The powers of a polynomial term are numerically collinear (too few distinct values, or too narrow a range).</summary>
/// <param name="Column">The polynomial's column.</param>
/// <param name="Degree">Its degree.</param>
/// <param name="Intercept">Whether the model has an intercept.</param>
public sealed record CollinearPowers(string Column, int Degree, bool Intercept) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Column];
}

/// <summary>A categorical column takes one level in the rows fitted, so it has no contrast (R: "contrasts can be applied only to factors with 2 or more levels").</summary>
/// <param name="Column">The data column.</param>
/// <param name="Level">Its one level.</param>
public sealed record SingleLevelFactor(string Column, string Level) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Column];
}

/// <summary>An orthogonal polynomial whose degree is not below the number of distinct values of its argument (R: "'degree' must be less than number of unique points").</summary>
/// <param name="Label">The polynomial as written in the formula (<c>poly(wt, 3)</c>).</param>
/// <param name="Degree">Its degree.</param>
public sealed record PolynomialTooFewPoints(string Label, int Degree) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Label];
}

/// <summary>
/// An orthogonal polynomial whose argument is too far from 0 for its spread to be fitted in one pass
/// at its degree: only the first <c>poly()</c> of a column is accumulated around the data.
/// </summary>
/// <param name="Label">The polynomial as written in the formula.</param>
/// <param name="Degree">Its degree.</param>
public sealed record PolynomialFarFromZero(string Label, int Degree) : DesignDefect
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns => [Label];
}

/// <summary>
/// A computed feature (a transform such as <c>log(x)</c>, or a product) that is not a finite number
/// on some row: the data are outside the transform's domain (exit code 2 in the CLI).
/// </summary>
public sealed class FeatureValueException : Exception
{
    /// <summary>Feature <paramref name="feature"/> is <paramref name="value"/> on data row <paramref name="row"/> (1-based, of the rows added).</summary>
    public FeatureValueException(string feature, double value, long row)
        : base($"{feature} is {(double.IsNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf")} on data row {row}: the data are outside its domain (leave such rows out, or change the transform).")
    {
        Feature = feature;
        Value = value;
        Row = row;
    }

    /// <summary>Creates the exception with no details.</summary>
    public FeatureValueException()
        : this("?", double.NaN, 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FeatureValueException(string message)
        : base(message)
    {
        Feature = "?";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public FeatureValueException(string message, Exception inner)
        : base(message, inner)
    {
        Feature = "?";
    }

    /// <summary>The coefficient name of the feature.</summary>
    public string Feature { get; }

    /// <summary>Its value.</summary>
    public double Value { get; }

    /// <summary>The data row, 1-based among the rows added.</summary>
    public long Row { get; }
}
