using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>Entry point that dispatches a fit of accumulated rows to the chosen method.</summary>
public static class Solver
{
    /// <summary>Fits the model of <paramref name="moments"/> with <paramref name="options"/>.</summary>
    /// <exception cref="NotSupportedException">
    /// qr, which needs the triangular factor of the rows (see <see cref="Fit(MomentAccumulator, SolverOptions)"/>),
    /// and sgd, which needs the rows themselves.
    /// </exception>
    public static FitResult Fit(Moments moments, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Method switch
        {
            FitMethod.Normal => Closed(moments, options, FitMethod.Normal, () => NormalEquationSolver.Solve(moments, options.Covariance)),
            FitMethod.Qr => throw new NotSupportedException(
                "The QR method works on the triangular factor of the rows, not on their moments: accumulate with "
                + "MomentAccumulator.Create(terms, FitMethod.Qr) and fit the accumulator or its TriangularFactor."),
            FitMethod.GradientDescent => FitResultBuilder.Build(GradientDescentSolver.Solve(moments, options)),
            _ => throw new NotSupportedException("Mini-batch SGD reads the rows: call FitRows with them."),
        };
    }

    /// <summary>Fits with access to the rows (<c>[x₁, …, x_k, y]</c> each) as well as their moments; needed by sgd only.</summary>
    public static FitResult FitRows(Moments moments, ReadOnlyMemory<double> rows, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(moments);
        return FitRows(moments, new MemoryRowBlocks(rows, moments.Terms.RowWidth), options);
    }

    /// <summary>
    /// Fits with the rows read again block by block from <paramref name="rows"/> (memory, a cache
    /// file, …) as well as their moments; sgd reads every block once an epoch, the other methods
    /// use the moments alone.
    /// </summary>
    public static FitResult FitRows(Moments moments, IRowBlocks rows, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Method == FitMethod.StochasticGradientDescent
            ? FitResultBuilder.Build(GradientDescentSolver.SolveStochastic(moments, rows, options))
            : Fit(moments, options);
    }

    /// <summary>Fits the model of a QR <paramref name="factor"/>; methods other than qr use its moments.</summary>
    public static FitResult Fit(TriangularFactor factor, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Method == FitMethod.Qr
            ? Closed(factor.ToMoments(), options, FitMethod.Qr, () => QrSolver.Solve(factor, options.Covariance))
            : Fit(factor.ToMoments(), options);
    }

    /// <summary>
    /// A closed-form fit; with <see cref="SolverOptions.DropAliased"/>, a rank-deficient design (or
    /// one with more coefficients than rows) is fitted without its aliased columns, as R's lm does.
    /// </summary>
    private static FitResult Closed(Moments moments, SolverOptions options, FitMethod method, Func<Solution> solve)
    {
        if (!options.DropAliased)
        {
            return FitResultBuilder.Build(solve());
        }

        try
        {
            return FitResultBuilder.Build(solve());
        }
        catch (Exception e) when (e is SingularDesignException or InsufficientDataException)
        {
            if (AliasedSolver.Fit(moments, options, method) is { } fit)
            {
                return fit;
            }

            throw;
        }
    }

    /// <summary>Fits the model of a <paramref name="state"/>: qr needs a <see cref="TriangularFactor"/>, the other methods use the moments.</summary>
    public static FitResult Fit(IModelState state, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state is TriangularFactor factor ? Fit(factor, options) : Fit(state.ToMoments(), options);
    }

    /// <summary>
    /// Fits the rows folded into <paramref name="accumulator"/> (created by
    /// <see cref="MomentAccumulator.Create(ModelTerms, FitMethod)"/> for the same method).
    /// </summary>
    /// <exception cref="ArgumentException">qr asked of an accumulator that kept only the moments.</exception>
    public static FitResult Fit(MomentAccumulator accumulator, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(options);
        var state = accumulator.ToState();
        if (options.Method == FitMethod.Qr && state is not TriangularFactor)
        {
            throw new ArgumentException(
                "The QR method needs a QrAccumulator: create it with MomentAccumulator.Create(terms, FitMethod.Qr).", nameof(accumulator));
        }

        return Fit(state, options);
    }
}
