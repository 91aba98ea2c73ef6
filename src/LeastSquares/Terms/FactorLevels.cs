using System.Globalization;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Terms;

/// <summary>
/// The levels of one categorical column as a model holds them: the column, whether its levels are
/// numbers (<c>factor(cyl)</c> on a numeric column: sorted numerically, written as R writes numbers)
/// or text (sorted as R sorts text in a UTF-8 locale), and the levels in the order the model's features use. A row
/// holds a level as its code: its index in <see cref="Levels"/>.
/// </summary>
public sealed record FactorColumn
{
    /// <summary>A column's levels, in the order given.</summary>
    public FactorColumn(string column, bool numeric, IReadOnlyList<string> levels)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(levels);
        Column = column;
        Numeric = numeric;
        Levels = [.. levels];
    }

    /// <summary>The data column.</summary>
    public string Column { get; }

    /// <summary>True when the levels are numbers (written as R writes them, sorted by value).</summary>
    public bool Numeric { get; }

    /// <summary>The levels, in the order of the model's indicator columns (the reference first once sorted).</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>The same levels in R's order: numerically for numbers, by <see cref="TextOrder"/> for text. The first is the reference.</summary>
    public FactorColumn Sorted() => new(Column, Numeric, SortedLevels(Levels, Numeric));

    /// <summary>The levels of this column followed by those of <paramref name="other"/> not among them.</summary>
    public FactorColumn Union(FactorColumn other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var set = new HashSet<string>(Levels, StringComparer.Ordinal);
        // A part that met a cell that is not a number read the column as text: so is the whole.
        return new FactorColumn(Column, Numeric && other.Numeric, [.. Levels, .. other.Levels.Where(l => !set.Contains(l))]);
    }

    /// <summary>True when both hold the same levels in the same order.</summary>
    public bool SameLevels(FactorColumn other) => other is not null && Numeric == other.Numeric && Levels.SequenceEqual(other.Levels, StringComparer.Ordinal);

    /// <summary><paramref name="levels"/> in R's order: by value for numbers, by <see cref="TextOrder"/> for text.</summary>
    public static IReadOnlyList<string> SortedLevels(IEnumerable<string> levels, bool numeric)
    {
        ArgumentNullException.ThrowIfNull(levels);
        return numeric
            ? [.. levels.OrderBy(l => double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture))]
            : [.. levels.Order(TextOrder)];
    }

    /// <summary>
    /// The order of text levels: that of R's <c>sort()</c> and <c>factor()</c> in a UTF-8 locale,
    /// where R collates with ICU (apple, Banana, cherry, Date; space and punctuation before digits,
    /// digits before letters, lower case before upper case, an accent after the bare letter). It is
    /// the Unicode collation of the invariant culture; two texts it finds equal are put in ordinal order.
    /// </summary>
    public static IComparer<string> TextOrder { get; } = Comparer<string>.Create(static (a, b) =>
        CultureInfo.InvariantCulture.CompareInfo.Compare(a, b, CompareOptions.None) is int c and not 0 ? c : string.CompareOrdinal(a, b));

    /// <summary>The level of a number, as R's <c>factor()</c> names it (<c>6</c>, <c>0.5</c>, <c>1e+05</c>).</summary>
    public static string LevelOf(double value) => RNumber.Format(value);
}

/// <summary>
/// The levels of one categorical column met so far while reading, in the order they first
/// appeared; a reader turns each cell into its code here (a new level gets the next code, unless
/// the set is fixed: a saved model's levels, where an unseen level has no code).
/// </summary>
public sealed class FactorLevels
{
    private readonly List<string> _levels = [];
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);

    /// <summary>A set of <paramref name="column"/>'s levels, starting with <paramref name="known"/>; <paramref name="isFixed"/> admits no others.</summary>
    public FactorLevels(string column, bool numeric, IEnumerable<string>? known = null, bool isFixed = false)
    {
        ArgumentNullException.ThrowIfNull(column);
        Column = column;
        Numeric = numeric;
        IsFixed = isFixed;
        foreach (var level in known ?? [])
        {
            if (!_codes.ContainsKey(level))
            {
                _codes.Add(level, _levels.Count);
                _levels.Add(level);
            }
        }
    }

    /// <summary>The data column.</summary>
    public string Column { get; }

    /// <summary>True when the cells are numbers (<c>factor(cyl)</c>); false once a cell that is not a number was met (<see cref="AsText"/>).</summary>
    public bool Numeric { get; private set; }

    /// <summary>
    /// Makes the levels text, as R's <c>read.csv</c> reads a column with a cell that is not a number
    /// (<c>10, 20, …, 3b</c>): the levels met so far keep their names (the numbers as R writes them),
    /// now sorted as text. A fixed set (a saved model's) keeps its kind.
    /// </summary>
    public void AsText()
    {
        if (!IsFixed)
        {
            Numeric = false;
        }
    }

    /// <summary>True when no level can be added.</summary>
    public bool IsFixed { get; }

    /// <summary>The levels met so far, in order of first appearance (a code is an index here).</summary>
    public IReadOnlyList<string> Levels => _levels;

    /// <summary>Number of levels so far.</summary>
    public int Count => _levels.Count;

    /// <summary>The code of <paramref name="level"/>; −1 when it is not (yet) among the levels.</summary>
    public int Find(string level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return _codes.TryGetValue(level, out int code) ? code : -1;
    }

    /// <summary>The code of <paramref name="level"/>, adding it when new; −1 for a new level of a fixed set.</summary>
    public int CodeOf(string level)
    {
        ArgumentNullException.ThrowIfNull(level);
        if (_codes.TryGetValue(level, out int code))
        {
            return code;
        }

        if (IsFixed)
        {
            return -1;
        }

        _codes.Add(level, _levels.Count);
        _levels.Add(level);
        return _levels.Count - 1;
    }

    /// <summary>The levels so far as a model's column.</summary>
    public FactorColumn ToColumn() => new(Column, Numeric, [.. _levels]);
}
