using System.CommandLine;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Terms;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq predict</c>.</summary>
internal sealed record PredictSettings
{
    public required string ModelPath { get; init; }

    public string? File { get; init; }

    public CsvDialect Dialect { get; init; } = new() { OffersSkip = false };

    public bool Only { get; init; }

    public string? OutputPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>The interval to add after the prediction (--interval).</summary>
    public PredictInterval Interval { get; init; }

    /// <summary>The interval's level (--level).</summary>
    public double Level { get; init; } = Options.Defaults.Level;

    /// <summary>Add residual, leverage, standardized residual and Cook's distance (--diagnostics).</summary>
    public bool Diagnostics { get; init; }
}

/// <summary>
/// <c>lsq predict</c>: apply a saved model to the rows of a CSV, streaming them out with a
/// <c>prediction</c> column. Memory does not depend on the number of rows.
/// </summary>
internal static class PredictCommand
{
    public const string PredictionColumn = "prediction";

    public static Command Create(CliContext context)
    {
        var file = CommonOptions.File();
        var model = new Option<string>("--model")
        {
            Description = "Model file written by 'lsq fit --save'",
            HelpName = "FILE",
            Required = true,
        };
        var only = new Option<bool>("--only") { Description = "Write only the prediction column and those --interval and --diagnostics add (after the row names of an R file), not the input fields" };
        var interval = Words.Interval.Option("--interval",
            "Add 'lower' and 'upper' after the prediction: the interval of the mean response (confidence) or of a new observation (prediction), as R's predict.lm(interval=)",
            PredictInterval.None);
        var level = CommonOptions.Level("Level of the --interval intervals (R's predict.lm(level=))");
        var diagnostics = new Option<bool>("--diagnostics")
        {
            Description = "Rows that hold the target: add residual, leverage, std_residual and cooks_distance (R's residuals, hatvalues, rstandard, cooks.distance)",
        };
        var dialect = new DialectOptions(offersSkip: false);
        var missing = CommonOptions.PredictMissing();
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();

        var command = new Command(
            "predict",
            "Apply a saved model to the rows of a CSV: write each row with a 'prediction' column, separated as the input is (TSV in, TSV out). "
            + "Predictor columns are found by name, in any order.")
        {
            file, model, only, interval, level, diagnostics, missing, dialect.Delimiter, dialect.Decimal, dialect.NoHeader, output, quiet,
        };
        CommandRunner.SetAction(command, context, parse => CommonOptions.Given(parse, [level]).Length > 0 && Words.Interval.Parse(parse.GetValue(interval)) == PredictInterval.None
            ? throw new UsageException(CliMessages.LevelWithoutIntervals("--interval confidence (or prediction)"))
            : new PredictSettings
            {
                ModelPath = parse.GetValue(model)!,
                File = parse.GetValue(file),
                Dialect = dialect.Read(parse) with { Missing = Words.Missing.Parse(parse.GetValue(missing)), OffersNa = true },
                Only = parse.GetValue(only),
                OutputPath = parse.GetValue(output),
                Quiet = parse.GetValue(quiet),
                Interval = Words.Interval.Parse(parse.GetValue(interval)),
                Level = parse.GetValue(level),
                Diagnostics = parse.GetValue(diagnostics),
            }, Execute);
        return command;
    }

    /// <summary>Runs a prediction with validated settings; returns the exit code.</summary>
    public static int Run(PredictSettings settings, CliContext context) => CommandRunner.Run(context, () => Execute(settings, context));

