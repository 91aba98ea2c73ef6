namespace LeastSquares.Cli.Plotting;

/// <summary>
/// A seeded uniform random sample of at most <see cref="Capacity"/> rows from a stream of any
/// length (reservoir sampling): every row seen has the same chance to be kept, and memory is
/// Capacity × width doubles however many rows pass. While fewer rows than the capacity have been
/// seen, all of them are kept, in order. Li's algorithm L draws how many rows to pass over before
/// the next replacement, so a long stream costs a counter per row and O(k·log(n/k)) random numbers
/// instead of one per row (algorithm R).
/// </summary>
internal sealed class PointSample
{
    private readonly double[] _values;
    private readonly Random _random;
    private double _w; // algorithm L: the largest of k uniform keys of the current sample
    private long _next; // index of the next row that enters the sample

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

        long index = Seen++;
        if (index < Capacity)
        {
            row.CopyTo(_values.AsSpan((int)index * Width, Width));
            if (index == Capacity - 1)
            {
                _w = Math.Exp(Math.Log(Uniform()) / Capacity);
                _next = index + 1 + Skip();
            }

            return;
        }

        if (index == _next)
        {
            row.CopyTo(_values.AsSpan(_random.Next(Capacity) * Width, Width));
            _w *= Math.Exp(Math.Log(Uniform()) / Capacity);
            _next = index + 1 + Skip();
        }
    }

    /// <summary>Rows to pass over: geometric with success probability 1 − w.</summary>
    private long Skip()
    {
        double skip = Math.Floor(Math.Log(Uniform()) / Math.Log(1 - _w));
        return skip < long.MaxValue / 4 ? (long)skip : long.MaxValue / 4; // w rounds to 1 only after ~1e16 rows
    }

    /// <summary>A uniform number in (0, 1], safe to take the logarithm of.</summary>
    private double Uniform() => 1 - _random.NextDouble();

    /// <summary>Rewrites the level codes of every held row (categorical columns: from the levels as met to the fit's).</summary>
    public void Recode(LevelRecoding recoding)
    {
        ArgumentNullException.ThrowIfNull(recoding);
        for (int i = 0; i < Count; i++)
        {
            recoding.Apply(_values.AsSpan(i * Width, Width));
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

    /// <summary>
    /// One sample of the rows of several parts read apart (a big file on several cores), from each
    /// part's own sample, in part order: every row has the same chance to be kept as in one sample
    /// of all of them. While the parts saw no more rows than the capacity in all, every row is kept,
    /// in order, as one sample would keep them. Otherwise each place is filled by drawing a part
    /// with probability proportional to its rows not yet drawn, then a row of that part's sample not
    /// yet taken, uniformly (the sample of a part is a uniform subset of its rows, and no part is
    /// drawn more often than its sample holds rows). Seeded: the same parts give the same sample.
    /// </summary>
    public static PointSample Merge(IReadOnlyList<PointSample> parts, int capacity, int seed)
    {
        ArgumentNullException.ThrowIfNull(parts);
        int width = parts[0].Width;
        var merged = new PointSample(capacity, width, seed);
        long total = parts.Sum(p => p.Seen);
        if (total <= capacity)
        {
            foreach (var part in parts)
            {
                for (int i = 0; i < part.Count; i++)
                {
                    merged.Offer(part.Row(i));
                }
            }

            return merged;
        }

        var random = new Random(seed);
        var left = parts.Select(p => p.Seen).ToArray(); // rows of each part not yet drawn
        var unused = parts.Select(p => Enumerable.Range(0, p.Count).ToList()).ToArray();
        long remaining = total;
        for (int j = 0; j < capacity; j++)
        {
            long pick = random.NextInt64(remaining);
            int k = 0;
            while (pick >= left[k])
            {
                pick -= left[k++];
            }

            var rows = unused[k];
            int at = random.Next(rows.Count);
            parts[k].Row(rows[at]).CopyTo(merged._values.AsSpan(j * width, width));
            rows[at] = rows[^1];
            rows.RemoveAt(rows.Count - 1);
            left[k]--;
            remaining--;
        }

        merged.Seen = total;
        return merged;
    }
}
