using System.Buffers;
using System.Text;

namespace LeastSquares.Cli.Input;

/// <summary>The state of one group of rows (--by): the group's values, one per --by column, and the state of its rows.</summary>
/// <param name="Values">The cell texts of the --by columns, in the order --by names them.</param>
/// <param name="State">The mergeable state of the group's rows (moments, or qr's triangular factor).</param>
/// <param name="Skipped">The group's rows left out under --missing skip for an empty model cell.</param>
internal sealed record GroupState(IReadOnlyList<string> Values, IModelState State, long Skipped)
{
    /// <summary>The group's rows, to be read again (sgd); null when they were not kept.</summary>
    public IRowBlocks? Rows { get; init; }

    /// <summary>The group's dictionary key: its values joined by the unit separator.</summary>
    public string Key => GroupTable.KeyOf(Values);
}

/// <summary>
/// The rows of an input read into one state per group (--by): the groups in the order of their
/// first row in the input, and every row left out (an empty model cell, or an empty group cell,
/// under --missing skip).
/// </summary>
internal sealed record GroupedRowState(IReadOnlyList<string> By, ModelColumns Columns, IReadOnlyList<GroupState> Groups, long Skipped)
{
    /// <summary>The cache that holds every group's <see cref="GroupState.Rows"/>, which the reader disposes; null when the rows were not kept.</summary>
    public GroupedRowCache? Rows { get; init; }

    /// <summary>
    /// The groups of <paramref name="first"/> followed by those of rows that come after it: the states
    /// of equal groups merged, new groups after the old in their order of first appearance, so that
    /// the order is that of one sequential read.
    /// </summary>
    public static GroupedRowState Merge(GroupedRowState first, GroupedRowState second, int maxGroups, string displayName)
    {
        var order = new List<GroupState>(first.Groups);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < order.Count; i++)
        {
            index[order[i].Key] = i;
        }

        foreach (var g in second.Groups)
        {
            if (index.TryGetValue(g.Key, out int at))
            {
                var old = order[at];
                order[at] = old with { State = old.State.Merge(g.State), Skipped = old.Skipped + g.Skipped };
            }
            else
            {
                if (order.Count == maxGroups)
                {
                    throw new InputException(CliMessages.TooManyGroups(displayName, first.By, maxGroups));
                }

                index[g.Key] = order.Count;
                order.Add(g);
            }
        }

        return first with { Groups = order, Skipped = first.Skipped + second.Skipped };
    }
}

/// <summary>
/// The groups met while reading: a dictionary from the group's values to its accumulator, in the
/// order of first appearance. Rows go to a group's accumulator in small blocks (the vector kernels
/// work on blocks), so memory is O(groups · p²) whatever the number of rows.
/// </summary>
internal sealed class GroupTable
{
    /// <summary>Rows kept per group before they go to its accumulator: small, so that many groups stay cheap.</summary>
    private const int BlockRows = 64;

    private const char Separator = '\u001F';

    private sealed class Group(int index, string[] values, MomentAccumulator accumulator, int width)
    {
        public readonly int Index = index;
        public readonly string[] Values = values;
        public readonly MomentAccumulator Accumulator = accumulator;
        public readonly double[] Block = new double[BlockRows * width];
        public int InBlock;
        public long Skipped;
        public string Key = "";
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<Group> _order = [];
    private readonly ModelColumns _columns;
    private readonly FitMethod _method;
    private readonly int _width;
    private readonly int _maxGroups;
    private readonly string _displayName;
    private readonly IReadOnlyList<string> _by;
    private readonly GroupedRowCache? _rows;
    private readonly Func<int, MomentAccumulator, MomentAccumulator>? _watch;
    private readonly string? _tooMany;
    private Group? _last;
    private char[] _chars = new char[256];
    private byte[] _raw = new byte[256]; // the row's key as read: the UTF-8 cells, each after a separator byte but the first
    private int _rawLength;

    /// <summary>
    /// The first groups met, by their key's bytes: a few groups (the common case) are found by a
    /// short comparison of bytes, with no decoding and no hashing; the others through the dictionary.
    /// </summary>
    private readonly List<(byte[] Raw, Group Group)> _recent = [];

    private const int RecentGroups = 16;

