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
    private const int BufferBytes = 1 << 20;
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
    /// <paramref name="accumulator"/> (values of <paramref name="columns"/>, in that order).
    /// </summary>
    public static PlainReadResult Read(Stream stream, char separator, int fieldCount, int[] columns, MomentAccumulator accumulator, Func<bool>? stop,
        CancellationToken cancellation, bool keepRest = false)
    {
        // A separator the splitter cannot take is left to the CSV reader, as is a column used twice
        // and a categorical column (the CSV reader turns its cells into level codes).
        if (accumulator.RowLevels is not null || !PlainRecord.CanSplit(separator) || PlainRecord.SlotsOf(fieldCount, columns) is not { } slots)
        {
            return new PlainReadResult(PlainReadEnd.Handover, 0, 0);
        }

        int width = columns.Length;

        // Pooled: a big file has many parts, and a fresh 1 MB array for each would go to the
        // large-object heap and bring on full collections.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes + Utf8Double.Padding);
        try
        {
            return ReadInto(stream, buffer, (byte)separator, slots, width, accumulator, stop, keepRest, cancellation);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static PlainReadResult ReadInto(Stream stream, byte[] buffer, byte separator, int[] slots, int width, MomentAccumulator accumulator,
        Func<bool>? stop, bool keepRest, CancellationToken cancellation)
    {
        int blockRows = BlockRows(width);
        var block = new double[blockRows * width];
        int inBlock = 0;
        var fieldEnds = PlainRecord.FieldEnds(separator);
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
            int whole = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            int position = 0;
            while (position < whole)
            {
                int lineStart = position;
                if (!PlainRecord.TryParse(buffer, ref position, separator, slots, fieldEnds, block.AsSpan(inBlock * width, width)))
                {
                    accumulator.AddRows(block, inBlock);
                    return new PlainReadResult(PlainReadEnd.Handover, consumed + lineStart, rows)
                    {
                        Rest = keepRest ? buffer.AsSpan(lineStart, filled - lineStart).ToArray() : null,
                    };
                }

                rows++;
                if (++inBlock == blockRows)
                {
                    accumulator.AddRows(block, inBlock);
                    inBlock = 0;
                }
            }

            int rest = filled - whole;
            Buffer.BlockCopy(buffer, whole, buffer, 0, rest);
            filled = rest;
            consumed += whole;
            if (atEnd || (whole == 0 && filled == BufferBytes))
            {
                // The end, or a line longer than the buffer: what is left (a last line without a
                // line break, or that long line) goes to the CSV reader.
                accumulator.AddRows(block, inBlock);
                return new PlainReadResult(rest == 0 ? PlainReadEnd.End : PlainReadEnd.Handover, consumed, rows)
                {
                    Rest = keepRest && rest > 0 ? buffer.AsSpan(0, rest).ToArray() : null,
                };
            }

            cancellation.ThrowIfCancellationRequested();
            if (stop is not null && stop())
            {
                accumulator.AddRows(block, inBlock);
                return new PlainReadResult(PlainReadEnd.Stopped, consumed, rows);
            }
        }
    }
}
