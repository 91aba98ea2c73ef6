namespace LeastSquares.Cli.Plotting;

/// <summary>
/// A seeded uniform random sample of at most <see cref="Capacity"/> rows from a stream of any
/// length (reservoir sampling, Vitter's algorithm R): every row seen has the same chance to be
/// kept, and memory is Capacity × width doubles however many rows pass. While fewer rows than
/// the capacity have been seen, all of them are kept, in order.
/// </summary>
internal sealed class PointSample
{
    private readonly double[] _values;
    private readonly Random _random;

    public PointSample(int capacity, int width, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Capacity = capacity;
        Width = width;
        _values = new double[checked(capacity * width)];
        _random = new Random(seed); // the seeded generator's sequence is fixed across .NET versions
    }

    public int Capacity { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Rows offered so far.</summary>
    public long Seen { get; private set; }

    /// <summary>Rows held: min(Seen, Capacity).</summary>
    public int Count => (int)Math.Min(Seen, Capacity);

    /// <summary>True when some rows were left out of the sample.</summary>
    public bool IsSubset => Seen > Capacity;

    /// <summary>Offers one row; the values are copied.</summary>
    public void Offer(ReadOnlySpan<double> row)
    {
        if (row.Length != Width)
        {
            throw new ArgumentException($"A row of the sample has {Width} values, not {row.Length}.", nameof(row));
        }

        long slot = Seen < Capacity ? Seen : _random.NextInt64(Seen + 1);
        Seen++;
        if (slot < Capacity)
        {
            row.CopyTo(_values.AsSpan((int)slot * Width, Width));
        }
    }

    /// <summary>The values of held row <paramref name="index"/> (0 ≤ index &lt; Count).</summary>
    public ReadOnlySpan<double> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _values.AsSpan(index * Width, Width);
    }

    /// <summary>Column <paramref name="column"/> of the held rows.</summary>
    public double[] Column(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Width);
        var result = new double[Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = _values[(i * Width) + column];
        }

        return result;
    }
}
