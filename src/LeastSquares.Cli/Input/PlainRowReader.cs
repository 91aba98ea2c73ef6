using System.Buffers;

namespace LeastSquares.Cli.Input;

/// <summary>How a <see cref="PlainRowReader"/> pass ended.</summary>
internal enum PlainReadEnd
{
    /// <summary>Every byte was read and every row taken.</summary>
    End,

    /// <summary>The caller's stop condition held; the rows taken so far are in the accumulator.</summary>
    Stopped,

    /// <summary>A record the fast reader does not take starts at the offset given; the CSV reader goes on from there.</summary>
    Handover,
}

/// <summary>
/// The outcome of a <see cref="PlainRowReader"/> pass: the end, and where the rows taken end in the
/// stream; after a handover, when asked for, <see cref="Rest"/> holds the bytes read from there on.
/// </summary>
internal readonly record struct PlainReadResult(PlainReadEnd End, long Offset, long Rows)
{
    /// <summary>Lines read but left out for a missing cell (--missing skip); not among <see cref="Rows"/>.</summary>
    public long Skipped { get; init; }

    /// <summary>The bytes the reader read past <see cref="Offset"/>, for a stream that cannot be read again.</summary>
    public byte[]? Rest { get; init; }
}

/// <summary>
/// The fast path of reading a big file: rows of plain numbers, one record per line, split by
/// <see cref="PlainRecord"/> straight from a buffer of bytes and added to an accumulator in blocks.
/// </summary>
/// <remarks>
/// It takes a line only when the splitter takes it (see <see cref="PlainRecord"/>: exactly as the
/// CSV reader would read it). At the first line that is anything else (a field with a line break,
/// an empty cell, a blank line, text, a last line without a line break) it stops and hands the rest of the stream over, from the start of that
/// line, to <see cref="CsvSource"/>, which reads it with all its rules and reports any error with
/// its line. Rows reach the accumulator in file order either way, so the sums are the same as
/// those of a read by the CSV reader alone.
/// </remarks>
internal static class PlainRowReader
{
    /// <summary>
    /// Bytes of rows handed to the accumulator at a time: 4096 rows of 11 columns (360 kB, inside
    /// the second-level cache) measured 2–5% faster than 256 on the 1 GB benchmark file, one core
    /// (fewer switches between the parser and the vector kernel). Sized in bytes, so that wide rows
    /// (500 columns) take 90 rows a block, not 16 MB.
    /// </summary>
    private const int BlockBytes = 360 << 10;

    /// <summary>Rows in a block of <see cref="BlockBytes"/> for rows of <paramref name="width"/> values (at least 16).</summary>
    private static int BlockRows(int width) => Math.Max(16, BlockBytes / (sizeof(double) * Math.Max(width, 1)));

    /// <summary>
    /// Reads rows from <paramref name="stream"/>, which starts at a record, into
    /// <paramref name="accumulator"/> (values of <paramref name="columns"/>, in that order). Given the
    /// <paramref name="dialect"/>, rows with categorical cells are read too (their levels coded in
    /// the accumulator's <see cref="MomentAccumulator.RowLevels"/>), and under --missing skip rows
    /// with a missing cell are left out here (<see cref="PlainReadResult.Skipped"/>); without it such
    /// rows are handed over.
    /// </summary>
    public static PlainReadResult Read(Stream stream, char separator, int fieldCount, int[] columns, MomentAccumulator accumulator, Func<bool>? stop,
        CancellationToken cancellation, bool keepRest = false, CsvDialect? dialect = null)
    {
        // A separator the splitter cannot take is left to the CSV reader, as is a column used twice
        // and, without the dialect, a categorical column (the CSV reader turns its cells into level codes).
        var levels = accumulator.RowLevels;
        var cells = dialect is null ? null : PlainCells.For(levels, columns.Length, dialect, skipMissing: true);
        if ((levels is not null && cells?.Levels is null) || !PlainRecord.CanSplit(separator) || PlainRecord.SlotsOf(fieldCount, columns) is not { } slots)
        {
            return new PlainReadResult(PlainReadEnd.Handover, 0, 0);
        }

        var rows = new IntoBlocks((byte)separator, slots, columns.Length, accumulator, cells);
        var result = PlainLines.Read(stream, ref rows, stop, keepRest, cancellation);
        return result with { Skipped = rows.Skipped };
    }

    /// <summary>Each line parsed into the next row of a block, and each full block into the accumulator (the rest at the end).</summary>
    private struct IntoBlocks(byte separator, int[] slots, int width, MomentAccumulator accumulator, PlainCells? cells) : IPlainLines
    {
        private readonly int _blockRows = BlockRows(width);
        private readonly double[] _block = new double[BlockRows(width) * width];
        private readonly SearchValues<byte> _fieldEnds = PlainRecord.FieldEnds(separator);
        private int _inBlock;

        /// <summary>Rows left out for a missing cell.</summary>
        public long Skipped { get; private set; }

