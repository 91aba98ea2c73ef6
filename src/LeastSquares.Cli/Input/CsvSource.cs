using System.Globalization;
using System.Text;
using CsvHelper;

namespace LeastSquares.Cli.Input;

/// <summary>What to do with an empty cell in a column the model uses.</summary>
internal enum MissingPolicy
{
    /// <summary>Stop with an input error naming the cell.</summary>
    Error,

    /// <summary>Leave the row out and count it; the count is reported.</summary>
    Skip,
}

/// <summary>How a CSV file is written.</summary>
internal sealed record CsvDialect
{
    /// <summary>Field separator; null picks ',' or, for a .tsv file, tab.</summary>
    public char? Delimiter { get; init; }

    public bool HasHeader { get; init; } = true;

    public MissingPolicy Missing { get; init; } = Options.Defaults.Missing;

    /// <summary>Cell texts that mean a missing value besides the empty cell (--na-values; R's <c>NA</c> by default).</summary>
    public IReadOnlyList<string> NaValues { get; init; } = Options.Defaults.NaValues;

    /// <summary>Whether the command has --missing skip, so that an empty-cell error may suggest it.</summary>
    public bool OffersSkip { get; init; } = true;

    /// <summary>Whether numbers are written with a decimal comma (--decimal ,: R's write.csv2 and European exports).</summary>
    public bool DecimalComma { get; init; }

    public char DelimiterFor(string? path) =>
        Delimiter ?? (DecimalComma ? ';' : path is not null && path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',');
}

/// <summary>Outcome of reading one row.</summary>
internal enum RowStatus
{
    Row,
    Skipped,

    /// <summary>An empty line: not a row of data (fit ignores it, predict echoes it to keep its output aligned).</summary>
    Blank,
    End,
}

/// <summary>
/// A CSV input (file or standard input) read with CsvHelper: its header, column lookup by name
/// or 1-based number, and numeric rows with errors that name the file, line, column and text.
/// </summary>
internal sealed class CsvSource : IDisposable
{
    private const NumberStyles Styles = NumberStyles.Float;
    private readonly CsvReader _reader;
    private readonly MissingPolicy _missing;
    private readonly bool _offersSkip;
    private readonly Func<long>? _linesBefore; // for a part of a file: the lines before its first byte
    private readonly CountingStream _stream;
    private bool _pending; // without a header the first record has been read to learn the width
    private int[]? _slotsFor; // the model columns that _slots maps
    private int[]? _slots; // for each field of a record, where its value goes among the model columns, or -1
    private System.Buffers.SearchValues<byte>? _fieldEnds;
    private readonly IReadOnlyList<string> _naValues;
    private readonly List<(int Value, FactorLevels Factor, string Level)> _newLevels = []; // levels the current row brings
    private int[] _byPosition = []; // the model's value indices in the order their columns stand on the line
    private byte[] _padded = new byte[1024]; // the current record, a line break and zeros after it
    private InputException? _deferred; // a malformed first row met while the header was read
    private readonly bool _decimalComma; // --decimal ,: cells are read field by field, their comma made a point
    private byte[] _decimalBuffer = new byte[64];

    private CsvSource(CsvReader reader, CountingStream stream, string displayName, IReadOnlyList<string> header, bool pending, CsvDialect dialect,
        Func<long>? linesBefore)
    {
        _reader = reader;
        _stream = stream;
        DisplayName = displayName;
        Header = header;
        _pending = pending;
        _missing = dialect.Missing;
        _naValues = dialect.NaValues;
        _offersSkip = dialect.OffersSkip;
        _decimalComma = dialect.DecimalComma;
        _linesBefore = linesBefore;
    }

    /// <summary>The file name, or &lt;stdin&gt;, as messages show it.</summary>
    public string DisplayName { get; }

    /// <summary>Column names (V1, V2, … without a header).</summary>
    public IReadOnlyList<string> Header { get; private set; }

    /// <summary>Rows left out under <see cref="MissingPolicy.Skip"/>.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Empty lines met so far (they hold no data).</summary>
    public long BlankLines { get; private set; }

    /// <summary>Line where the current record starts (1-based, counted from the start of the input).</summary>
    public long Line => LinesBefore + _reader.LineNumber;

    /// <summary>Bytes read from the input so far (the reader reads ahead of the rows it returns).</summary>
    public long BytesRead => _stream.Bytes;

    /// <summary>The file's size in bytes when it is a regular file; otherwise null (standard input, pipes).</summary>
    public long? Length { get; private set; }

