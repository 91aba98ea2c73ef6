namespace LeastSquares;

/// <summary>Entry point that dispatches a fit of accumulated moments to the chosen method.</summary>
public static class Solvers
{
    /// <summary>Fits the model of <paramref name="moments"/> with <paramref name="options"/>.</summary>
    /// <exception cref="NotSupportedException">sgd, which needs the rows rather than the moments.</exception>
    public static FitResult Fit(Moments moments, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Method switch
        {
            FitMethod.Normal => NormalEquationSolver.Solve(moments),
            FitMethod.Qr => throw new NotSupportedException("--method qr is not implemented yet."),
            FitMethod.GradientDescent => GradientDescentSolver.Solve(moments, options),
            _ => throw new NotSupportedException("Mini-batch SGD reads the rows: call FitRows with them."),
        };
    }

    /// <summary>Fits with access to the rows (<c>[x₁, …, x_k, y]</c> each) as well as their moments; needed by sgd only.</summary>
    public static FitResult FitRows(Moments moments, ReadOnlyMemory<double> rows, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Method == FitMethod.StochasticGradientDescent
            ? GradientDescentSolver.SolveStochastic(moments, rows, options)
            : Fit(moments, options);
    }
}
