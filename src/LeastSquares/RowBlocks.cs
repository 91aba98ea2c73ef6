namespace LeastSquares;

/// <summary>
/// The rows of a fit, <c>[x₁, …, x_k, y]</c> each, that can be read again as many times as needed,
/// block by block and in any order: what mini-batch sgd walks through once an epoch, and what any
/// other second pass over the data (robust or clustered errors) reads. The rows stay wherever the
/// caller keeps them (an array, a cache file); only one block at a time is in memory.
/// </summary>
public interface IRowBlocks
{
    /// <summary>Values in a row: the model's columns, the response last.</summary>
    int Width { get; }

    /// <summary>Rows in all.</summary>
    long Count { get; }

    /// <summary>Rows in every block but the last, which may have fewer.</summary>
    int BlockRows { get; }

    /// <summary>The number of blocks.</summary>
    int BlockCount => (int)((Count + BlockRows - 1) / BlockRows);

    /// <summary>Rows in block <paramref name="block"/>.</summary>
    int RowsIn(int block) => (int)Math.Min(BlockRows, Count - ((long)block * BlockRows));

    /// <summary>
    /// Reads block <paramref name="block"/> into <paramref name="destination"/> (at least
    /// <see cref="RowsIn"/> × <see cref="Width"/> values) and returns its number of rows.
    /// </summary>
    int Read(int block, Span<double> destination);
}

/// <summary>Rows held in memory, read as blocks.</summary>
public sealed class MemoryRowBlocks : IRowBlocks
{
    private readonly ReadOnlyMemory<double> _rows;

    /// <summary>The rows in <paramref name="rows"/>, <paramref name="width"/> values each, in blocks of <paramref name="blockRows"/> (0: <see cref="RowBlockSize.For"/>).</summary>
    public MemoryRowBlocks(ReadOnlyMemory<double> rows, int width, int blockRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(blockRows);
        if (rows.Length % width != 0)
        {
            throw new ArgumentException($"{rows.Length} values do not make whole rows of {width}.", nameof(rows));
        }

        _rows = rows;
        Width = width;
        Count = rows.Length / width;
        BlockRows = blockRows == 0 ? RowBlockSize.For(width) : blockRows;
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public long Count { get; }

    /// <inheritdoc/>
    public int BlockRows { get; }

    /// <inheritdoc/>
    public int Read(int block, Span<double> destination)
    {
        int rows = ((IRowBlocks)this).RowsIn(block);
        _rows.Span.Slice(block * BlockRows * Width, rows * Width).CopyTo(destination);
        return rows;
    }
}

/// <summary>The block size every reader of rows uses by default.</summary>
public static class RowBlockSize
{
    /// <summary>The bytes of one block: big enough that a shuffle inside it mixes well, small enough to be no memory at all.</summary>
    public const int Bytes = 8 << 20;

    /// <summary>Rows in a block of <see cref="Bytes"/> for rows of <paramref name="width"/> values (at least 1024).</summary>
    public static int For(int width) => Math.Max(1024, Bytes / (sizeof(double) * Math.Max(width, 1)));
}

/// <summary>
/// Turns the level codes of one model's rows into those of another model of the same formula: the
/// levels in the order a reader met them into those of the coded model (<see cref="Terms.ModelTerms.Coded"/>),
/// whose levels are sorted. A level the other model lacks becomes −1 (no indicator is 1).
/// </summary>
public sealed class LevelRecoding
{
    private readonly int[]?[] _codes; // per row value: new code of each old code, or null when the value is numeric

    /// <summary>The recoding of rows of <paramref name="from"/> (predictors, then anything after them) into rows of <paramref name="to"/>.</summary>
    public LevelRecoding(Terms.ModelTerms from, Terms.ModelTerms to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        _codes = new int[]?[from.Predictors.Count];
        for (int j = 0; j < from.Predictors.Count; j++)
        {
            if (from.Factors.TryGetValue(from.Predictors[j], out var old) && to.Factors.TryGetValue(from.Predictors[j], out var now))
            {
                var at = now.Levels.Select((level, k) => (level, k)).ToDictionary(p => p.level, p => p.k, StringComparer.Ordinal);
                _codes[j] = [.. old.Levels.Select(level => at.TryGetValue(level, out int k) ? k : -1)];
            }
        }
    }

    /// <summary>Recodes one row in place.</summary>
    public void Apply(Span<double> row)
    {
        for (int j = 0; j < _codes.Length && j < row.Length; j++)
        {
            if (_codes[j] is { } codes && row[j] >= 0 && row[j] < codes.Length)
            {
                row[j] = codes[(int)row[j]];
            }
        }
    }
}

/// <summary>Rows read through a <see cref="LevelRecoding"/>: sgd's cached rows, read as rows of the coded model.</summary>
public sealed class RecodedRowBlocks : IRowBlocks
{
    private readonly IRowBlocks _rows;
    private readonly LevelRecoding _recoding;

    /// <summary>The rows <paramref name="rows"/> of model <paramref name="from"/>, read as rows of <paramref name="to"/> (the same formula).</summary>
    public RecodedRowBlocks(IRowBlocks rows, Terms.ModelTerms from, Terms.ModelTerms to)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows;
        _recoding = new LevelRecoding(from, to);
    }

    /// <inheritdoc/>
    public int Width => _rows.Width;

    /// <inheritdoc/>
    public long Count => _rows.Count;

    /// <inheritdoc/>
    public int BlockRows => _rows.BlockRows;

    /// <inheritdoc/>
    public int Read(int block, Span<double> destination)
    {
        int rows = _rows.Read(block, destination);
        int w = Width;
        for (int r = 0; r < rows; r++)
        {
            _recoding.Apply(destination.Slice(r * w, w));
        }

        return rows;
    }
}
