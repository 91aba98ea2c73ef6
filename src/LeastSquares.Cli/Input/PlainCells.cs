using System.Globalization;
using System.Text;

namespace LeastSquares.Cli.Input;

/// <summary>What <see cref="PlainCells.ReadLevel"/> made of a categorical cell.</summary>
internal enum LevelCell
{
    /// <summary>A level already known: its code is given.</summary>
    Known,

    /// <summary>A level not met before: it gets its code when the row is taken (<see cref="PlainCells.Commit"/>).</summary>
    New,

    /// <summary>An empty cell or one of the missing-value texts.</summary>
    Missing,

    /// <summary>Anything else (a numeric level that is not a number, a level a fixed set lacks): the CSV reader reports it.</summary>
    Declined,
}

/// <summary>
/// What the plain splitter (<see cref="PlainRecord"/>) needs to take rows whose cells are not all
/// numbers: categorical cells turned into level codes straight from their UTF-8 bytes, and missing
/// cells told apart, so that rows with text levels, or skipped for a missing cell, stay on the
/// fast path. It decides a cell exactly as the CSV reader's field-by-field path would (the level is
/// the cell as written; a numeric level the number as R writes it; missing: blank, or one of
/// --na-values once trimmed), and declines whatever that path would report as an error.
/// </summary>
/// <remarks>
/// Each categorical column keeps a dictionary from the bytes of the cells met to their codes, read
/// through a span with no string made per cell; a cell not in it is decoded once and looked up in
/// the column's <see cref="FactorLevels"/>, the one source of codes. Levels first met on a row are
/// added only when the row is taken (<see cref="Commit"/>), as the CSV reader adds them, so a level
/// of a skipped or declined row alone gets no code. One instance per reader: it is not thread-safe.
/// </remarks>
internal sealed class PlainCells
{
    private readonly Column?[] _columns; // by model value: null for a numeric value
    private readonly IReadOnlyList<string> _naValues;
    private readonly List<(int Value, Column Column, string Level, byte[] Bytes)> _new = [];

    private PlainCells(Column?[] columns, IReadOnlyList<string> naValues, bool skipMissing, IReadOnlyList<FactorLevels?>? levels)
    {
        _columns = columns;
        _naValues = naValues;
        SkipMissing = skipMissing;
        Levels = levels;
    }

    /// <summary>True when a row with a missing model cell is left out (--missing skip) rather than handed to the CSV reader, which reports it.</summary>
    public bool SkipMissing { get; }

    /// <summary>The levels the codes belong to (one per model value, null for a numeric one), as given.</summary>
    public IReadOnlyList<FactorLevels?>? Levels { get; }

    /// <summary>True when a level met on the row being read awaits its code.</summary>
    public bool HasNew => _new.Count > 0;

    /// <summary>
    /// The cells of a reader of <paramref name="width"/> model values with <paramref name="levels"/>
    /// (one per value, null for a numeric one; null for none), read as <paramref name="dialect"/>
    /// says, leaving out rows with a missing cell when <paramref name="skipMissing"/> and the dialect
    /// skips them. Null when the plain splitter needs nothing of the kind (no categorical value, no
    /// skipping), or cannot take the dialect (a decimal comma: cells are converted first).
    /// </summary>
    public static PlainCells? For(IReadOnlyList<FactorLevels?>? levels, int width, CsvDialect dialect, bool skipMissing)
    {
        bool skip = skipMissing && dialect.Missing == MissingPolicy.Skip;
        if (dialect.DecimalComma || (levels is null && !skip))
        {
            return null;
        }

        var columns = new Column?[width];
        for (int k = 0; k < width && levels is not null && k < levels.Count; k++)
        {
            columns[k] = levels[k] is { } factor ? new Column(factor) : null;
        }

        return new PlainCells(columns, dialect.NaValues, skip, levels);
    }

    /// <summary>True when model value <paramref name="value"/> is categorical.</summary>
    public bool IsLevel(int value) => _columns[value] is not null;

    /// <summary>
    /// Reads the categorical cell <paramref name="cell"/> (its bytes without quotes) of model value
    /// <paramref name="value"/>; <paramref name="code"/> is its level's code when <see cref="LevelCell.Known"/>.
    /// </summary>
    public LevelCell ReadLevel(int value, ReadOnlySpan<byte> cell, out double code)
    {
        var column = _columns[value]!;
        if (column.Codes.TryGetValue(cell, out int known))
        {
            code = known;
            return known >= 0 ? LevelCell.Known : LevelCell.Missing;
        }

        code = 0;
        if (!TextCheck.IsText(cell))
        {
            return LevelCell.Declined; // the CSV reader reports it, with its line and column
        }

        var text = Encoding.UTF8.GetString(cell);
        if (IsMissing(text))
        {
            column.Remember(cell, MissingCode);
            return LevelCell.Missing;
        }

        string level = text;
        var factor = column.Factor;
        if (factor.Numeric)
        {
            if (!Utf8Double.TryParse(cell, out double v) &&
                !(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v)))
            {
                return LevelCell.Declined;
            }

            level = FactorColumn.LevelOf(v);
        }

        int found = factor.Find(level);
        if (found >= 0)
        {
            column.Remember(cell, found);
            code = found;
            return LevelCell.Known;
        }

        if (factor.IsFixed)
        {
            return LevelCell.Declined;
        }

        _new.Add((value, column, level, cell.ToArray()));
        return LevelCell.New;
    }

    /// <summary>True when a numeric cell that is not a number (<paramref name="cell"/>, without quotes) is a missing one: blank, or a missing-value text.</summary>
    public bool IsMissingNumber(ReadOnlySpan<byte> cell) => IsMissing(Encoding.UTF8.GetString(cell));

    /// <summary>Gives the levels first met on the row just taken their codes, in <paramref name="row"/>.</summary>
    public void Commit(Span<double> row)
    {
        foreach (var (value, column, level, bytes) in _new)
        {
            int code = column.Factor.CodeOf(level);
            column.Remember(bytes, code);
            row[value] = code;
        }

        _new.Clear();
    }

    /// <summary>Forgets the levels met on a row that was not taken.</summary>
    public void Forget() => _new.Clear();

    // The CSV reader's test, on the cell as text: blank, or a missing-value text once trimmed.
    private bool IsMissing(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 || _naValues.Contains(trimmed);
    }

    /// <summary>What the byte dictionary keeps for a missing cell's bytes.</summary>
    private const int MissingCode = -1;

    /// <summary>The most cells' bytes kept per column; beyond it cells are decoded and looked up by their text, with the same result.</summary>
    private const int MaxKept = 1 << 20;

    /// <summary>One categorical column: its levels and the codes of the byte forms met.</summary>
    private sealed class Column
    {
        private readonly Dictionary<byte[], int> _byBytes = new(ByteKeys.Instance);

        public Column(FactorLevels factor)
        {
            Factor = factor;
            Codes = _byBytes.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public FactorLevels Factor { get; }

        /// <summary>The dictionary read through a span of bytes.</summary>
        public Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> Codes { get; }

        public void Remember(ReadOnlySpan<byte> cell, int code)
        {
            if (_byBytes.Count < MaxKept)
            {
                var codes = Codes; // a copy of the view; the dictionary is the same
                codes[cell] = code;
            }
        }
    }

    /// <summary>Byte strings compared by content, and looked up by a span of them.</summary>
    private sealed class ByteKeys : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteKeys Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