    private static void Execute(PredictSettings settings, CliContext context)
    {
        if (GroupedModelFile.IsGrouped(settings.ModelPath))
        {
            if (settings.Dialect.Missing == MissingPolicy.Na)
            {
                throw new UsageException(CliMessages.PredictMissingNaGrouped(settings.ModelPath));
            }

            GroupedPredict.Execute(settings, context);
            return;
        }

        var parallel = FitCommand.ParallelSettingsOf(context);
        var saved = ModelFile.Read(settings.ModelPath);
        var linear = saved.ToModel();
        var (influence, tQuantile) = settings.Interval != PredictInterval.None || settings.Diagnostics ? InferenceOf(saved, settings) : (null, 0);
        if (saved.Converged == false)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath));
        }

        if (saved.Coefficients.Select((c, j) => double.IsNaN(c) ? saved.Terms.TermNames[j] : null).OfType<string>().ToList() is { Count: > 0 } aliased)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.RankDeficientModel(settings.ModelPath, aliased));
        }

        if (settings.OutputPath is { } outputPath)
        {
            AtomicFile.EnsureFolder(outputPath);
            AtomicFile.EnsureNotInput(outputPath, [settings.File, settings.ModelPath]);
        }

        using var source = RowSource.Open(settings.File, settings.Dialect, context);
        if (settings.Diagnostics && !source.IsEmpty && !source.Header.Contains(linear.Terms.Target, StringComparer.Ordinal))
        {
            throw new InputException(CliMessages.DiagnosticsWithoutTarget(source.DisplayName, settings.ModelPath, linear.Terms.Target));
        }

        var columns = source.Find(linear.Terms, settings.ModelPath, withTarget: settings.Diagnostics).Columns;
        // A factor's cells are read as the saved model's level codes (the target, when read, is a number).
        var levels = ModelColumns.KnownLevels(linear.Terms) is { } known ? [.. known, .. new FactorLevels?[columns.Length - known.Count]] : (FactorLevels?[]?)null;
        var predictor = new RowPredictor(linear, influence, tQuantile, settings.Interval, settings.Diagnostics);
        var names = NewColumnNames(source, settings, predictor.Names, context);
        long missingRows;
        if (settings.OutputPath is { } path)
        {
            using var pending = AtomicFile.Create(path);
            missingRows = Stream(source, predictor, names, columns, levels, settings, parallel, new ByteSink(pending.Writer), context.Cancellation);
            pending.Writer.Flush();
            pending.Commit();
        }
        else
        {
            var sink = new ByteSink(context.Stdout);
            missingRows = Stream(source, predictor, names, columns, levels, settings, parallel, sink, context.Cancellation);
            sink.Flush();
        }

        if (missingRows > 0)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.PredictedNa(missingRows, source.DisplayName));
        }
    }

    /// <summary>
    /// What intervals and diagnostics need from the model file, or the input error that says why it
    /// does not have it: a file older than version 3, a penalized fit, a gd/sgd run that did not
    /// converge, no residual degrees of freedom.
    /// </summary>
    private static (Influence Influence, double TQuantile) InferenceOf(SavedModel saved, PredictSettings settings)
    {
        string asked = settings.Interval != PredictInterval.None ? "--interval" : "--diagnostics";
        if (saved.Sigma is { } sigma && saved.ResidualDegreesOfFreedom is { } df && saved.UnscaledCovariance is { } covariance)
        {
            return (new Influence(saved.Terms, covariance, sigma), StudentTDistribution.Quantile(0.5 + (settings.Level / 2), df));
        }

        string why = saved.Version < 3 ? CliMessages.NoInferenceOldModel(saved.Version)
            : saved.Penalized == true ? CliMessages.NoInferencePenalized
            : saved.Converged == false ? CliMessages.NoInferenceUnconverged
            : CliMessages.NoInferenceOther;
        throw new InputException(CliMessages.NoInference(settings.ModelPath, asked, why));
    }

    /// <summary>
    /// The names of the columns predict adds, each made unique against the input's columns written
    /// before them as R's <c>make.unique</c> does (a second 'prediction' is 'prediction.1': chained
    /// predicts stay readable by name), with a warning naming each one renamed.
    /// </summary>
    internal static IReadOnlyList<string> NewColumnNames(RowSource source, PredictSettings settings, IReadOnlyList<string> added, CliContext context)
    {
        if (settings.Only || !settings.Dialect.HasHeader || source.IsEmpty)
        {
            return added;
        }

        var taken = new HashSet<string>(source.Header, StringComparer.Ordinal);
        var names = new List<string>(added.Count);
        foreach (var name in added)
        {
            var unique = name;
            for (int k = 1; taken.Contains(unique); k++)
            {
                unique = name + "." + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (unique != name)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.PredictColumnRenamed(source.DisplayName, name, unique));
            }

            taken.Add(unique);
            names.Add(unique);
        }

        return names;
    }

    /// <summary>Writes the rows' predictions; returns how many rows had a missing predictor (--missing na: NA written).</summary>
    private static long Stream(RowSource source, RowPredictor predictor, IReadOnlyList<string> names, int[] columns, IReadOnlyList<FactorLevels?>? levels,
        PredictSettings settings, ParallelSettings parallel, ByteSink sink, CancellationToken cancellation)
    {
        var head = new CsvBytes(separator: source.Csv.Separator); // the input's delimiter: TSV in, TSV out
        // With --only, a row-name column (R's write.csv and write.table) still comes first.
        bool rowNames = settings.Only && settings.Dialect.HasHeader && !source.IsEmpty && ModelColumns.HasRowNames(source.Header);
        if (settings.Dialect.HasHeader)
        {
            if (!settings.Only)
            {
                foreach (var name in source.Header)
                {
                    head.Text(name);
                }
            }
            else if (rowNames)
            {
                head.Text(source.Header[0]);
            }

            foreach (var name in names)
            {
                head.Text(name);
            }

            head.End();
        }

        sink.Write(head.Written);
        if (source.IsEmpty)
        {
            return 0;
        }

        // A header and no rows (a filter upstream matched nothing) gives the header and no rows,
        // exit 0, as mlr and xsv do: an empty answer to an empty question, not an error.
        var csv = source.Csv;
        bool plain = !settings.Dialect.DecimalComma && levels is null; // the fast reader reads numbers only
        var pass = new PredictPass(predictor, columns, source.Header.Count, csv.Separator, settings.Only, rowNames, plain, levels);
        var big = parallel with { PartBytes = Math.Min(parallel.PartBytes, PredictInParts.PartBytes) };
        if (plain && !rowNames && csv.FilePath is { } path && csv.Length >= parallel.MinBytes && ParallelFileReader.Cuts(path, big) is { } cuts)
        {
            PredictInParts.Run(path, csv.DisplayName, csv.Dialect, csv.Separator, csv.Header, cuts, pass, parallel.Threads, sink, cancellation);
            return pass.MissingRows;
        }

        PredictInParts.Stream(csv, pass, sink, cancellation);
        return pass.MissingRows;
    }
}