        public LineTaken Line(byte[] buffer, ref int position)
        {
            var row = _block.AsSpan(_inBlock * width, width);
            switch (PlainRecord.Read(buffer, ref position, separator, slots, _fieldEnds, row, cells))
            {
                case PlainRow.Declined:
                    return LineTaken.Handover;
                case PlainRow.Skipped:
                    Skipped++;
                    return LineTaken.Other;
            }

            if (cells is { HasNew: true })
            {
                // A level first met: the rows before it go in first, so that the accumulator sees
                // each row with the levels known once it was read, as a row-by-row read shows them.
                accumulator.AddRows(_block, _inBlock);
                row.CopyTo(_block);
                _inBlock = 0;
                cells.Commit(_block.AsSpan(0, width));
            }

            if (++_inBlock == _blockRows)
            {
                accumulator.AddRows(_block, _inBlock);
                _inBlock = 0;
            }

            return LineTaken.Row;
        }

        public readonly void EndOfBuffer()
        {
        }

        public void Done()
        {
            accumulator.AddRows(_block, _inBlock);
            _inBlock = 0;
        }
    }
}

/// <summary>What <see cref="PlainLines.Read"/> made of a line.</summary>
internal enum LineTaken
{
    /// <summary>A row, taken.</summary>
    Row,

    /// <summary>A line taken that is no row (predict's blank line, echoed as one).</summary>
    Other,

    /// <summary>A line not taken: the CSV reader goes on from its start.</summary>
    Handover,
}

/// <summary>What the fast readers do with each whole line of plain rows (a struct: the loop is compiled for each, with no call through an interface).</summary>
internal interface IPlainLines
{
    /// <summary>Takes the line that starts at <paramref name="position"/> (its '\n' is in the buffer) and moves past it, or declines it.</summary>
    LineTaken Line(byte[] buffer, ref int position);

    /// <summary>After the lines of each buffer.</summary>
    void EndOfBuffer();

    /// <summary>When the read ends, for any reason but an error.</summary>
    void Done();
}

/// <summary>
/// The one buffered loop of the fast readers (fit's rows, --by's grouped rows, predict's rows):
/// fills a buffer of 1 MB from the stream, hands each whole line to an <see cref="IPlainLines"/>,
/// keeps a last partial line for the next buffer, and stops at the end, at the first line declined
/// (a handover, with its offset in the stream and, when asked, the bytes read from there on), or
/// when the caller's stop condition holds (checked once a buffer).
/// </summary>
internal static class PlainLines
{
    /// <summary>Bytes of a buffer; one line longer than this is handed over.</summary>
    public const int BufferBytes = 1 << 20;

    /// <summary>Reads with a pooled buffer of <see cref="BufferBytes"/> (and the parser's padding).</summary>
    public static PlainReadResult Read<T>(Stream stream, ref T lines, Func<bool>? stop, bool keepRest, CancellationToken cancellation)
        where T : struct, IPlainLines
    {
        // Pooled: a big file has many parts, and a fresh 1 MB array for each would go to the
        // large-object heap and bring on full collections.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes + Utf8Double.Padding);
        try
        {
            return Read(stream, buffer, ref lines, stop, keepRest, cancellation);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads with <paramref name="buffer"/> (at least <see cref="BufferBytes"/> and the padding).</summary>
    public static PlainReadResult Read<T>(Stream stream, byte[] buffer, ref T lines, Func<bool>? stop, bool keepRest, CancellationToken cancellation)
        where T : struct, IPlainLines
    {
        int filled = 0;
        long consumed = 0; // stream bytes before buffer[0]
        long rows = 0;
        bool atEnd = false;
        while (true)
        {
            while (!atEnd && filled < BufferBytes)
            {
                int n = stream.Read(buffer, filled, BufferBytes - filled);
                atEnd = n == 0;
                filled += n;
            }

            // Only whole lines are parsed; the parser never reads past a line's '\n', and the
            // padding after the filled bytes keeps its wide loads inside the buffer.
            buffer.AsSpan(filled, Utf8Double.Padding).Clear();
            int whole = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            int position = 0;
            while (position < whole)
            {
                int lineStart = position;
                var taken = lines.Line(buffer, ref position);
                if (taken == LineTaken.Handover)
                {
                    lines.EndOfBuffer();
                    lines.Done();
                    return new PlainReadResult(PlainReadEnd.Handover, consumed + lineStart, rows)
                    {
                        Rest = keepRest ? buffer.AsSpan(lineStart, filled - lineStart).ToArray() : null,
                    };
                }

                if (taken == LineTaken.Row)
                {
                    rows++;
                }
            }

            lines.EndOfBuffer();
            int rest = filled - whole;
            Buffer.BlockCopy(buffer, whole, buffer, 0, rest);
            filled = rest;
            consumed += whole;
            if (atEnd || (whole == 0 && filled == BufferBytes))
            {
                // The end, or a line longer than the buffer: what is left (a last line without a
                // line break, or that long line) goes to the CSV reader.
                lines.Done();
                return new PlainReadResult(rest == 0 ? PlainReadEnd.End : PlainReadEnd.Handover, consumed, rows)
                {
                    Rest = keepRest && rest > 0 ? buffer.AsSpan(0, rest).ToArray() : null,
                };
            }

            cancellation.ThrowIfCancellationRequested();
            if (stop is not null && stop())
            {
                lines.Done();
                return new PlainReadResult(PlainReadEnd.Stopped, consumed, rows);
            }
        }
    }
}
