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
        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        GroupedRowState state;
        string name;
        if (settings.Files.Count > 1)
        {
            name = string.Join(", ", settings.Files.Select(InputFile.DisplayName));
            state = FileSequence.ReadGroups(settings.Files, settings.Dialect, context, settings.Model, by, method, settings.MaxGroups, allowEmpty: settings.Partial);
        }
        else
        {
            using var source = RowSource.Open(settings.Files.Count == 0 ? null : settings.Files[0], settings.Dialect, context, allowEmpty: settings.Partial, intoState: true);
            name = source.DisplayName;
            state = source.ReadGroups(settings.Model, by, method, settings.MaxGroups, allowEmpty: settings.Partial, parallel, showProgress: !output.Quiet);
        }

        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(state.Skipped, name));
        }

        if (settings.Partial)
        {
            var lines = new StringBuilder();
            foreach (var g in state.Groups)
            {
                lines.Append(PartialJson.Serialize(g.State.ToMoments(), g.Skipped, LsqApp.Version, group: Pairs(state.By, g.Values)));
            }

            ResultWriter.Write(lines.ToString(), output.OutputPath, context);
            return;
        }

        var fits = Solve(state.By, state.Groups, output, context);
        GroupedWriter.Print(state.By, fits, output, context);
    }

    /// <summary>Solves every group's state; a group that cannot be fitted keeps its error (with --strict, the run fails at the first).</summary>
    public static IReadOnlyList<GroupFit> Solve(IReadOnlyList<string> by, IReadOnlyList<GroupState> groups, SolveSettings output, CliContext context)
    {
        var fits = new List<GroupFit>(groups.Count);
        foreach (var g in groups)
        {
            var groupContext = context with { Stderr = new GroupWarnings(context.Stderr, "group " + CliMessages.Group(by, g.Values) + ": ") };
            try
            {
                var (fit, solver) = SolveStep.Solve(new RowState(g.State, g.Skipped), output, groupContext);
                fits.Add(new GroupFit(g.Values, fit, solver, g.Skipped, fit.Count, null));
            }
            catch (Exception e) when (e is NumericalException or OverflowException)
            {
                var error = e is NumericalException n ? CliMessages.Failure(n) : e.Message;
                fits.Add(new GroupFit(g.Values, null, null, g.Skipped, g.State.ToMoments().Count, error));
            }
        }

        if (output.Strict && fits.FirstOrDefault(f => f.Error is not null) is { } failed)
        {
            throw new InputException(CliMessages.StrictGroupFailed(by, failed.Values, failed.Error!, fits.Count(f => f.Error is not null), fits.Count));
        }

        return fits;
    }

    /// <summary>The options that have no per-group meaning, refused with the reason.</summary>
    private static void Refuse(FitSettings settings)
    {
        var s = settings.Solve;
        if (!settings.Partial && s.Solver.Method == FitMethod.StochasticGradientDescent)
        {
            throw new UsageException(CliMessages.ByNotWith("--method sgd", "sgd reads the rows again for every epoch, which would need a cache of the rows per group. Use --method gd (the same model, from each group's moments) or normal."));
        }

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

    /// <summary>The group as (column, value) pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(IReadOnlyList<string> by, IReadOnlyList<string> values) =>
        [.. by.Select((name, i) => KeyValuePair.Create(name, values[i]))];

    /// <summary>Standard error with the group named in every warning line, so that a warning says which group it is about.</summary>
    private sealed class GroupWarnings(TextWriter inner, string prefix) : TextWriter
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
internal sealed record GroupFit(IReadOnlyList<string> Values, FitResult? Fit, SolverOptions? Solver, long Skipped, long Count, string? Error);