    /// <summary>The decompressing stream of a compressed input; null for plain text.</summary>
    public Compression.Decoder? Decoder { get; set; }

    /// <summary>The path of the file read; null for standard input and for a compressed file (neither can be read in parts).</summary>
    public string? FilePath { get; private set; }

    private long LinesBefore => _linesBefore?.Invoke() ?? 0;

    /// <summary>True for an input without a single line (only when opened with allowEmpty).</summary>
    public bool IsEmpty => Header.Count == 0;

    /// <summary>
    /// Opens <paramref name="path"/> ('-' or null for standard input) and reads its header. An input
    /// without a single line is an error, unless <paramref name="allowEmpty"/>: then the source is
    /// <see cref="IsEmpty"/>.
    /// </summary>
    public static CsvSource Open(string? path, CsvDialect dialect, Func<Stream> stdin, bool allowEmpty = false)
    {
        bool isStdin = InputFile.IsStdin(path);
        string name = InputFile.DisplayName(path);
        Stream stream;
        long? length = null;
        string? compressed = null;
        if (isStdin)
        {
            stream = stdin();
        }
        else
        {
            var file = InputFile.Open(path!);
            stream = Compression.Open(file, name, out compressed);
            length = compressed is null && file.CanSeek ? file.Length : null;
        }

        var counted = new CountingStream(stream, limit: null, countQuotes: false);
        char separator = dialect.DelimiterFor(isStdin ? null : Compression.WithoutSuffix(path!));
        var source = ForStart(counted, name, dialect, separator, allowEmpty);
        source.FilePath = isStdin || compressed is not null ? null : path; // a compressed file is read in one pass
        source.Decoder = stream as Compression.Decoder;
        source.Length = length;
        return source;
    }

    /// <summary>
    /// A reader of the rows of one part of a file that starts at a record boundary after the
    /// header: no header is read, <paramref name="header"/> is the file's, and line numbers count
    /// from the start of the file (<paramref name="linesBefore"/> is asked only when an error
    /// needs a line number).
    /// </summary>
    internal static CsvSource ForPart(CountingStream part, string displayName, CsvDialect dialect, char separator, IReadOnlyList<string> header,
        Func<long> linesBefore)
    {
        var reader = CsvReader.Create(part, Options(separator, hasHeader: false), leaveOpen: false);
        return new CsvSource(reader, part, displayName, header, pending: false, dialect, linesBefore) { Separator = separator, Dialect = dialect };
    }

    /// <summary>Reads the header (or, without one, the first record) of a stream that starts at byte 0.</summary>
    internal static CsvSource ForStart(CountingStream start, string displayName, CsvDialect dialect, char separator, bool allowEmpty = false) =>
        ReadHeader(CsvReader.Create(start, Options(separator, dialect.HasHeader), leaveOpen: false), start, displayName, dialect, separator, allowEmpty);

    /// <summary>The dialect the input is read with.</summary>
    public CsvDialect Dialect { get; private init; } = new();

    /// <summary>The field separator in use.</summary>
    public char Separator { get; private init; }

    private static CsvReaderOptions Options(char separator, bool hasHeader) => new()
    {
        Separator = separator,
        HasHeader = hasHeader,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        SkipEmptyLines = false, // blank lines are reported to the caller, so that predict can keep its rows aligned
        FormatProvider = CultureInfo.InvariantCulture,
        BufferSize = 1 << 20,
    };

