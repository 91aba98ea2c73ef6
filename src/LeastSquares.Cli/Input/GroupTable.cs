using System.Text;

namespace LeastSquares.Cli.Input;

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
        public readonly HashSet<int>?[] Seen = new HashSet<int>?[width]; // per categorical value: the codes of the group's levels
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
    private readonly MomentAccumulator? _levels; // with categorical columns: the codes every group's rows carry
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
        _levels = columns.Terms.HasFactors ? RowState.Accumulator(columns.Terms, method) : null;
    }

    /// <summary>With categorical columns, the levels a reader codes each row value in (null for a numeric one); null without.</summary>
    public IReadOnlyList<FactorLevels?>? RowLevels => _levels?.RowLevels;

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
        if (RowLevels is { } levels)
        {
            for (int j = 0; j < levels.Count; j++)
            {
                if (levels[j] is not null)
                {
                    (group.Seen[j] ??= []).Add((int)row[j]);
                }
            }
        }
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
            var accumulator = _levels is null ? RowState.Accumulator(_columns.Terms, _method) : MomentAccumulator.CreateSharingLevels(_levels, _method);
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

    /// <summary>
    /// A group's state with its own levels, as <c>lm</c> on the group's rows alone has them: a level
    /// other groups brought (its indicators 0 on every row of this group) is no column of its model.
    /// </summary>
    private IModelState OwnLevels(Group g, IModelState state) => RowLevels is not { } levels ? state : OwnLevels(state, levels, g.Seen);

    /// <summary>
    /// <paramref name="state"/> (whose rows are coded in <paramref name="levels"/>, per row value) with
    /// the levels of each categorical value that <paramref name="seen"/> holds (per row value, the codes its rows met).
    /// </summary>
    public static IModelState OwnLevels(IModelState state, IReadOnlyList<FactorLevels?> levels, HashSet<int>?[] seen)
    {
        var own = new Dictionary<string, FactorColumn>(StringComparer.Ordinal);
        for (int j = 0; j < levels.Count; j++)
        {
            if (levels[j] is { } factor)
            {
                var met = seen[j] ?? [];
                own[factor.Column] = new FactorColumn(factor.Column, factor.Numeric, [.. factor.Levels.Where((_, code) => met.Contains(code))]);
            }
        }

        return state.Recode(state.Terms.WithLevels(own));
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
            var read = g.Accumulator.ToState();
            var own = OwnLevels(g, read);

            // The rows kept and the rows a watcher saw carry the level codes every group shares: read as the group's own.
            var rows = _rows?.Rows(g.Index);
            states.Add(new GroupState(g.Values, own, g.Skipped)
            {
                Rows = rows is not null && read.Terms.HasFactors ? new RecodedRowBlocks(rows, read.Terms, own.Terms) : rows,
                RowTerms = read.Terms,
            });
        }

        return new GroupedRowState(_by, _columns, states, skippedRows + SkippedNoGroup) { Rows = _rows };
    }

    /// <summary>Disposes the rows kept, when the read fails before <see cref="ToState"/> hands them on.</summary>
    public void DisposeRows() => _rows?.Dispose();
}
