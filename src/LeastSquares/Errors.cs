namespace LeastSquares;

/// <summary>A fit that cannot be carried out for numerical reasons (exit code 3 in the CLI).</summary>
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
    /// <summary>Creates the exception naming the columns involved.</summary>
    public SingularDesignException(string message, IReadOnlyList<string> columns)
        : base(message)
    {
        Columns = columns;
    }

    /// <summary>The columns that are constant or take part in the linear dependence.</summary>
    public IReadOnlyList<string> Columns { get; } = [];
}

/// <summary>There are fewer rows than coefficients.</summary>
public sealed class InsufficientDataException : NumericalException
{
    /// <summary>Creates the exception.</summary>
    public InsufficientDataException(long rows, int coefficients)
        : base(Messages.TooFewRows(rows, coefficients))
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
    public DivergenceException(string message, double largestStableRate)
        : base(message)
    {
        LargestStableRate = largestStableRate;
    }

    /// <summary>The largest constant learning rate for which plain gradient descent converges (2/λmax of the Hessian).</summary>
    public double LargestStableRate { get; }
}
