using System.CommandLine;
using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Solving;
using LeastSquares.Statistics;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq fit</c>.</summary>
internal sealed record FitSettings
{
    /// <summary>The inputs, read as one in this order; empty for standard input.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    public CsvDialect Dialect { get; init; } = new();

    public ModelSpec Model { get; init; } = new(null, null, Defaults.Degree, true);

    /// <summary>Write the mergeable state of the rows instead of solving.</summary>
    public bool Partial { get; init; }

    public SolveSettings Solve { get; init; } = new();

    /// <summary>--by: the group columns, one model per group; null for one model of every row.</summary>
    public IReadOnlyList<string>? By { get; init; }

    /// <summary>--max-groups.</summary>
    public int MaxGroups { get; init; } = Defaults.MaxGroups;

    /// <summary>--weights, --vcov, --cluster.</summary>
    public InferenceSettings Inference { get; init; } = new();
}

/// <summary>
/// <c>lsq fit</c>: read a CSV, fit the model, print the coefficients and the loss; or, with
/// <c>--partial</c>, print the moments of the rows for <c>lsq merge</c>.
/// </summary>
internal static class FitCommand
{
    public static Command Create(CliContext context)
    {
        var files = CommonOptions.Files();
        var model = new ModelOptions("fit");
        var solve = new SolveOptions();
        var dialect = new DialectOptions();
        var partial = CommonOptions.Partial();
        var by = CommonOptions.By();
        var maxGroups = CommonOptions.MaxGroups();
        var inference = new InferenceOptions();

        var command = new Command("fit", "Fit a linear least-squares model to CSV data and print the coefficients and the loss (MSE).") { files };
        Array.ForEach(model.All, command.Options.Add);
        command.Options.Add(by);
        command.Options.Add(maxGroups);
        solve.AddTo(command, [.. inference.All, .. dialect.All, partial]);
        CommandRunner.SetAction(command, context, parse =>
        {
            bool isPartial = parse.GetValue(partial);
            var groups = CommonOptions.ParseList(parse.GetValue(by), "--by");
            var solveSettings = solve.Read(parse, isPartial, grouped: groups is not null); // first: an ignored option is the first mistake to report
            if (groups is null && CommonOptions.Given(parse, [maxGroups]).Length > 0)
            {
                throw new UsageException(CliMessages.MaxGroupsWithoutBy);
            }
            var (paths, spec) = model.Read(parse, files);
            return new FitSettings
            {
                Files = paths,
                Dialect = dialect.Read(parse),
                Model = spec,
                Partial = isPartial,
                Solve = solveSettings,
                By = groups,
                MaxGroups = parse.GetValue(maxGroups),
                Inference = inference.Read(parse),
            };
        }, Execute);
        return command;
    }

    /// <summary>Runs a fit with validated settings; returns the exit code.</summary>
    public static int Run(FitSettings settings, CliContext context) => CommandRunner.Run(context, () => Execute(settings, context));

