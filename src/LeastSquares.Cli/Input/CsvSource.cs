using System.Globalization;
using System.Text;
using CsvHelper;

namespace LeastSquares.Cli.Input;

/// <summary>
/// A CSV input (file or standard input) read with CsvHelper: its header, column lookup by name
/// or 1-based number, and numeric rows with errors that name the file, line, column and text.
/// </summary>
internal sealed partial class CsvSource : IDisposable
{
    private const NumberStyles Styles = NumberStyles.Float;
    private readonly CsvReader _reader;
    private readonly MissingPolicy _missing;
    private readonly bool _offersSkip;
    private readonly bool _offersNa;
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
    private PlainCells? _cells; // the fast path's reader of categorical cells, for the levels last given

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
        _offersNa = dialect.OffersNa;
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

    /// <summary>Data rows met so far: rows read, skipped or refused (not blank lines).</summary>
    public long DataRows { get; private set; }

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

    /// <summary>
    /// The header's fields: the first line that is not blank, as R's read.csv skips blank lines
    /// before the header too (blank.lines.skip); empty when the input has no such line.
    /// </summary>
    private static string[] HeaderAfterBlankLines(CsvReader reader)
    {
        var header = reader.Headers.ToArray();
        while (header.Length is 0 or 1 && (header.Length == 0 || header[0].Length == 0) && reader.Read())
        {
            header = new string[reader.FieldCount];
            for (int i = 0; i < header.Length; i++)
            {
                header[i] = Encoding.UTF8.GetString(reader.GetSpan(i));
            }
        }

        return header;
    }

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
                header = HeaderAfterBlankLines(reader);
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
                _ = HeaderAfterBlankLines(reader);
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

    public void Dispose() => _reader.Dispose();
}
