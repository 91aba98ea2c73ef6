namespace LeastSquares.Cli.Input;

/// <summary>
/// Several inputs read as one (<c>lsq fit a.csv b.csv.gz …</c>): the rows of each, in the order
/// given, go into one state, as if the files were one file with one header. Each header must be
/// the first file's; each error names the file and the line it belongs to.
/// </summary>
/// <remarks>
/// The files are read one after another in one sequential pass each (never in parts), so the
/// state is that of the concatenated file read sequentially.
/// </remarks>
internal static class FileSequence
{
    /// <summary>
    /// Reads every row of <paramref name="files"/> into the state <paramref name="method"/> needs;
    /// with <paramref name="needsRows"/>, files whose lines cannot hold a row per coefficient are
    /// refused before any state is made (<see cref="RowBound"/>).
    /// </summary>
    public static RowState Read(IReadOnlyList<string> files, CsvDialect dialect, CliContext context, ModelSpec spec, FitMethod method,
        bool keepRows, bool allowEmpty, bool needsRows = false)
    {
        RowCache? cache = null; // sgd's second pass over the rows, made when the first header gives the row width
        MomentAccumulator? accumulator = null;
        ModelColumns? columns = null;
        try
        {
            long? skipped = EachFile(files, dialect, context, allowEmpty,
                first: source =>
                {
                    columns = source.Resolve(spec);
                    if (needsRows)
                    {
                        RowBound.Require(files, dialect, columns.Terms.CoefficientCount);
                    }

                    accumulator = RowState.Accumulator(columns.Terms, method);
                    cache = keepRows ? RowCache.Create(columns.Terms.RowWidth) : null;
                },
                read: source => columns!.ReadRows(source.Csv, method, cache is null ? null : cache.Add, stop: null, context.Cancellation, accumulator));
            var names = string.Join(", ", files.Select(InputFile.DisplayName));
            if (skipped is not { } count)
            {
                var terms = allowEmpty ? spec.TermsWithoutHeader(dialect.HasHeader) : null;
                return terms is not null ? RowState.Empty(terms) : throw new InputException(CliMessages.EmptyFile(names));
            }

            if (!allowEmpty)
            {
                ModelColumns.RequireRows(accumulator!.Count, count, names);
            }

            var state = RowState.Of(accumulator!, count) with { Rows = cache };
            if (count > 0 && columns!.Terms.HasUnfittedPolynomials)
            {
                // poly()'s basis from every row where its argument is present, in every file (see RowState.PolynomialFrames).
                var frames = files.Select(f => RowSource.PolynomialFrames(f, dialect, context, columns.Terms)).ToList();
                state = state with
                {
                    PolynomialFrames = [.. Enumerable.Range(0, frames[0].Count)
                        .Select(k => frames.Select(f => f[k]).Where(m => m.Count > 0).Aggregate(Moments.Merge))],
                };
            }

            return state;
        }
        catch
        {
            cache?.Dispose();
            throw;
        }
    }

    /// <summary>Reads every row of <paramref name="files"/> into one state per group of the --by columns <paramref name="by"/>.</summary>
    public static GroupedRowState ReadGroups(IReadOnlyList<string> files, CsvDialect dialect, CliContext context, ModelSpec spec, IReadOnlyList<string> by,
        FitMethod method, int maxGroups, bool allowEmpty, bool keepRows = false)
    {
        var names = string.Join(", ", files.Select(InputFile.DisplayName));
        GroupTable? table = null;
        GroupColumns? groups = null;
        ModelColumns? columns = null;
        long? skipped;
        try
        {
            skipped = EachFile(files, dialect, context, allowEmpty,
            first: source =>
            {
                groups = ModelColumns.ResolveBy(source.Csv, by);
                columns = ModelColumns.ResolveGrouped(source.Csv, spec, groups);
                table = new GroupTable(columns, groups.Names, method, maxGroups, names, keepRows);
            },
            read: source => GroupedRows.ReadCsv(source.Csv, columns!, groups!, table!, stop: null, context.Cancellation));
        }
        catch
        {
            table?.DisposeRows();
            throw;
        }

        if (skipped is not { } count)
        {
            var terms = allowEmpty ? spec.TermsWithoutHeader(dialect.HasHeader) : null;
            return terms is not null
                ? new GroupedRowState(by, new ModelColumns(terms, []), [], 0)
                : throw new InputException(CliMessages.EmptyFile(names));
        }

        var state = table!.ToState(count);
        if (count > 0 && columns!.Terms.HasUnfittedPolynomials)
        {
            throw new UsageException(CliMessages.PolyFrameNot(columns.Terms.TermList.OfType<OrthogonalPolyTerm>().First().Label, "several input files and --by"));
        }

        if (!allowEmpty && state.Groups.Count == 0)
        {
            state.Rows?.Dispose();
            ModelColumns.RequireRows(0, state.Skipped, names);
        }

        return state;
    }

    /// <summary>
    /// The one walk over several inputs: opens each file in turn, passes over those without a single
    /// line or data row when <paramref name="allowEmpty"/> (the byte ranges of a splitter; otherwise
    /// such a file is an input error: an empty shard is most often a step before that failed),
    /// hands the first with a header to <paramref name="first"/> (which resolves the model),
    /// checks every later header against it, and lets <paramref name="read"/> read the rows (a
    /// compressed file's error is checked against its data first: a cut file says so). Returns the
    /// rows the files skipped, or null when no file had a line.
    /// </summary>
    private static long? EachFile(IReadOnlyList<string> files, CsvDialect dialect, CliContext context, bool allowEmpty, Action<RowSource> first,
        Action<RowSource> read)
    {
        if (files.Count(InputFile.IsStdin) > 1)
        {
            throw new UsageException(CliMessages.StdinTwice);
        }

        IReadOnlyList<string>? firstHeader = null;
        string firstName = "";
        long skipped = 0;
        foreach (var file in files)
        {
            using var source = RowSource.Open(file, dialect, context, allowEmpty: true);
            if (source.IsEmpty)
            {
                if (!allowEmpty)
                {
                    throw new InputException(CliMessages.EmptyAmongInputs(source.DisplayName, files.Count));
                }

                continue; // a file without a single line adds no rows (an empty header is refused when no file has one)
            }

            if (firstHeader is null)
            {
                firstHeader = source.Header;
                firstName = source.DisplayName;
                first(source);
            }
            else if (HeaderDifference(firstHeader, source.Header) is { } difference)
            {
                throw new InputException(CliMessages.HeadersDiffer(source.DisplayName, firstName, difference));
            }

            try
            {
                read(source);
            }
            catch (InputException) when (source.Csv.Decoder is { } decoder)
            {
                decoder.Verify();
                throw;
            }

            if (!allowEmpty && source.Csv.DataRows == 0)
            {
                throw new InputException(CliMessages.NoRowsAmongInputs(source.DisplayName, files.Count));
            }

            skipped += source.Csv.SkippedRows;
        }

        return firstHeader is null ? null : skipped;
    }

    /// <summary>How <paramref name="other"/> differs from <paramref name="first"/>, in words; null when they are the same.</summary>
    internal static string? HeaderDifference(IReadOnlyList<string> first, IReadOnlyList<string> other)
    {
        for (int i = 0; i < Math.Min(first.Count, other.Count); i++)
        {
            if (!string.Equals(first[i], other[i], StringComparison.Ordinal))
            {
                return $"column {i + 1} is '{other[i]}' here and '{first[i]}' there";
            }
        }

        return first.Count == other.Count ? null
            : $"it has {other.Count} columns and the first has {first.Count}";
    }
}