    private static CsvSource ReadHeader(CsvReader reader, CountingStream stream, string name, CsvDialect dialect, char separator, bool allowEmpty = false)
    {
        try
        {
            string[] header;
            bool pending = false;
            if (dialect.HasHeader)
            {
                header = reader.Headers.ToArray();
                if (header.Length == 0 || (header.Length == 1 && header[0].Length == 0))
                {
                    return allowEmpty ? new CsvSource(reader, stream, name, [], false, dialect, linesBefore: null) { Separator = separator, Dialect = dialect } : throw new InputException(CliMessages.EmptyFile(name));
                }

                // The first row is read now (and kept for the first ReadRow): one field more than the
                // header is R's write.table, whose first column holds the row names under no name.
                // A malformed first row is reported when it is read, after any fault of the header.
                try
                {
                    if (reader.Read())
                    {
                        pending = true;
                        header = WithRowNames(header, reader.FieldCount);
                    }
                }
                catch (CsvFormatException e)
                {
                    var deferred = new InputException(CliMessages.Malformed(name, Math.Max(e.LineNumber, 1), e.Message));
                    return new CsvSource(reader, stream, name, header, false, dialect, linesBefore: null) { Separator = separator, Dialect = dialect, _deferred = deferred };
                }
            }
            else
            {
                if (!reader.Read())
                {
                    return allowEmpty ? new CsvSource(reader, stream, name, [], false, dialect, linesBefore: null) { Separator = separator, Dialect = dialect } : throw new InputException(CliMessages.EmptyFile(name));
                }

                pending = true;
                header = Enumerable.Range(1, reader.FieldCount).Select(i => "V" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            }

            return new CsvSource(reader, stream, name, header, pending, dialect, linesBefore: null) { Separator = separator, Dialect = dialect };
        }
        catch (CsvFormatException e)
        {
            reader.Dispose();
            throw new InputException(CliMessages.Malformed(name, Math.Max(e.LineNumber, 1), e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            reader.Dispose();
            throw new InputException(CliMessages.Unreadable(name, e.Message));
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The header of a file whose first row has <paramref name="firstRowFields"/> fields: as it is,
    /// or, when the row has one field more (R's <c>write.table</c> writes no name over its row
    /// names), with an empty name put first, as <c>write.csv</c> writes it.
    /// </summary>
    internal static string[] WithRowNames(string[] header, int firstRowFields) =>
        firstRowFields == header.Length + 1 ? ["", .. header] : header;

    /// <summary>Puts the empty name of a row-name column first (see <see cref="WithRowNames"/>), for a header read apart from its rows.</summary>
    internal void AddRowNameColumn() => Header = ["", .. Header];

    /// <summary>
    /// The 0-based columns whose first non-missing cell, among the first rows of the input, is not a
    /// number: categorical columns. Null when nobody looked (every column is then numeric).
    /// </summary>
    public IReadOnlySet<int>? TextColumns { get; set; }

    /// <summary>True when column <paramref name="index"/> (0-based) holds text (see <see cref="TextColumns"/>).</summary>
    public bool IsText(int index) => index >= 0 && TextColumns?.Contains(index) == true;

    /// <summary>
    /// The columns whose first non-missing cell in <paramref name="head"/> (the first bytes of an
    /// input; <paramref name="complete"/> when they are all of it) is not a number. Only whole
    /// lines are looked at; a record the reader cannot take ends the look.
    /// </summary>
    internal static IReadOnlySet<int> SniffTextColumns(byte[] head, bool complete, CsvDialect dialect, char separator, int columns)
    {
        var text = new HashSet<int>();
        int length = complete ? head.Length : head.AsSpan().LastIndexOf((byte)'\n') + 1;
        if (length <= 0)
        {
            return text;
        }

        var decided = new bool[columns];
        int left = columns;
        try
        {
            using var reader = CsvReader.Create(new MemoryStream(head, 0, length), Options(separator, dialect.HasHeader), leaveOpen: false);
            if (dialect.HasHeader)
            {
                _ = reader.Headers;
            }

            while (left > 0 && reader.Read())
            {
                if (reader.FieldCount != columns)
                {
                    continue;
                }

                for (int i = 0; i < columns; i++)
                {
                    if (decided[i])
                    {
                        continue;
                    }

                    var span = reader.GetSpan(i);
                    var cell = Encoding.UTF8.GetString(span).Trim();
                    if (cell.Length == 0 || dialect.NaValues.Contains(cell))
                    {
                        continue;
                    }

                    decided[i] = true;
                    left--;
                    // A number with a decimal comma (or a point where a comma is the mark) is a
                    // number cell: the read reports it with the --decimal hint, not as a level.
                    if (!Utf8Double.TryParse(span, out _) && !double.TryParse(span, Styles, CultureInfo.InvariantCulture, out _) && !NamesNonFinite(cell)
                        && !double.TryParse(cell.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        text.Add(i);
                    }
                }
            }
        }
        catch (Exception e) when (e is CsvFormatException or DecoderFallbackException)
        {
            // What was read so far decides; the real read reports the fault.
        }

        return text;
    }

    /// <summary>
    /// Reads the next data row's <paramref name="columns"/> into <paramref name="values"/>. A value
    /// with levels in <paramref name="levels"/> is a categorical cell: it is written as its level's
    /// code (a new level is added unless the levels are fixed; then it is an input error). A
    /// non-number in one of the first <paramref name="predictors"/> values
    /// suggests <c>factor()</c>.
    /// </summary>
    public RowStatus ReadRow(ReadOnlySpan<int> columns, Span<double> values, IReadOnlyList<FactorLevels?>? levels = null, int predictors = 0)
    {
        if (_deferred is { } deferred)
        {
            throw deferred;
        }

        try
        {
            if (_pending)
            {
                _pending = false;
            }
            else if (!_reader.Read())
            {
                return RowStatus.End;
            }

            if (_reader.FieldCount == 1 && _reader.GetSpan(0).IsEmpty)
            {
                BlankLines++;
                return RowStatus.Blank;
            }

            if (_reader.FieldCount != Header.Count)
            {
                throw new InputException(CliMessages.RaggedRow(DisplayName, Line, Header.Count, _reader.FieldCount));
            }

            if (levels is null && !_decimalComma && TryReadPlainRow(columns, values))
            {
                return RowStatus.Row;
            }

            // Cells in the order they stand on the line, so that the first missing or bad cell of
            // the line is the one reported.
            if (_byPosition.Length != columns.Length || !IsOrderOf(columns))
            {
                var order = Enumerable.Range(0, columns.Length).ToArray();
                var keys = columns.ToArray();
                Array.Sort(keys, order);
                _byPosition = order;
            }

            _newLevels.Clear(); // a skipped row's new levels are forgotten
            foreach (int k in _byPosition)
            {
                int c = columns[k];
                var span = _reader.GetSpan(c);
                if (levels is not null && levels[k] is { } factor)
                {
                    if (!ReadLevel(span, factor, c, k, out values[k]))
                    {
                        return RowStatus.Skipped;
                    }

                    continue;
                }

                // With a decimal comma, a point in a cell is a thousands mark or a mistake: not a number.
                bool number = !_decimalComma || span.IndexOf((byte)'.') < 0;
                if (_decimalComma && number)
                {
                    span = WithDecimalPoint(span);
                }

                // Utf8Double reads plain decimals several times faster than double.TryParse and
                // rounds just as correctly; what it does not take goes to double.TryParse, which
                // has the last word.
                if (number && Utf8Double.TryParse(span, out double v))
                {
                    values[k] = v;
                    continue;
                }

                if (number && double.TryParse(span, Styles, CultureInfo.InvariantCulture, out v) && double.IsFinite(v))
                {
                    values[k] = v;
                    continue;
                }

                var text = Encoding.UTF8.GetString(_reader.GetSpan(c));
                bool empty = text.Trim().Length == 0;
                if (empty || _naValues.Contains(text.Trim()))
                {
                    if (_missing == MissingPolicy.Skip)
                    {
                        SkippedRows++;
                        return RowStatus.Skipped;
                    }

                    throw new InputException(empty
                        ? CliMessages.EmptyCell(DisplayName, Line, c + 1, Header[c], _offersSkip)
                        : CliMessages.MissingCell(DisplayName, Line, c + 1, Header[c], text, _offersSkip));
                }

                throw new InputException((number && double.TryParse(span, Styles, CultureInfo.InvariantCulture, out _)) || NamesNonFinite(text)
                    ? CliMessages.NotFinite(DisplayName, Line, c + 1, Header[c], text)
                    : CliMessages.NotANumber(DisplayName, Line, c + 1, Header[c], text, _decimalComma, factorHint: k < predictors));
            }

            // Levels first met on this row are added only now that the row is taken, so that a level
            // of a skipped row alone gets no column.
            foreach (var (k, factor, level) in _newLevels)
            {
                values[k] = factor.CodeOf(level);
            }

            _newLevels.Clear();
            return RowStatus.Row;
        }
        catch (CsvFormatException e)
        {
            throw new InputException(CliMessages.Malformed(DisplayName, e.LineNumber > 0 ? LinesBefore + e.LineNumber : Line, e.Message));
        }
        catch (Exception e) when (e is IOException or DecoderFallbackException)
        {
            throw new InputException(CliMessages.Unreadable(DisplayName, e.Message));
        }
    }

    /// <summary>
    /// Reads a categorical cell as its level's code; false when it is missing and the row is to be
    /// skipped (counted). Text levels are the cell as written; numeric levels (<c>factor(cyl)</c>) the
    /// number as R writes it, so that 6 and 6.0 are one level.
    /// </summary>
    private bool ReadLevel(ReadOnlySpan<byte> span, FactorLevels factor, int c, int k, out double code)
    {
        code = 0;
        var text = Encoding.UTF8.GetString(span);
        bool empty = text.Trim().Length == 0;
        if (empty || _naValues.Contains(text.Trim()))
        {
            if (_missing == MissingPolicy.Skip)
            {
                SkippedRows++;
                return false;
            }

            throw new InputException(empty
                ? CliMessages.EmptyCell(DisplayName, Line, c + 1, Header[c], _offersSkip)
                : CliMessages.MissingCell(DisplayName, Line, c + 1, Header[c], text, _offersSkip));
        }

        string level = text;
        if (factor.Numeric)
        {
            if (!Utf8Double.TryParse(span, out double v) && !(double.TryParse(span, Styles, CultureInfo.InvariantCulture, out v) && double.IsFinite(v)))
            {
                throw new InputException(CliMessages.NotANumber(DisplayName, Line, c + 1, Header[c], text, factorHint: false));
            }

            level = FactorColumn.LevelOf(v);
        }

        int found = factor.Levels.Count > 0 || factor.IsFixed ? factor.Find(level) : -1;
        if (found < 0 && factor.IsFixed)
        {
            throw new InputException(CliMessages.UnseenLevel(DisplayName, Line, c + 1, Header[c], level, factor.Levels));
        }

        if (found < 0)
        {
            _newLevels.Add((k, factor, level)); // coded once the whole row is read
        }

        code = found;
        return true;
    }

    /// <summary>
    /// The fast path of <see cref="ReadRow"/>: the record's raw bytes through the one plain splitter
    /// (<see cref="PlainRecord"/>), which reads each model column's number where it stands and skips
    /// the other fields. On false nothing is decided, and the field-by-field path reads the row, with
    /// its fallbacks and its error messages.
    /// </summary>
    private bool TryReadPlainRow(ReadOnlySpan<int> columns, Span<double> values)
    {
        if (_slotsFor is null || !columns.SequenceEqual(_slotsFor))
        {
            _slotsFor = columns.ToArray();
            _slots = PlainRecord.CanSplit(Separator) ? PlainRecord.SlotsOf(Header.Count, columns) : null; // null for a column used twice
            _fieldEnds ??= PlainRecord.FieldEnds((byte)Separator);
        }

        if (_slots is not { } slots)
        {
            return false;
        }

        // The record, without its line break, is copied into a buffer with room after it, which
        // the number reader needs, and given the '\n' the splitter expects at its end.
        var record = _reader.RawRecord;
        if (_padded.Length < record.Length + 1 + Utf8Double.Padding)
        {
            _padded = new byte[Math.Max(2 * _padded.Length, record.Length + 1 + Utf8Double.Padding)];
        }

        record.CopyTo(_padded);
        _padded[record.Length] = (byte)'\n';
        _padded.AsSpan(record.Length + 1, Utf8Double.Padding).Clear();
        int position = 0;
        return PlainRecord.TryParse(_padded, ref position, (byte)Separator, slots, _fieldEnds!, values) && position == record.Length + 1;
    }

    /// <summary>
    /// The text of field <paramref name="index"/> of the row last read by <see cref="ReadRow"/>, as
    /// UTF-8 without its quotes; valid until the next read.
    /// </summary>
    public ReadOnlySpan<byte> Field(int index) => _reader.GetSpan(index);

    /// <summary>True when <see cref="_byPosition"/> puts <paramref name="columns"/> in ascending order.</summary>
    private bool IsOrderOf(ReadOnlySpan<int> columns)
    {
        for (int i = 1; i < _byPosition.Length; i++)
        {
            if (columns[_byPosition[i - 1]] > columns[_byPosition[i]])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A cell written with a decimal comma, as the same text with a point (in a buffer kept for the
    /// purpose), for the number readers.
    /// </summary>
    private ReadOnlySpan<byte> WithDecimalPoint(ReadOnlySpan<byte> span)
    {
        if (span.IndexOf((byte)',') < 0)
        {
            return span;
        }

        if (_decimalBuffer.Length < span.Length)
        {
            _decimalBuffer = new byte[Math.Max(span.Length, 2 * _decimalBuffer.Length)];
        }

        var copy = _decimalBuffer.AsSpan(0, span.Length);
        span.CopyTo(copy);
        copy.Replace((byte)',', (byte)'.');
        return copy;
    }

    // Spellings of infinity and NaN that other tools write (R, numpy) and .NET does not parse.
    private static bool NamesNonFinite(string text) =>
        text.Trim().TrimStart('+', '-').ToUpperInvariant() is "INF" or "INFINITY" or "NAN" or "1.#INF" or "1.#QNAN";

    public void Dispose() => _reader.Dispose();
}
