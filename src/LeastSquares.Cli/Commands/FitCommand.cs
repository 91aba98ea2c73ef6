using System.CommandLine;
using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Partials;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq fit</c>.</summary>
internal sealed record FitSettings
{
    public string? File { get; init; }

    public CsvDialect Dialect { get; init; } = new();

    public ModelSpec Model { get; init; } = new(null, null, 1, true);

    /// <summary>Write the mergeable state of the rows instead of solving.</summary>
    public bool Partial { get; init; }

    public FitOutputSettings Output { get; init; } = new();
}

/// <summary>
/// <c>lsq fit</c>: read a CSV, fit the model, print the coefficients and the loss; or, with
/// <c>--partial</c>, print the moments of the rows for <c>lsq merge</c>.
/// </summary>
internal static class FitCommand
{
    public static Command Create(CliContext context)
    {
        var file = CommonOptions.File();
        var target = CommonOptions.Target();
        var features = CommonOptions.Features();
        var degree = CommonOptions.Degree();
        var noIntercept = CommonOptions.NoIntercept();
        var fitOptions = new FitOutputOptions();
        var delimiter = CommonOptions.Delimiter();
        var noHeader = CommonOptions.NoHeader();
        var missing = CommonOptions.Missing();
        var partial = CommonOptions.Partial();

        var command = new Command("fit", "Fit a linear least-squares model to CSV data and print the coefficients and the loss (MSE).")
        {
            file, target, features, degree, noIntercept,
        };
        foreach (var option in fitOptions.SolveOnly)
        {
            command.Options.Add(option);
        }

        foreach (var option in new Option[] { delimiter, noHeader, missing, partial, fitOptions.Output, fitOptions.Quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                bool isPartial = parse.GetValue(partial);
                fitOptions.RejectIgnored(parse, isPartial);

                var settings = new FitSettings
                {
                    File = parse.GetValue(file),
                    Dialect = CommonOptions.Dialect(parse.GetValue(delimiter), parse.GetValue(noHeader), parse.GetValue(missing)!),
                    Model = new ModelSpec(parse.GetValue(target), CommonOptions.ParseList(parse.GetValue(features), "--features"),
                        parse.GetValue(degree), !parse.GetValue(noIntercept)),
                    Partial = isPartial,
                    Output = fitOptions.Read(parse),
                };
                return Run(settings, context);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, context.Stderr);
            }
        });
        return command;
    }

    /// <summary>Runs a fit with validated settings; returns the exit code.</summary>
    public static int Run(FitSettings settings, CliContext context)
    {
        try
        {
            if (settings.Partial)
            {
                FitOutput.CheckTargets(settings.Output.OutputPath);
            }
            else
            {
                FitOutput.Preflight(settings.Output);
            }
            if (settings.Output.InitPath is { } init && !File.Exists(init))
            {
                throw new InputException(CliMessages.FileNotFound(init));
            }

            var parallel = ParallelSettingsOf(context);

            // Only mini-batch SGD reads the rows again, so only it keeps them.
            bool keepRows = !settings.Partial && settings.Output.Solver.Method == FitMethod.StochasticGradientDescent;
            var rows = keepRows ? new List<double>() : null;
            Moments moments;
            TriangularFactor? factor = null;
            long skipped = 0;

            // --partial writes moments, so qr's factor is not needed then.
            var method = settings.Partial ? FitMethod.Normal : settings.Output.Solver.Method;

            // Standard input with a header, for a method that needs one pass: the header line is
            // split off for the CSV reader and the rows go, unread, to the fast reader.
            Func<Stream> openStdin = context.OpenStdin;
            StandardInput? split = null;
            if (settings.File is null or "-" && settings.Dialect.HasHeader && !keepRows && method is FitMethod.Normal or FitMethod.GradientDescent or FitMethod.Qr)
            {
                split = StandardInput.TrySplit(context.OpenStdin(), out var replay);
                var header = split?.Header;
                openStdin = header is null ? () => replay : () => new MemoryStream(header);
            }

            using var splitRows = split?.Rows;
            using (var source = CsvSource.Open(settings.File, settings.Dialect, openStdin, allowEmpty: settings.Partial))
            using (var progress = context.StderrIsTerminal && !settings.Output.Quiet
                ? ReadProgress.Start(context.Stderr, source.DisplayName, source.Length, () => source.BytesRead)
                : null)
            {
                if (source.IsEmpty)
                {
                    // An empty byte range from a splitter: still a partial, of zero rows, when the
                    // options alone name the model.
                    var terms = settings.Model.TermsWithoutHeader(settings.Dialect.HasHeader)
                        ?? throw new InputException(CliMessages.EmptyInputModelUnknown(source.DisplayName));
                    moments = MomentAccumulator.Create(terms).ToMoments();
                }
                else
                {
                    var columns = ModelColumns.Resolve(source, settings.Model);
                    (moments, factor, skipped) = split is not null
                        ? ReadSplit(source, split.Rows, columns, method, settings.Partial, context.Cancellation)
                        : Read(source, columns, method, parallel, progress, keepRows ? rows!.AddRange : null, settings.Partial, context.Cancellation);
                }
            }

            if (skipped > 0)
            {
                ErrorReporter.Warn(context.Stderr, settings.Output.Quiet, CliMessages.SkippedRows(skipped, DisplayName(settings.File)));
            }

            if (settings.Partial)
            {
                FitOutput.Write(PartialJson.Serialize(moments, skipped, LsqApp.Version), settings.Output.OutputPath, context);
            }
            else
            {
                FitOutput.Solve(moments, factor, rows?.ToArray(), skipped, settings.Output, context);
            }

            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Stderr);
        }
    }

    /// <summary>
    /// Reads the data rows into moments: a big regular file in parts, on as many cores as
    /// LSQ_THREADS allows (the result does not depend on how many), through the fast reader of
    /// plain rows; otherwise (standard input, pipes, small files, quotes across a cut) in one
    /// sequential pass of the CSV reader.
    /// </summary>
    /// <remarks>
    /// normal, gd and --partial read the parts into moments, qr into triangular factors that are
    /// merged; only sgd, which keeps the rows, always reads sequentially.
    /// </remarks>
    private static (Moments Moments, TriangularFactor? Factor, long Skipped) Read(CsvSource source, ModelColumns columns, FitMethod method,
        ParallelSettings parallel, ReadProgress? progress, Action<double[]>? onRow, bool allowEmpty, CancellationToken cancellation)
    {
        bool inParts = onRow is null && method is FitMethod.Normal or FitMethod.GradientDescent or FitMethod.Qr;
        if (inParts && source.FilePath is { } path && source.Length >= parallel.MinBytes)
        {
            var counter = new ByteCounter();
            progress?.Follow(() => counter.Bytes);
            var result = ParallelFileReader.TryRead(path, source.DisplayName, source.Dialect, source.Separator, columns, source.Header, parallel,
                method, counter, cancellation);
            if (result is { } done)
            {
                if (!allowEmpty)
                {
                    ModelColumns.RequireRows(done.Moments.Count, done.Skipped, source.DisplayName);
                }

                return (done.Moments, done.Factor, done.Skipped);
            }

            progress?.Follow(() => source.BytesRead);
        }

        var accumulator = columns.Accumulate(source, method, cancellation, onRow, allowEmpty);
        return Result(accumulator, source.SkippedRows);
    }

    /// <summary>
    /// The rows of standard input after its header (<paramref name="rows"/>): the fast reader
    /// first, and from the first line it does not take, the CSV reader, with line numbers that
    /// go on from the header and the rows before.
    /// </summary>
    private static (Moments Moments, TriangularFactor? Factor, long Skipped) ReadSplit(CsvSource source, Stream rows, ModelColumns columns,
        FitMethod method, bool allowEmpty, CancellationToken cancellation)
    {
        var accumulator = MomentAccumulator.Create(columns.Terms, method);
        var fast = PlainRowReader.Read(rows, source.Separator, source.Header.Count, columns.Columns, accumulator, stop: null, cancellation,
            keepRest: true);
        long skipped = 0;
        if (fast.End == PlainReadEnd.Handover)
        {
            long linesBefore = 1 + fast.Rows; // the header, then one line for each row taken
            var rest = new CountingStream(new PrefixedStream(fast.Rest ?? [], rows), limit: null, countQuotes: false);
            using var slow = CsvSource.ForPart(rest, source.DisplayName, source.Dialect, source.Separator, source.Header, () => linesBefore);
            columns.ReadRows(slow, method, onRow: null, stop: null, cancellation, accumulator);
            skipped = slow.SkippedRows;
        }

        if (!allowEmpty)
        {
            ModelColumns.RequireRows(accumulator.Count, skipped, source.DisplayName);
        }

        return Result(accumulator, skipped);
    }

    /// <summary>What the solvers need of an accumulator: its moments, and for qr its triangular factor.</summary>
    private static (Moments Moments, TriangularFactor? Factor, long Skipped) Result(MomentAccumulator accumulator, long skipped) =>
        accumulator is QrAccumulator qr && qr.ToFactor() is var factor
            ? (factor.ToMoments(), factor, skipped)
            : (accumulator.ToMoments(), null, skipped);

    private static string DisplayName(string? file) => file is null or "-" ? "<stdin>" : file;

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
