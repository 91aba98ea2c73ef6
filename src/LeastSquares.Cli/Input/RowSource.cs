namespace LeastSquares.Cli.Input;

/// <summary>
/// The one way in to the rows of a CSV input, for every command: it opens the file or standard
/// input, reads the header, finds the model's columns, and reads the rows into the state a method
/// needs by the fastest path that gives the same result.
/// </summary>
/// <remarks>
/// The paths, fastest first: a big regular file in parts on several cores (<see cref="ParallelFileReader"/>);
/// standard input after a plain header through the fast reader of plain rows (<see cref="PlainRowReader"/>);
/// otherwise one sequential pass of the CSV reader (<see cref="CsvSource"/>), which also takes over
/// wherever a fast path meets a record it does not read for certain. All of them split plain records
/// with <see cref="PlainRecord"/> and add the rows in file order, so the sums do not depend on the path.
/// </remarks>
internal sealed partial class RowSource : IDisposable
{
    private readonly CliContext _context;
    private readonly StandardInput? _split; // standard input after its header, the rows unread

    private readonly string? _file; // as opened: a path, or null or '-' for standard input

    private RowSource(CsvSource csv, StandardInput? split, CliContext context, string? file)
    {
        Csv = csv;
        _split = split;
        _context = context;
        _file = file;
    }

    /// <summary>The CSV reader of the input, for commands that go through it row by row (predict).</summary>
    public CsvSource Csv { get; }

    /// <summary>The file name, or &lt;stdin&gt;, as messages show it.</summary>
    public string DisplayName => Csv.DisplayName;

    /// <summary>Column names (V1, V2, … without a header).</summary>
    public IReadOnlyList<string> Header => Csv.Header;

    /// <summary>True for an input without a single line (only when opened with allowEmpty).</summary>
    public bool IsEmpty => Csv.IsEmpty;

    /// <summary>The columns of the model the user stated, found in the header.</summary>
    public ModelColumns Resolve(ModelSpec spec) => ModelColumns.Resolve(Csv, spec);

    /// <summary>The columns of a saved model's predictors (and target, when asked), found by name; see <see cref="ModelColumns.Find"/>.</summary>
    public ModelColumns Find(ModelTerms terms, string modelPath, bool withTarget) =>
        ModelColumns.Find(Csv, terms, modelPath, Csv.Dialect.HasHeader, withTarget);

