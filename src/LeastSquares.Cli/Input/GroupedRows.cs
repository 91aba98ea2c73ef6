using System.Buffers;
using System.Text;

namespace LeastSquares.Cli.Input;

/// <summary>
/// The --by columns of a file: their indices, which of them hold numbers (<paramref name="Numeric"/>,
/// null: none), and how a cell of one is read.
/// </summary>
internal sealed record GroupColumns(IReadOnlyList<string> Names, int[] Columns, bool[]? Numeric = null)
{
    /// <summary>True when the j-th --by column holds numbers, so that its groups are values, not texts.</summary>
    public bool IsNumeric(int j) => Numeric is { } numeric && numeric[j];

    /// <summary>
    /// The key of a cell of a numeric column (--by, --cluster): the number as R writes it
    /// (<c>4</c> for 4, 4.0 and 04, <c>1e+05</c> for 100000), as R's <c>split</c> and
    /// <c>vcovCL</c> group a column read.csv read as numbers; null when the cell is already
    /// written so (a whole number of up to 5 digits, the common case: no work) or is no number.
    /// </summary>
    public static string? ValueKey(ReadOnlySpan<byte> cell)
    {
        if (cell.Length is > 0 and <= 5 && (cell[0] != (byte)'0' || cell.Length == 1) && !cell.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return null;
        }

        var trimmed = cell.Trim((byte)' ');
        return Utf8Double.TryParse(trimmed, out double v) && double.IsFinite(v) ? LeastSquares.Terms.FactorColumn.LevelOf(v) : null;
    }

    /// <summary>The cell's bytes as its group key: <see cref="ValueKey"/>'s text in a numeric column, else the cell as written.</summary>
    public ReadOnlySpan<byte> KeyBytes(int j, ReadOnlySpan<byte> cell) =>
        IsNumeric(j) && ValueKey(cell) is { } value ? Encoding.UTF8.GetBytes(value) : cell;

    /// <summary>The cell as its group's text (see <see cref="KeyBytes"/>).</summary>
    public string KeyText(int j, ReadOnlySpan<byte> cell) =>
        IsNumeric(j) && ValueKey(cell) is { } value ? value : Encoding.UTF8.GetString(cell);

