using System.CommandLine;
using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Solving;

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
        var model = new ModelOptions();
        var solve = new SolveOptions();
        var dialect = new DialectOptions();
        var partial = CommonOptions.Partial();

        var command = new Command("fit", "Fit a linear least-squares model to CSV data and print the coefficients and the loss (MSE).") { files };
        Array.ForEach(model.All, command.Options.Add);
        solve.AddTo(command, [.. dialect.All, partial]);
        CommandRunner.SetAction(command, context, parse =>
        {
            bool isPartial = parse.GetValue(partial);
            var solveSettings = solve.Read(parse, isPartial); // first: an ignored option is the first mistake to report
            return new FitSettings
            {
                Files = parse.GetValue(files) ?? [],
                Dialect = dialect.Read(parse),
                Model = model.Read(parse),
                Partial = isPartial,
                Solve = solveSettings,
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

        // --partial writes moments, so qr's factor is not needed then; only sgd reads the rows again.
        var method = settings.Partial ? FitMethod.Normal : output.Solver.Method;
        bool keepRows = method == FitMethod.StochasticGradientDescent;
        RowState state;
        string name;
        if (settings.Files.Count > 1)
        {
            name = string.Join(", ", settings.Files.Select(InputFile.DisplayName));
            state = FileSequence.Read(settings.Files, settings.Dialect, context, settings.Model, method, keepRows, allowEmpty: settings.Partial);
        }
        else
        {
            using var source = RowSource.Open(settings.Files.Count == 0 ? null : settings.Files[0], settings.Dialect, context, allowEmpty: settings.Partial, intoState: !keepRows);
            name = source.DisplayName;
            state = source.Read(settings.Model, method, keepRows, allowEmpty: settings.Partial, parallel, showProgress: !output.Quiet);
        }

        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(state.Skipped, name));
        }

        if (settings.Partial)
        {
            ResultWriter.PrintPartial(state.Moments, state.Skipped, output.OutputPath, context);
            return;
        }

        var (fit, solver) = SolveStep.Solve(state, output, context);
        ResultWriter.Print(fit, solver, state.Skipped, output, context);
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

        if (settings.Solve.InitPath is { } init && !File.Exists(init))
        {
            throw new InputException(CliMessages.FileNotFound(init));
        }

        return ParallelSettingsOf(context);
    }

    /// <summary>How big files are read on several cores: the context's settings, with LSQ_THREADS when it is set.</summary>
    private static ParallelSettings ParallelSettingsOf(CliContext context)
    {
        if (context.ThreadsVariable is not { } text)
        {
            return context.Parallel;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads < 1 || threads > 256)
        {
            throw new UsageException(CliMessages.BadThreads(text));
        }

        return context.Parallel with { Threads = threads };
    }
}
