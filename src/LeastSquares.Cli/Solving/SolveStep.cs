using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Solving;

/// <summary>
/// The solve every fitting command ends in: the state of the rows, through the chosen solver, to
/// a fit; with its warnings told, its trace written and --strict applied.
/// </summary>
internal static class SolveStep
{
    /// <summary>
    /// Checks done before any input is read for a run that solves: the solver options, and that
    /// every file to be written has a folder to go in.
    /// </summary>
    public static void Preflight(SolveSettings settings)
    {
        settings.Solver.Validate();
        ResultWriter.CheckTargets(settings.OutputPath, settings.TracePath, settings.SavePath, settings.Penalty?.PathFile);
        ResultWriter.CheckDistinct(("-o", settings.OutputPath), ("--save", settings.SavePath), ("--trace", settings.TracePath), ("--path", settings.Penalty?.PathFile));
    }

    /// <summary>
    /// Solves <paramref name="state"/> — through the triangular factor for qr, with the rows for
    /// sgd — and returns the fit with the solver options it was made with; throws on failure.
    /// </summary>
    public static (FitResult Fit, SolverOptions Solver) Solve(RowState state, SolveSettings settings, CliContext context)
    {
        var solver = settings.Solver with { Cancellation = context.Cancellation, Covariance = settings.NeedsCovariance };
        state = Orthogonal(state.Coded()); // R's coding of the levels met, then the polynomials' basis
        if (settings.Penalty is { } penalty)
        {
            var penalized = Penalized(state, penalty);
            foreach (var warning in penalized.Warnings)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.Warning(warning));
            }

            if (penalty.PathFile is { } pathFile && penalized.CrossValidation is { } cv)
            {
                AtomicFile.WriteAllText(pathFile, PathCsv(cv, penalized.Terms));
            }