    /// <summary>Whether a group cell is missing: empty (or blank), or one of the missing-value texts.</summary>
    public static bool IsMissing(ReadOnlySpan<byte> cell, IReadOnlyList<string> naValues)
    {
        var trimmed = cell.Trim((byte)' ');
        if (trimmed.IsEmpty)
        {
            return true;
        }

        foreach (var na in naValues)
        {
            if (trimmed.Length == na.Length && Encoding.UTF8.GetString(trimmed) == na)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The readers of grouped rows: row by row through the CSV reader, or plain rows straight from bytes.</summary>
internal static class GroupedRows
{
    /// <summary>
    /// The rows <paramref name="source"/> has left, each added to its group in <paramref name="table"/>.
    /// An empty group cell follows --missing: the row is left out and counted, or it is an input
    /// error naming the cell.
    /// </summary>
    public static void ReadCsv(CsvSource source, ModelColumns columns, GroupColumns by, GroupTable table, Func<bool>? stop, CancellationToken cancellation)
    {
        var values = new double[columns.Columns.Length];
        var naValues = source.Dialect.NaValues;
        var levels = table.RowLevels;
        int predictors = columns.Terms.Predictors.Count;
        RowStatus status;
        long rows = 0;
        while ((status = source.ReadRow(columns.Columns, values, levels, predictors)) != RowStatus.End)
        {
            if (status is RowStatus.Row or RowStatus.Skipped)
            {
                if (KeyOf(source, by, table, naValues, status == RowStatus.Row))
                {
                    if (status == RowStatus.Row)
                    {
                        table.Add(values);
                    }
                    else
                    {
                        table.Skip();
                    }
                }
            }

            if ((++rows & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                if (stop is not null && stop())
                {
                    break;
                }
            }
        }
    }

    /// <summary>Builds the row's group key; false when a group cell is missing and the row is left out (or was already).</summary>
    private static bool KeyOf(CsvSource source, GroupColumns by, GroupTable table, IReadOnlyList<string> naValues, bool counts)
    {
        table.BeginKey();
        for (int j = 0; j < by.Columns.Length; j++)
        {
            int c = by.Columns[j];
            var cell = source.Field(c);
            if (GroupColumns.IsMissing(cell, naValues))
            {
                if (!counts)
                {
                    return false; // already left out for an empty model cell
                }

                if (source.Dialect.Missing == MissingPolicy.Skip)
                {
                    table.SkippedNoGroup++;
                    return false;
                }

                var text = Encoding.UTF8.GetString(cell);
                throw new InputException(text.Trim().Length == 0
                    ? CliMessages.EmptyCell(source.DisplayName, source.Line, c + 1, source.Header[c], source.Dialect.OffersSkip)
                    : CliMessages.MissingCell(source.DisplayName, source.Line, c + 1, source.Header[c], text, source.Dialect.OffersSkip));
            }

            table.AppendKey(by.KeyBytes(j, cell));
        }

        return true;
    }

    /// <summary>
    /// The fast path: plain rows from <paramref name="stream"/>, which starts at a record, split by
    /// <see cref="PlainRecord"/>, each added to its group. It hands over (as <see cref="PlainRowReader"/>
    /// does) at the first line it does not take for certain: one the splitter declines, one with a
    /// quote, or one whose group cell is missing when --missing is error (the CSV reader then reports it).
    /// </summary>
    public static PlainReadResult ReadPlain(Stream stream, CsvDialect dialect, char separator, int fieldCount, ModelColumns columns, GroupColumns by,
        GroupTable table, Func<bool>? stop, CancellationToken cancellation, bool keepRest = false)
    {
        if (table.RowLevels is not null || !PlainRecord.CanSplit(separator) || PlainRecord.SlotsOf(fieldCount, columns.Columns) is not { } slots)
        {
            return new PlainReadResult(PlainReadEnd.Handover, 0, 0);
        }

        var lines = new IntoGroups((byte)separator, slots, columns.Columns.Length, by, table, dialect);
        return PlainLines.Read(stream, ref lines, stop, keepRest, cancellation);
    }

    /// <summary>Each line parsed, and added to its group's rows (or counted as left out for a missing group cell under --missing skip).</summary>
    private readonly struct IntoGroups(byte separator, int[] slots, int width, GroupColumns by, GroupTable table, CsvDialect dialect) : IPlainLines
    {
        private readonly double[] _row = new double[width];
        private readonly SearchValues<byte> _fieldEnds = PlainRecord.FieldEnds(separator);
        private readonly bool _skip = dialect.Missing == MissingPolicy.Skip;

        public LineTaken Line(byte[] buffer, ref int position)
        {
            int lineStart = position;
            if (!PlainRecord.TryParse(buffer, ref position, separator, slots, _fieldEnds, _row)
                || !GroupKey(buffer.AsSpan(lineStart, position - lineStart), separator, by, table, dialect.NaValues, out bool missing)
                || (missing && !_skip))
            {
                return LineTaken.Handover;
            }

            if (missing)
            {
                table.SkippedNoGroup++;
            }
            else
            {
                table.Add(_row);
            }

            return LineTaken.Row;
        }

        public void EndOfBuffer()
        {
        }

        public void Done()
        {
        }
    }

    /// <summary>
    /// Builds the group key of a plain line (with its line break); false when the line holds a quote
    /// (its fields cannot be found by counting separators). <paramref name="missing"/>: a group cell is empty.
    /// </summary>
    private static bool GroupKey(ReadOnlySpan<byte> line, byte separator, GroupColumns by, GroupTable table, IReadOnlyList<string> naValues, out bool missing)
    {
        missing = false;
        if (line.Contains((byte)'"'))
        {
            return false;
        }

        int end = line.Length - 1; // the '\n'
        if (end > 0 && line[end - 1] == (byte)'\r')
        {
            end--;
        }

        line = line[..end];
        table.BeginKey();
        for (int j = 0; j < by.Columns.Length; j++)
        {
            int c = by.Columns[j];
            var rest = line;
            for (int k = 0; k < c; k++)
            {
                rest = rest[(rest.IndexOf(separator) + 1)..];
            }

            int length = rest.IndexOf(separator);
            var cell = length < 0 ? rest : rest[..length];
            if (GroupColumns.IsMissing(cell, naValues))
            {
                missing = true;
                return true;
            }

            table.AppendKey(by.KeyBytes(j, cell));
        }

        return true;
    }
}
