namespace LeastSquares.Cli.Input;

/// <summary>
/// The second pass over every group's rows (--by with --method sgd): one <see cref="RowCache"/> in
/// the temporary folder holds the rows of all groups, written in chunks of a few rows as each
/// group's chunk fills while the input is read; each group reads its own rows back, in input
/// order, in blocks of the size a cache of its rows alone would have (so that sgd's blocks, and so
/// its draws, are those of the group's rows fitted alone).
/// </summary>
/// <remarks>
/// Memory: one chunk of rows per group (the block <see cref="GroupTable"/> keeps anyway) and the
/// position of each chunk (8 bytes per chunk); disk: 8 bytes a value, as <see cref="RowCache"/>.
/// </remarks>
internal sealed class GroupedRowCache : IDisposable
{
    private readonly RowCache _file;
    private readonly List<List<long>> _chunks = []; // per group: the cache row each of its chunks starts at
    private readonly List<long> _counts = [];
    private readonly int _blockRows;

    /// <summary>
    /// An empty cache for rows of <paramref name="width"/> values, written in chunks of <paramref name="chunkRows"/>
    /// rows and read back in blocks of <paramref name="blockRows"/> rows (0: <see cref="RowBlockSize.For"/>, as a cache of one fit's rows).
    /// </summary>
    public GroupedRowCache(int width, int chunkRows, int blockRows = 0)
    {
        _file = RowCache.Create(width);
        ChunkRows = chunkRows;
        _blockRows = blockRows == 0 ? RowBlockSize.For(width) : blockRows;
    }

    /// <summary>Rows in every chunk of a group but its last.</summary>
    public int ChunkRows { get; }

    /// <summary>Appends the next <paramref name="count"/> rows of group <paramref name="group"/> (a whole chunk, or the group's last rows).</summary>
    public void Append(int group, ReadOnlySpan<double> rows, int count)
    {
        while (_chunks.Count <= group)
        {
            _chunks.Add([]);
            _counts.Add(0);
        }

        if (count == 0)
        {
            return;
        }

        if (_counts[group] % ChunkRows != 0)
        {
            throw new InvalidOperationException("Only a group's last chunk may be short.");
        }

        _chunks[group].Add(_file.Count);
        _file.AddRows(rows, count);
        _counts[group] += count;
    }

    /// <summary>The rows of group <paramref name="group"/>, in input order.</summary>
    public IRowBlocks Rows(int group) =>
        group < _chunks.Count ? new GroupRows(this, [.. _chunks[group]], _counts[group]) : new GroupRows(this, [], 0);

    public void Dispose() => _file.Dispose();

    /// <summary>One group's rows, read back in the cache's blocks.</summary>
    private sealed class GroupRows(GroupedRowCache cache, long[] starts, long count) : IRowBlocks
    {
        public int Width => cache._file.Width;

        public long Count => count;

        public int BlockRows => cache._blockRows;

        public int Read(int block, Span<double> destination)
        {
            int rows = ((IRowBlocks)this).RowsIn(block);
            int chunk = cache.ChunkRows;
            long row = (long)block * BlockRows;
            int done = 0;
            while (done < rows)
            {
                // From this row to the end of its chunk, and on through the chunks that follow it in the file.
                long c = row / chunk;
                long from = starts[c] + (row % chunk);
                int take = (int)Math.Min(rows - done, chunk - (row % chunk));
                while (done + take < rows && c + 1 < starts.Length && starts[c + 1] == starts[c] + chunk)
                {
                    c++;
                    take = (int)Math.Min(rows - done, take + chunk);
                }

                cache._file.ReadAt(from, destination.Slice(done * Width, take * Width));
                done += take;
                row += take;
            }

            return rows;
        }
    }
}