            return (penalized, solver);
        }

        if (solver.Penalty is not null && !state.Moments.Terms.Intercept)
        {
            throw new UsageException(CliMessages.PenaltyNeedsIntercept);
        }

        if (solver.Penalty is not null && !state.Moments.Terms.AllPlainColumns)
        {
            throw new UsageException(CliMessages.DescentPenaltyPlainColumns);
        }

        if (solver.Method == FitMethod.StochasticGradientDescent && state.Rows is null)
        {
            throw new UsageException(CliMessages.SgdNeedsRows);
        }

        if (solver.Method == FitMethod.Qr && state.Factor is null)
        {
            throw new UsageException(CliMessages.QrNeedsRows);
        }

        if (settings.InitPath is { } initPath)
        {
            solver = solver with { InitialCoefficients = WarmStart(initPath, state.State.Terms, solver.Method) };
        }

        FitResult fit;
        using (var progress = ProgressLine.For(context, settings.Quiet, solver.Method, solver.MaxIterations))
        {
            solver = solver with { Progress = progress };
            fit = Fit(state, solver);
        }

        if (!fit.Converged && (settings.Summary || settings.Format == OutputFormat.Json))
        {
            // The statistics are withheld (null, NA in the table); say why where they would have been shown.
            fit = fit with { Warnings = [.. fit.Warnings, new InferenceWithheld(fit.Method)] };
        }

        foreach (var warning in fit.Warnings)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.Warning(warning));
        }

        if (settings.TracePath is { } tracePath && fit.Trace is { } history)
        {
            AtomicFile.WriteAllText(tracePath, TraceCsv(history));
        }

        if (settings.Strict && !fit.Converged)
        {
            throw new StrictFailureException(CliMessages.StrictNotConverged(solver.Method == FitMethod.StochasticGradientDescent));
        }

        return (fit, solver);
    }

    /// <summary>
    /// The state in the basis its fit is in: categorical columns in R's coding of the levels met,
    /// orthogonal polynomials in their basis (what a second pass over the fit's rows needs beside the fit).
    /// </summary>
    public static RowState Prepared(RowState state) => Orthogonal(state.Coded());

    /// <summary>The core's fit of <paramref name="state"/>: from the rows for sgd, the triangular factor for qr, the moments otherwise.</summary>
    public static FitResult Fit(RowState state, SolverOptions solver)
    {
        ArgumentNullException.ThrowIfNull(state);
        state = Orthogonal(state.Coded()); // categorical columns: R's coding of the levels met
        return state.Rows is { } rows ? Solver.FitRows(state.Moments, rows, solver) : Solver.Fit(state.State, solver);
    }

    /// <summary>
    /// The state carried to the orthogonal basis of its <c>poly(x, d)</c> terms, fitted from the rows'
    /// moments (the folds too, in the same basis); the state itself when it has none. For qr, the
    /// factor of the carried moments.
    /// </summary>
    private static RowState Orthogonal(RowState state)
    {
        if (!state.State.Terms.HasUnfittedPolynomials)
        {
            return state;
        }

        Moments moments;
        if (state.PolynomialFrames is { } frames)
        {
            // Rows were skipped: each basis from every row where its argument is present (R's model frame).
            moments = OrthogonalPolynomials.Fit(state.Moments, frames);
        }
        else if (state.Moments.Weights is not null)
        {
            // R builds poly()'s basis from the unweighted values, then weighs the rows: the basis
            // from the unweighted moments read beside the weighted ones (partials carry none).
            var basis = state.PolynomialBasis
                ?? throw new UsageException(CliMessages.WeightsNot("an orthogonal poly() in a partial fit (write poly(x, d, raw = TRUE): the same fitted values)"));
            moments = OrthogonalPolynomials.Transform(state.Moments, OrthogonalPolynomials.Fit(basis).Terms);
        }
        else
        {
            moments = OrthogonalPolynomials.Fit(state.Moments);
        }

        return state with
        {
            State = state.Factor is null ? moments : TriangularFactor.FromMoments(moments),
            Folds = state.Folds?.Select(f => f with { Moments = OrthogonalPolynomials.Transform(f.Moments, moments.Terms) }).ToList(),
        };
    }

    /// <summary>A ridge, lasso or elastic-net fit of the state: at the given λ, or cross-validated over a path (--lambda auto).</summary>
    private static FitResult Penalized(RowState state, PenaltySettings penalty)
    {
        if (!state.Moments.Terms.Intercept)
        {
            throw new UsageException(CliMessages.PenaltyNeedsIntercept);
        }

        if (penalty.Lambda is { } lambda)
        {
            return PenalizedSolver.Fit(state.Moments, new Penalty(lambda, penalty.L1Ratio, penalty.Standardize));
        }

        var folds = state.Folds ?? throw new UsageException(CliMessages.PartialsWithoutFolds);
        if (folds.Count < 2)
        {
            throw new InputException(CliMessages.TooFewFolds(folds.Count));
        }

        return PenalizedSolver.CrossValidate(state.Moments, [.. folds.Select(f => f.Moments)], penalty.L1Ratio, penalty.Standardize, penalty.Path);
    }

    /// <summary>The λ path as CSV: lambda, df, cv_mse, cv_se, then one column per coefficient.</summary>
    private static string PathCsv(CrossValidation cv, ModelTerms terms)
    {
        var sb = new StringBuilder("lambda,df,cv_mse,cv_se");
        foreach (var name in terms.TermNames)
        {
            sb.Append(',').Append(name);
        }

        sb.Append('\n');
        foreach (var point in cv.Path)
        {
            sb.Append(Numbers.RoundTrip(point.Lambda)).Append(',').Append(Numbers.Integer(point.NonZero)).Append(',')
                .Append(Numbers.RoundTrip(point.CvMse)).Append(',').Append(Numbers.RoundTrip(point.CvSe));
            foreach (var c in point.Coefficients)
            {
                sb.Append(',').Append(Numbers.RoundTrip(c));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The coefficients of a saved model to start gd/sgd from, after checking it is the same model.</summary>
    private static IReadOnlyList<double> WarmStart(string path, ModelTerms terms, FitMethod method)
    {
        if (method is not (FitMethod.GradientDescent or FitMethod.StochasticGradientDescent))
        {
            throw new UsageException(CliMessages.InitWithoutDescent);
        }

        var saved = ModelFile.Read(path);
        if (!saved.Terms.SameModelAs(terms))
        {
            throw new InputException(
                $"{path}: the saved model is {Describe(saved.Terms)}, but this fit is {Describe(terms)}. "
                + "--init needs a model with the same terms; fit with the same --target, --features, --degree and --no-intercept, or drop --init.");
        }

        return saved.Coefficients;
    }

    private static string Describe(ModelTerms t) =>
        $"{t.Target} ~ {string.Join(" + ", t.TermNames)}";

    private static string TraceCsv(IReadOnlyList<IterationRecord> history)
    {
        var sb = new StringBuilder("iteration,loss,gradient_norm,step\n");
        foreach (var r in history)
        {
            sb.Append(Numbers.Integer(r.Iteration)).Append(',').Append(Numbers.RoundTrip(r.Loss)).Append(',')
                .Append(Numbers.RoundTrip(r.GradientNorm)).Append(',').Append(Numbers.RoundTrip(r.StepSize)).Append('\n');
        }

        return sb.ToString();
    }
}