    /// <summary>Settings, source, state, solver, output: the whole of <c>lsq fit</c>.</summary>
    private static void Execute(FitSettings settings, CliContext context)
    {
        var output = settings.Solve;
        var parallel = Preflight(settings, context);
        if (settings.By is not null)
        {
            GroupedFit.Execute(settings, parallel, context);
            return;
        }

        if (settings.Inference.Extra)
        {
            ExecuteWithInference(settings, context);
            return;
        }

        // --partial writes moments, so qr's factor is not needed then; only sgd reads the rows again.
        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        bool keepRows = method == FitMethod.StochasticGradientDescent;
        RowState state;
        string name;
        // With --partial, Penalty holds only the fold settings (--folds, --seed, --fold-column) when given.
        var folds = output.Penalty is { Lambda: null } auto ? auto : null;
        bool needsRows = !settings.Partial && output.Penalty is null; // a least-squares fit: a row per coefficient at least
        if (settings.Files.Count > 1)
        {
            if (folds is not null)
            {
                throw new UsageException(CliMessages.FoldsReadOneInput);
            }

            name = string.Join(", ", settings.Files.Select(InputFile.DisplayName));
            state = FileSequence.Read(settings.Files, settings.Dialect, context, settings.Model, method, keepRows, allowEmpty: settings.Partial, needsRows);
        }
        else
        {
            using var source = RowSource.Open(settings.Files.Count == 0 ? null : settings.Files[0], settings.Dialect, context, allowEmpty: settings.Partial, intoState: !keepRows && folds is null);
            name = source.DisplayName;
            state = folds is null
                ? source.Read(settings.Model, method, keepRows, allowEmpty: settings.Partial, parallel, showProgress: !output.Quiet, needsRows)
                : ReadFolds(source, settings.Model, folds, showProgress: !output.Quiet);
        }

        using var secondPass = state.Rows as IDisposable; // sgd's cache of the rows: gone however the run ends
        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(state.Skipped, name));
        }

        if (settings.Partial)
        {
            RefusePolynomialFrames(state);
            ResultWriter.PrintPartial(state.Moments, state.Skipped, output.OutputPath, context, state.Folds);
            return;
        }

        var (fit, solver) = SolveStep.Solve(state, output, context);
        ResultWriter.Print(fit, solver, state.Skipped, output, context);
    }

    /// <summary>
    /// A fit with weights (--weights) or a robust or clustered covariance (--vcov, --cluster): the
    /// rows are read with those columns, row by row, and, for the covariance, a second time once
    /// the fit is known (<see cref="InferenceRows"/>).
    /// </summary>
    private static void ExecuteWithInference(FitSettings settings, CliContext context)
    {
        var output = settings.Solve;
        var inference = settings.Inference;
        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        RefuseWithInference(settings);
        var file = settings.Files.Count == 0 ? null : settings.Files[0];
        using var source = RowSource.Open(file, InferenceRows.ReadDialect(settings.Dialect, inference), context);
        var (read, rows) = InferenceRows.Read(source, file, settings.Dialect, settings.Model, method, inference, context);
        using var pass = rows;
        var state = settings.Partial ? read : source.WithPolynomialFrames(read);
        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(state.Skipped, source.DisplayName));
        }

        if (settings.Partial)
        {
            RefusePolynomialFrames(state);
            ResultWriter.PrintPartial(state.Moments, state.Skipped, output.OutputPath, context);
            return;
        }

        var (fit, solver) = SolveStep.Solve(state, output, context);
        var robust = inference.SecondPass ? rows.Covariance(fit, SolveStep.Prepared(state).Moments) : null;
        fit = WithRobustWarnings(fit, robust, output.Quiet, context);
        ResultWriter.Print(fit, solver, state.Skipped, output, context, robust, inference.Weights is { } w ? source.Header[ModelColumns.Column(source.Csv, w, "--weights")] : null);
    }

    /// <summary>The second pass's warnings (rows of leverage 1 under HC2/HC3): said on standard error and kept with the fit for the JSON.</summary>
    internal static FitResult WithRobustWarnings(FitResult fit, RobustCovariance? robust, bool quiet, CliContext context)
    {
        if (robust is not { LeverageOneCount: > 0 })
        {
            return fit;
        }

        var warning = new LeverageOne(robust.Type.ToString(), robust.LeverageOneRows, robust.LeverageOneCount);
        ErrorReporter.Warn(context.Stderr, quiet, CliMessages.Warning(warning));
        return fit with { Warnings = [.. fit.Warnings, warning] };
    }

    /// <summary>
    /// A partial state is moments only: with rows skipped, an orthogonal poly()'s basis (from every
    /// row where its argument is present) could not be computed from the merged states.
    /// </summary>
    private static void RefusePolynomialFrames(RowState state)
    {
        if (state.Skipped > 0 && state.State.Terms.TermList.OfType<OrthogonalPolyTerm>().FirstOrDefault(p => p.Basis is null) is { } poly)
        {
            throw new UsageException(CliMessages.PolyFrameNot(poly.Label, "--partial"));
        }
    }

    /// <summary>What --weights, --vcov and --cluster cannot be combined with (with --by or without).</summary>
    internal static void RefuseWithInference(FitSettings settings)
    {
        var output = settings.Solve;
        var inference = settings.Inference;
        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        string first = inference.Weights is not null ? "--weights" : inference.Cluster is not null ? "--cluster" : "--vcov";
        if (settings.Files.Count > 1)
        {
            throw new UsageException(CliMessages.WeightsNot("several input files (" + first + " reads one input)"));
        }

        if (output.Penalty is not null || output.Solver.Penalty is not null)
        {
            throw new UsageException(CliMessages.WeightsNot("--penalty").Replace("--weights", first, StringComparison.Ordinal));
        }

        if (method == FitMethod.StochasticGradientDescent)
        {
            throw new UsageException(CliMessages.WeightsNot("--method sgd (use normal, qr or gd)").Replace("--weights", first, StringComparison.Ordinal));
        }

        if (inference.SecondPass)
        {
            if (output.Solver.DropAliased)
            {
                throw new UsageException(CliMessages.AliasedNotRobust);
            }

            if (settings.Partial)
            {
                throw new UsageException(CliMessages.RobustNot("--partial (a state of moments for lsq merge)"));
            }

            if (!output.Summary && output.Format != OutputFormat.Json)
            {
                throw new UsageException(CliMessages.RobustNeedsSummary(inference.Cluster is not null ? "--cluster" : "--vcov"));
            }
        }
    }

    /// <summary>
    /// Reads the rows into one state per cross-validation fold (memory O(K·p²)); the total is
    /// their merge, so every training set is the total less one fold and no row is read twice.
    /// </summary>
    internal static RowState ReadFolds(RowSource source, ModelSpec spec, PenaltySettings penalty, bool showProgress)
    {
        if (penalty.FoldColumn is { } foldColumn)
        {
            return ReadFoldColumn(source, spec, foldColumn, showProgress);
        }

        var columns = source.Resolve(spec);
        var reader = RowState.Accumulator(columns.Terms, FitMethod.Normal);
        var accumulators = new MomentAccumulator[penalty.Folds];
        for (int k = 0; k < accumulators.Length; k++)
        {
            // The folds' rows carry the reader's level codes; each fold has the levels met so far.
            accumulators[k] = MomentAccumulator.CreateSharingLevels(reader, FitMethod.Normal);
        }

        long row = 0;
        var total = source.Read(columns, FitMethod.Normal, values => accumulators[RowState.FoldOf(row++, penalty.Seed, penalty.Folds)].Add(values),
            showProgress: showProgress, into: reader);
        if (total.Moments.Count < penalty.Folds)
        {
            throw new InputException(CliMessages.MoreFoldsThanRows(source.DisplayName, penalty.Folds, total.Moments.Count));
        }

        return total with { Folds = [.. accumulators.Select((a, k) => new Fold(k, a.ToMoments()))] };
    }

    /// <summary>
    /// Reads the rows into one state per distinct value of the fold column. The column is read as
    /// an extra value of each row (after the predictors) and split off before the row is folded in;
    /// the total is the merge of the folds.
    /// </summary>
    private static RowState ReadFoldColumn(RowSource source, ModelSpec spec, string foldColumn, bool showProgress)
    {
        var header = source.Header;
        int fold = header.Select((name, i) => (name, i)).Where(t => t.name == foldColumn).Select(t => t.i).DefaultIfEmpty(-1).Single();
        if (fold < 0)
        {
            throw new InputException(CliMessages.UnknownFoldColumn(source.DisplayName, foldColumn, header));
        }

        if (spec.Formula is not null)
        {
            // The fold ids are not a predictor (glmnet's foldid): a formula's '.' leaves them out, as it does --by's columns.
            spec = spec with { Exclude = [.. spec.Exclude ?? [], foldColumn] };
        }
        else if (spec.Features is null)
        {
            // The fold ids are not a predictor: by default every column but the target and the folds.
            int target = spec.Target is null ? header.Count - 1 : header.ToList().IndexOf(spec.Target);
            spec = spec with { Features = [.. header.Where((_, i) => i != target && i != fold)] };
        }

        var columns = source.Resolve(spec);
        if (columns.Columns.Contains(fold))
        {
            throw new UsageException(CliMessages.FoldColumnInModel(foldColumn));
        }

        // The fold id is read after the model's values, for the callback only; each fold's rows
        // carry the reader's level codes.
        var terms = columns.Terms;
        int width = terms.RowWidth;
        var reader = RowState.Accumulator(terms, FitMethod.Normal);
        var folds = new Dictionary<double, MomentAccumulator>();
        var read = source.Read(columns with { Columns = [.. columns.Columns, fold] }, FitMethod.Normal, values =>
        {
            if (!folds.TryGetValue(values[width], out var accumulator))
            {
                accumulator = MomentAccumulator.CreateSharingLevels(reader, FitMethod.Normal);
                folds.Add(values[width], accumulator);
            }

            accumulator.Add(values.AsSpan(0, width));
        }, showProgress: showProgress, into: reader);
        if (folds.Count < 2)
        {
            throw new InputException(CliMessages.OneFold(source.DisplayName, foldColumn));
        }

        var states = folds.OrderBy(f => f.Key).Select(f => new Fold(f.Key, f.Value.ToMoments())).ToList();
        var total = states.Select(f => f.Moments).Aggregate(Moments.Merge);
        return new RowState(total, read.Skipped) { Folds = states };
    }

    /// <summary>What can be checked before any input is read: the solver, the files to write and read, LSQ_THREADS.</summary>
    private static ParallelSettings Preflight(FitSettings settings, CliContext context)
    {
        if (settings.Partial)
        {
            ResultWriter.CheckTargets(settings.Solve.OutputPath);
        }
        else
        {
            SolveStep.Preflight(settings.Solve);
        }

        foreach (var output in new[] { settings.Solve.OutputPath, settings.Solve.SavePath, settings.Solve.TracePath, settings.Solve.Penalty?.PathFile })
        {
            AtomicFile.EnsureNotInput(output, settings.Files);
        }

        if (settings.Solve.InitPath is { } init && !File.Exists(init))
        {
            throw new InputException(CliMessages.FileNotFound(init));
        }

        return ParallelSettingsOf(context);
    }

    /// <summary>How big files are read on several cores: the context's settings, with LSQ_THREADS when it is set.</summary>
    internal static ParallelSettings ParallelSettingsOf(CliContext context)
    {
        if (context.ThreadsVariable is not { } text)
        {
            return context.Parallel;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads > 256)
        {
            throw new UsageException(CliMessages.BadThreads(text));
        }

        // 0, like an unset variable, means one thread per core (as OMP-style tools read it).
        return threads == 0 ? context.Parallel : context.Parallel with { Threads = threads };
    }
}