    /// <summary>
    /// Reads the rows of the model the user stated into the state <paramref name="method"/> needs;
    /// an empty input (allowed only when opened so) gives the state of no rows when the options
    /// alone name the model. With <paramref name="keepRows"/> the state also carries a second pass
    /// over the rows (<see cref="RowState.Rows"/>, a <see cref="RowCache"/> in the temporary folder
    /// that the caller must dispose; it is disposed here if the read fails). With
    /// <paramref name="needsRows"/> (a fit that needs a row per coefficient) a file whose lines
    /// cannot hold them is refused before any state is made (<see cref="RowBound"/>).
    /// </summary>
    public RowState Read(ModelSpec spec, FitMethod method, bool keepRows, bool allowEmpty, ParallelSettings? parallel, bool showProgress,
        bool needsRows = false)
    {
        if (IsEmpty)
        {
            // An empty byte range from a splitter: still a partial, of zero rows, when the
            // options alone name the model.
            var terms = spec.TermsWithoutHeader(Csv.Dialect.HasHeader)
                ?? throw new InputException(CliMessages.EmptyInputModelUnknown(DisplayName));
            return RowState.Empty(terms);
        }

        var columns = Resolve(spec);
        if (needsRows && _split is not null)
        {
            RowBound.RequireAhead(_split, DisplayName, columns.Terms.CoefficientCount);
        }
        else if (needsRows)
        {
            RowBound.Require([_file], Csv.Dialect, columns.Terms.CoefficientCount);
        }

        if (!keepRows)
        {
            return Read(columns, method, null, allowEmpty, parallel, showProgress);
        }

        var cache = RowCache.Create(columns.Terms.RowWidth);
        try
        {
            var state = Read(columns, method, cache.Add, allowEmpty, parallel, showProgress);
            return state with { Rows = cache };
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the rows into one state per group of the --by columns <paramref name="by"/> (the groups
    /// in the order of first appearance), by the fastest path: in parts for a big file, the fast
    /// reader of plain rows for standard input and compressed files, the CSV reader otherwise. With
    /// <paramref name="keepRows"/> (sgd) each group's rows are also kept in a <see cref="GroupedRowCache"/>
    /// (<see cref="GroupedRowState.Rows"/>, which the caller disposes), read in one sequential pass.
    /// </summary>
    public GroupedRowState ReadGroups(ModelSpec spec, IReadOnlyList<string> by, FitMethod method, int maxGroups, bool allowEmpty,
        ParallelSettings? parallel, bool showProgress, bool keepRows = false)
    {
        if (IsEmpty)
        {
            var terms = spec.TermsWithoutHeader(Csv.Dialect.HasHeader)
                ?? throw new InputException(CliMessages.EmptyInputModelUnknown(DisplayName));
            return new GroupedRowState(by, new ModelColumns(terms, []), [], 0);
        }

        var groups = ModelColumns.ResolveBy(Csv, by);
        var columns = ModelColumns.ResolveGrouped(Csv, spec, groups);
        GroupedRowState state;
        try
        {
            var table = new GroupTable(columns, groups.Names, method, maxGroups, DisplayName, keepRows);
            try
            {
                state = ReadGroups(columns, groups, table, method, maxGroups, keepRows ? null : parallel, showProgress);
            }
            catch
            {
                table.DisposeRows();
                throw;
            }
        }
        catch (InputException) when (Csv.Decoder is { } decoder)
        {
            decoder.Verify();
            throw;
        }

        if (!allowEmpty && state.Groups.Count == 0)
        {
            state.Rows?.Dispose();
            ModelColumns.RequireRows(0, state.Skipped, DisplayName);
        }

        return state;
    }

    private GroupedRowState ReadGroups(ModelColumns columns, GroupColumns by, GroupTable table, FitMethod method, int maxGroups, ParallelSettings? parallel,
        bool showProgress)
    {
        var cancellation = _context.Cancellation;
        using var progress = showProgress && _context.StderrIsTerminal
            ? ReadProgress.Start(_context.Stderr, DisplayName, Csv.Length, () => Csv.BytesRead)
            : null;
        if (_split is not null)
        {
            var fast = GroupedRows.ReadPlain(_split.Rows, Csv.Dialect, Csv.Separator, Header.Count, columns, by, table, stop: null, cancellation, keepRest: true);
            long skipped = 0;
            if (fast.End == PlainReadEnd.Handover)
            {
                long linesBefore = 1 + fast.Rows;
                var rest = new CountingStream(new PrefixedStream(fast.Rest ?? [], _split.Rows, leaveOpen: true), limit: null, countQuotes: false);
                using var slow = CsvSource.ForPart(rest, DisplayName, Csv.Dialect, Csv.Separator, Header, () => linesBefore);
                GroupedRows.ReadCsv(slow, columns, by, table, stop: null, cancellation);
                skipped = slow.SkippedRows;
            }

            return table.ToState(skipped);
        }

        if (parallel is not null && Csv.FilePath is { } path && Csv.Length >= parallel.MinBytes)
        {
            var counter = new ByteCounter();
            progress?.Follow(() => counter.Bytes);
            if (ParallelFileReader.TryReadGroups(path, DisplayName, Csv.Dialect, Csv.Separator, columns, by, Header, parallel, method, maxGroups, counter,
                cancellation) is { } parts)
            {
                return parts;
            }

            progress?.Follow(() => Csv.BytesRead);
        }

        GroupedRows.ReadCsv(Csv, columns, by, table, stop: null, cancellation);
        return table.ToState(Csv.SkippedRows);
    }

    /// <summary>
    /// Reads every data row into the state <paramref name="method"/> needs (for --partial, normal's
    /// moments), or into <paramref name="into"/> when given, telling <paramref name="onRow"/> of each
    /// row. No rows is an input error unless <paramref name="allowEmpty"/>.
    /// </summary>
    /// <remarks>
    /// Only a read with no <paramref name="onRow"/> goes the fast ways: in parts (given
    /// <paramref name="parallel"/>, for a big regular file; the result does not depend on the number
    /// of threads), or, for standard input opened with intoState, through the fast reader.
    /// </remarks>
    /// <param name="polynomialFrames">
    /// Whether to read the input again for the basis of an orthogonal <c>poly()</c> when rows were
    /// skipped (<see cref="WithPolynomialFrames"/>); false where the basis does not matter (anova's
    /// sums of squares) or the fit is already known (a second pass).
    /// </param>
    public RowState Read(ModelColumns columns, FitMethod method, Action<double[]>? onRow = null, bool allowEmpty = false,
        ParallelSettings? parallel = null, bool showProgress = false, MomentAccumulator? into = null, bool polynomialFrames = true)
    {
        var state = ReadOnce(columns, method, onRow, allowEmpty, parallel, showProgress, into);
        return polynomialFrames ? WithPolynomialFrames(state, parallel) : state;
    }

    private RowState ReadOnce(ModelColumns columns, FitMethod method, Action<double[]>? onRow, bool allowEmpty,
        ParallelSettings? parallel, bool showProgress, MomentAccumulator? into)
    {
        try
        {
            return ReadAll(columns, method, onRow, allowEmpty, parallel, showProgress, into);
        }
        catch (InputException) when (Csv.Decoder is { } decoder)
        {
            decoder.Verify(); // a CSV error in corrupt compressed data is reported as the corruption
            throw;
        }
    }

    private RowState ReadAll(ModelColumns columns, FitMethod method, Action<double[]>? onRow, bool allowEmpty,
        ParallelSettings? parallel, bool showProgress, MomentAccumulator? into)
    {
        var cancellation = _context.Cancellation;
        using var progress = showProgress && _context.StderrIsTerminal
            ? ReadProgress.Start(_context.Stderr, DisplayName, Csv.Length, () => Csv.BytesRead)
            : null;
        if (_split is not null)
        {
            // The CSV reader has only the header of a split standard input: the rows must go the fast way.
            return onRow is null
                ? ReadSplit(_split.Rows, columns, method, allowEmpty, cancellation)
                : throw new InvalidOperationException("Standard input opened for a read into a state is read row by row.");
        }

        if (onRow is null && parallel is not null && Csv.FilePath is { } path && Csv.Length >= parallel.MinBytes
            && InParts(path, columns, method, parallel, progress) is { } parts)
        {
            if (!allowEmpty)
            {
                ModelColumns.RequireRows(parts.State.Count, parts.Skipped, DisplayName);
            }

            return parts;
        }

        return Finish(columns.ReadRows(Csv, method, onRow, stop: null, cancellation, into), Csv.SkippedRows, allowEmpty);
    }

    /// <summary>The state of the rows read, after checking that there are some (unless <paramref name="allowEmpty"/>).</summary>
    private RowState Finish(MomentAccumulator accumulator, long skipped, bool allowEmpty)
    {
        if (!allowEmpty)
        {
            ModelColumns.RequireRows(accumulator.Count, skipped, DisplayName);
        }

        return RowState.Of(accumulator, skipped);
    }

    private RowState? InParts(string path, ModelColumns columns, FitMethod method, ParallelSettings parallel, ReadProgress? progress)
    {
        var counter = new ByteCounter();
        progress?.Follow(() => counter.Bytes);
        var state = ParallelFileReader.TryRead(path, DisplayName, Csv.Dialect, Csv.Separator, columns, Header, parallel, method, counter,
            watch: null, _context.Cancellation);
        if (state is null)
        {
            progress?.Follow(() => Csv.BytesRead);
        }

        return state;
    }

    /// <summary>
    /// The rows of standard input after its header (<paramref name="rows"/>): the fast reader
    /// first, and from the first line it does not take, the CSV reader, with line numbers that
    /// go on from the header and the rows before.
    /// </summary>
    private RowState ReadSplit(Stream rows, ModelColumns columns, FitMethod method, bool allowEmpty, CancellationToken cancellation)
    {
        var accumulator = RowState.Accumulator(columns.Terms, method);
        var fast = PlainRowReader.Read(rows, Csv.Separator, Header.Count, columns.Columns, accumulator, stop: null, cancellation, keepRest: true, Csv.Dialect);
        long skipped = fast.Skipped;
        if (fast.End == PlainReadEnd.Handover)
        {
            long linesBefore = 1 + fast.Rows + fast.Skipped; // the header, then one line for each row taken or left out
            var rest = new CountingStream(new PrefixedStream(fast.Rest ?? [], rows, leaveOpen: true), limit: null, countQuotes: false);
            using var slow = CsvSource.ForPart(rest, DisplayName, Csv.Dialect, Csv.Separator, Header, () => linesBefore);
            columns.ReadRows(slow, method, onRow: null, stop: null, cancellation, accumulator);
            skipped += slow.SkippedRows;
        }

        return Finish(accumulator, skipped, allowEmpty);
    }

    public void Dispose()
    {
        Csv.Dispose();
        _split?.Rows.Dispose();
    }
}
