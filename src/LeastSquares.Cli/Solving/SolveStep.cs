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
        ResultWriter.CheckTargets(settings.OutputPath, settings.TracePath, settings.SavePath);
    }

    /// <summary>
    /// Solves <paramref name="state"/> — through the triangular factor for qr, with the rows for
    /// sgd — and returns the fit with the solver options it was made with; throws on failure.
    /// </summary>
    public static (FitResult Fit, SolverOptions Solver) Solve(RowState state, SolveSettings settings, CliContext context)
    {
        var solver = settings.Solver with { Cancellation = context.Cancellation };
        if (solver.Method == FitMethod.StochasticGradientDescent && state.Rows is null)
        {
            throw new UsageException("--method sgd needs the data rows, which partial fits do not carry; use --method gd or normal with lsq merge.");
        }

        if (solver.Method == FitMethod.Qr && state.Factor is null)
        {
            throw new UsageException("--method qr factorises the rows as they are read, and partial fits carry moments only; use --method normal (as accurate) with lsq merge.");
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
            var stochastic = solver.Method == FitMethod.StochasticGradientDescent ? "stochastic " : "";
            throw new StrictFailureException($"{stochastic}gradient descent did not converge and --strict is set; no result is printed.");
        }

        return (fit, solver);
    }

    /// <summary>The core's fit of <paramref name="state"/>: from the rows for sgd, the triangular factor for qr, the moments otherwise.</summary>
    public static FitResult Fit(RowState state, SolverOptions solver) =>
        state.Rows is { } rows ? Solver.FitRows(state.Moments, rows, solver) : Solver.Fit(state.State, solver);

    /// <summary>The coefficients of a saved model to start gd/sgd from, after checking it is the same model.</summary>
    private static IReadOnlyList<double> WarmStart(string path, ModelTerms terms, FitMethod method)
    {
        if (method is not (FitMethod.GradientDescent or FitMethod.StochasticGradientDescent))
        {
            throw new UsageException("--init gives gradient descent a starting point; it has no effect on the closed-form methods. Add --method gd or sgd, or drop --init.");
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