    /// <summary>
    /// An empty table; with <paramref name="keepRows"/> every row also goes to a <see cref="GroupedRowCache"/>,
    /// in chunks of the table's blocks, so that each group's rows can be read again (sgd).
    /// <paramref name="watch"/>, when given, wraps the accumulator of group k (plot's sample of each
    /// group); <paramref name="tooMany"/> is the error past <paramref name="maxGroups"/>, when not --by's own.
    /// </summary>
    public GroupTable(ModelColumns columns, IReadOnlyList<string> by, FitMethod method, int maxGroups, string displayName, bool keepRows = false,
        Func<int, MomentAccumulator, MomentAccumulator>? watch = null, string? tooMany = null)
    {
        _watch = watch;
        _tooMany = tooMany;
        _rows = keepRows ? new GroupedRowCache(columns.Columns.Length, BlockRows) : null;
        _columns = columns;
        _by = by;
        _method = method;
        _width = columns.Columns.Length;
        _maxGroups = maxGroups;
        _displayName = displayName;
        _lookup = _groups.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Rows left out because a group cell was empty (--missing skip).</summary>
    public long SkippedNoGroup { get; set; }

    /// <summary>The key of a group's values.</summary>
    public static string KeyOf(IReadOnlyList<string> values) => string.Join(Separator, values);

    /// <summary>Starts the key of the next row.</summary>
    public void BeginKey()
    {
        _rawLength = 0;
        _keyCells = 0;
    }

    /// <summary>Appends the next --by cell (UTF-8) to the key of the row.</summary>
    public void AppendKey(ReadOnlySpan<byte> cell)
    {
        int needed = _rawLength + 1 + cell.Length;
        if (_raw.Length < needed)
        {
            Array.Resize(ref _raw, Math.Max(needed, 2 * _raw.Length));
        }

        if (_keyCells > 0)
        {
            _raw[_rawLength++] = (byte)Separator;
        }

        cell.CopyTo(_raw.AsSpan(_rawLength));
        _rawLength += cell.Length;
        _keyCells++;
    }

    private int _keyCells;

    /// <summary>Adds a row of the model's values to the group whose key was just built.</summary>
    public void Add(ReadOnlySpan<double> row)
    {
        var group = Current();
        row.CopyTo(group.Block.AsSpan(group.InBlock * _width, _width));
        if (++group.InBlock == BlockRows)
        {
            group.Accumulator.AddRows(group.Block, BlockRows);
            _rows?.Append(group.Index, group.Block, BlockRows);
            group.InBlock = 0;
        }
    }

    /// <summary>Counts a row of the group whose key was just built as left out (an empty model cell).</summary>
    public void Skip() => Current().Skipped++;

    private Group Current()
    {
        var raw = _raw.AsSpan(0, _rawLength);
        foreach (var (bytes, known) in _recent)
        {
            if (raw.SequenceEqual(bytes))
            {
                return known;
            }
        }

        if (_chars.Length < Encoding.UTF8.GetMaxCharCount(raw.Length))
        {
            _chars = new char[Encoding.UTF8.GetMaxCharCount(raw.Length)];
        }

        var key = _chars.AsSpan(0, Encoding.UTF8.GetChars(raw, _chars));
        if (_last is { } last && key.SequenceEqual(last.Key))
        {
            return last;
        }

        if (!_lookup.TryGetValue(key, out var group))
        {
            if (_order.Count == _maxGroups)
            {
                throw new InputException(_tooMany ?? CliMessages.TooManyGroups(_displayName, _by, _maxGroups));
            }

            var text = key.ToString();
            var accumulator = RowState.Accumulator(_columns.Terms, _method);
            group = new Group(_order.Count, text.Split(Separator), _watch?.Invoke(_order.Count, accumulator) ?? accumulator, _width) { Key = text };
            _groups.Add(text, group);
            _order.Add(group);
            if (_recent.Count < RecentGroups)
            {
                _recent.Add((raw.ToArray(), group));
            }
        }

        _last = group;
        return group;
    }

    /// <summary>The groups read so far, each as a state (with its rows, when kept), in the order of first appearance.</summary>
    public GroupedRowState ToState(long skippedRows)
    {
        var states = new List<GroupState>(_order.Count);
        foreach (var g in _order)
        {
            g.Accumulator.AddRows(g.Block, g.InBlock);
            _rows?.Append(g.Index, g.Block, g.InBlock);
            g.InBlock = 0;
            states.Add(new GroupState(g.Values, g.Accumulator.ToState(), g.Skipped) { Rows = _rows?.Rows(g.Index) });
        }

        return new GroupedRowState(_by, _columns, states, skippedRows + SkippedNoGroup) { Rows = _rows };
    }

    /// <summary>Disposes the rows kept, when the read fails before <see cref="ToState"/> hands them on.</summary>
    public void DisposeRows() => _rows?.Dispose();
}

/// <summary>The --by columns of a file: their indices, and how a cell of one is read.</summary>
internal sealed record GroupColumns(IReadOnlyList<string> Names, int[] Columns)
{
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
        RowStatus status;
        long rows = 0;
        while ((status = source.ReadRow(columns.Columns, values)) != RowStatus.End)
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
        foreach (int c in by.Columns)
        {
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

            table.AppendKey(cell);
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
        if (!PlainRecord.CanSplit(separator) || PlainRecord.SlotsOf(fieldCount, columns.Columns) is not { } slots)
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
        foreach (int c in by.Columns)
        {
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

            table.AppendKey(cell);
        }

        return true;
    }
}
