using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Partials;
using LeastSquares.Cli.Solving;

namespace LeastSquares.Cli.Commands;

/// <summary>
/// <c>lsq fit --by COLS</c>: one pass over the rows into one state per group, then one solve per
/// group. A group that cannot be fitted (too few rows, a singular design) gets an error in its own
/// output and the others go on, unless --strict.
/// </summary>
internal static class GroupedFit
{
    public static void Execute(FitSettings settings, ParallelSettings parallel, CliContext context)
    {
        var output = settings.Solve;
        var by = settings.By!;
        Refuse(settings);
        if (settings.Inference.Extra)
        {
            ExecuteWithInference(settings, context);
            return;
        }

        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        bool keepRows = method == FitMethod.StochasticGradientDescent; // sgd reads each group's rows again every epoch
        GroupedRowState state;
        string name;
        if (settings.Files.Count > 1)
        {
            name = string.Join(", ", settings.Files.Select(InputFile.DisplayName));
            state = FileSequence.ReadGroups(settings.Files, settings.Dialect, context, settings.Model, by, method, settings.MaxGroups, allowEmpty: settings.Partial,
                keepRows);
        }
        else
        {
            using var source = RowSource.Open(settings.Files.Count == 0 ? null : settings.Files[0], settings.Dialect, context, allowEmpty: settings.Partial, intoState: true);
            name = source.DisplayName;
            state = source.ReadGroups(settings.Model, by, method, settings.MaxGroups, allowEmpty: settings.Partial, parallel, showProgress: !output.Quiet,
                keepRows);
            state = WithPolynomialFrames(state, settings, context, settings.Partial);
        }

        using var rows = state.Rows; // sgd's cache of every group's rows: gone however the run ends

        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(state.Skipped, name));
        }

        if (settings.Partial)
        {
            WritePartials(state, output, context);
            return;
        }

        var fits = Solve(state.By, state.Groups, output, context);
        GroupedWriter.Print(state.By, fits, output, context);
    }

    /// <summary>
    /// --by with --weights, --vcov or --cluster: the rows go row by row through the CSV reader (the
    /// weight and cluster cells are checked where they stand), one weighted state per group, and
    /// for the covariance a second pass gives each group the sandwich of its own rows.
    /// </summary>
    private static void ExecuteWithInference(FitSettings settings, CliContext context)
    {
        var output = settings.Solve;
        var inference = settings.Inference;
        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        FitCommand.RefuseWithInference(settings);
        var file = settings.Files.Count == 0 ? null : settings.Files[0];
        using var source = RowSource.Open(file, InferenceRows.ReadDialect(settings.Dialect, inference), context);
        var (state, rows) = InferenceRows.ReadGroups(source, file, settings.Dialect, settings.Model, settings.By!, method, inference, settings.MaxGroups, context);
        using var pass = rows;
        // Weighted: R builds poly()'s basis from the unweighted values of each group's rows, read here again.
        state = WithPolynomialFrames(state, settings, context, settings.Partial, always: inference.Weights is not null);
        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(state.Skipped, source.DisplayName));
        }

        if (settings.Partial)
        {
            WritePartials(state, output, context);
            return;
        }

        var fits = Solve(state.By, state.Groups, output, context);
        if (inference.SecondPass)
        {
            var covariances = rows.Covariances([.. fits.Select(f => f.Fit)], state.Groups);
            fits = [.. fits.Select((f, g) => covariances[g] switch
            {
                { Error: { } error } => Failed(f, error, state.By, output, context),
                { Covariance: { } robust } => f with { Robust = robust },
                _ => f,
            })];
            FailIfStrict(state.By, fits, output);
        }

        var weights = inference.Weights is { } w ? source.Header[ModelColumns.Column(source.Csv, w, "--weights")] : null;
        GroupedWriter.Print(state.By, fits, output, context, weights);
    }

    /// <summary>
    /// Each group with the moments its orthogonal <c>poly()</c> bases come from (see
    /// <see cref="RowState.PolynomialFrames"/>): when rows were skipped for a missing cell, or
    /// <paramref name="always"/> (weighted rows); the state itself when the model has no such term.
    /// </summary>
    private static GroupedRowState WithPolynomialFrames(GroupedRowState state, FitSettings settings, CliContext context, bool partial, bool always = false)
    {
        var terms = state.Columns.Terms;
        if (!terms.HasUnfittedPolynomials || state.Groups.Count == 0 || (state.Skipped == 0 && !always))
        {
            return state;
        }

        var label = terms.TermList.OfType<OrthogonalPolyTerm>().First().Label;
        if (partial)
        {
            throw new UsageException(CliMessages.PolyFrameNot(label, "--partial"));
        }

        var frames = RowSource.PolynomialFrames(settings.Files.Count == 0 ? null : settings.Files[0], settings.Dialect, context, terms, settings.By!, settings.MaxGroups);
        return state with { Groups = [.. state.Groups.Select(g => frames.TryGetValue(g.Key, out var f) ? g with { PolynomialFrames = f } : g)] };
    }

    private static void WritePartials(GroupedRowState state, SolveSettings output, CliContext context)
    {
        var lines = new StringBuilder();
        foreach (var g in state.Groups)
        {
            lines.Append(PartialJson.Serialize(g.State.ToMoments(), g.Skipped, LsqApp.Version, group: Pairs(state.By, g.Values)));
        }

        ResultWriter.Write(lines.ToString(), output.OutputPath, context);
    }

    /// <summary>A group whose second pass failed: its error in the output, and a warning unless --strict ends the run.</summary>
    private static GroupFit Failed(GroupFit fit, string error, IReadOnlyList<string> by, SolveSettings output, CliContext context)
    {
        if (!output.Strict)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.GroupFailed(by, fit.Values, error));
        }

        return fit with { Fit = null, Solver = null, Error = error };
    }

    /// <summary>With --strict, the run fails at the first group without a fit.</summary>
    private static void FailIfStrict(IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, SolveSettings output)
    {
        if (output.Strict && fits.FirstOrDefault(f => f.Error is not null) is { } failed)
        {
            throw new NumericalException(CliMessages.StrictGroupFailed(by, failed.Values, failed.Error!, fits.Count(f => f.Error is not null), fits.Count));
        }
    }

    /// <summary>Solves every group's state; a group that cannot be fitted keeps its error (with --strict, the run fails at the first).</summary>
    public static IReadOnlyList<GroupFit> Solve(IReadOnlyList<string> by, IReadOnlyList<GroupState> groups, SolveSettings output, CliContext context)
    {
        var fits = new List<GroupFit>(groups.Count);
        foreach (var g in groups)
        {
            var groupContext = ForGroup(context, by, g.Values);
            try
            {
                var (fit, solver) = SolveStep.Solve(g.ToRowState(), output, groupContext);
                fits.Add(new GroupFit(g.Values, fit, solver, g.Skipped, fit.Count, null));
            }
            catch (Exception e) when (e is NumericalException or OverflowException)
            {
                var error = e is NumericalException n ? CliMessages.Failure(n) : e.Message;
                fits.Add(new GroupFit(g.Values, null, null, g.Skipped, g.State.ToMoments().Count, error));
                if (!output.Strict)
                {
                    // The output holds the error in the group's row; stderr says so too, so that a run
                    // whose output goes to a file is not silent about it.
                    ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.GroupFailed(by, g.Values, error));
                }
            }
        }

        FailIfStrict(by, fits, output);
        return fits;
    }

    /// <summary>The options that have no per-group meaning, refused with the reason.</summary>
    private static void Refuse(FitSettings settings)
    {
        var s = settings.Solve;
        if (s.Penalty is { Lambda: null })
        {
            throw new UsageException(CliMessages.ByNotWith(settings.Partial ? "--folds/--fold-column" : "--lambda auto",
                "cross-validation would need the folds of every group. Give a number to --lambda, or fit each group alone."));
        }

        if (s.InitPath is not null)
        {
            throw new UsageException(CliMessages.ByNotWith("--init", "a warm start is one model, and --by fits many. Drop --init."));
        }

        if (s.TracePath is not null)
        {
            throw new UsageException(CliMessages.ByNotWith("--trace", "the trace file holds the iterations of one fit. Fit one group alone to trace it."));
        }
    }

    /// <summary>The context of one group's solve: its warnings name the group.</summary>
    public static CliContext ForGroup(CliContext context, IReadOnlyList<string> by, IReadOnlyList<string> values) =>
        context with { Stderr = new GroupWarnings(context.Stderr, "group " + CliMessages.Group(by, values) + ": ") };

    /// <summary>The group as (column, value) pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(IReadOnlyList<string> by, IReadOnlyList<string> values) =>
        [.. by.Select((name, i) => KeyValuePair.Create(name, values[i]))];

    /// <summary>Standard error with the group named in every warning line, so that a warning says which group it is about.</summary>
    internal sealed class GroupWarnings(TextWriter inner, string prefix) : TextWriter
    {
        private const string Warning = "lsq: warning: ";

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void Write(string? value) => inner.Write(value);

        public override void WriteLine(string? value) =>
            inner.WriteLine(value is not null && value.StartsWith(Warning, StringComparison.Ordinal) ? Warning + prefix + value[Warning.Length..] : value);

        public override void Flush() => inner.Flush();
    }
}

/// <summary>The fit of one group, or the reason it has none.</summary>
/// <param name="Robust">The group's robust or clustered covariance (--vcov, --cluster), when asked for.</param>
internal sealed record GroupFit(IReadOnlyList<string> Values, FitResult? Fit, SolverOptions? Solver, long Skipped, long Count, string? Error,
    RobustCovariance? Robust = null);
