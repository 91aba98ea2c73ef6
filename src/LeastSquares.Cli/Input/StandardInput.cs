namespace LeastSquares.Cli.Input;

/// <summary>
/// Standard input split after its header line, so that the header goes to the CSV reader and
/// the rows, unread, to the fast reader of plain rows.
/// </summary>
internal sealed class StandardInput
{
    private const int MaxHeaderBytes = 1 << 20;

    private StandardInput(byte[] header, Stream rows)
    {
        Header = header;
        Rows = rows;
    }

    /// <summary>The header line with its line break.</summary>
    public byte[] Header { get; }

    /// <summary>Everything after the header line.</summary>
    public Stream Rows { get; private set; }

    /// <summary>
    /// The number of fields of the first row after the header (quotes respected), read ahead and
    /// kept in <see cref="Rows"/>; 0 when there is no row or its first line is over 1 MB.
    /// </summary>
    public int FirstRowFields(char separator)
    {
        var seen = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        int fields = 0;
        while (seen.Length < MaxHeaderBytes && (n = Rows.Read(buffer)) > 0)
        {
            seen.Write(buffer, 0, n);
            var bytes = seen.GetBuffer().AsSpan(0, (int)seen.Length);
            int end = bytes.IndexOf((byte)'\n');
            if (end >= 0)
            {
                fields = Fields(bytes[..end], (byte)separator);
                break;
            }
        }

        Rows = new PrefixedStream(seen.ToArray(), Rows);
        return fields;
    }

    /// <summary>
    /// Reads the rows ahead, keeping what it read in <see cref="Rows"/>, until <paramref name="enough"/>
    /// lines, the end, or <paramref name="budget"/> bytes: the lines there are when the end came
    /// first, at least <paramref name="enough"/> when they did; null when the budget ran out first.
    /// </summary>
    public long? LinesAhead(long enough, int budget)
    {
        var seen = new MemoryStream();
        var buffer = new byte[64 << 10];
        var lines = new LineCounter();
        bool end = false;
        while (lines.Ended < enough && seen.Length < budget)
        {
            int n = Rows.Read(buffer);
            if (n == 0)
            {
                end = true;
                break;
            }

            seen.Write(buffer, 0, n);
            lines.Add(buffer.AsSpan(0, n));
        }

        Rows = new PrefixedStream(seen.ToArray(), Rows);
        return end || lines.Ended >= enough ? lines.Lines : null;
    }

    private static int Fields(ReadOnlySpan<byte> line, byte separator)
    {
        int fields = 1;
        bool quoted = false;
        foreach (byte b in line)
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (b == separator && !quoted)
            {
                fields++;
            }
        }

        return fields;
    }

    /// <summary>
    /// Reads <paramref name="input"/> up to the end of its first line. Returns the split when that
    /// line is a plain header (no quote, no carriage return but one before its '\n', no UTF-16
    /// byte order mark, under 1 MB); otherwise null, and <paramref name="replay"/> is a stream
    /// that gives back every byte of the input from the start.
    /// </summary>
    public static StandardInput? TrySplit(Stream input, out Stream replay)
    {
        var seen = new MemoryStream();
        var buffer = new byte[64 << 10];
        int n;
        while (seen.Length < MaxHeaderBytes && (n = input.Read(buffer)) > 0)
        {
            seen.Write(buffer, 0, n);
            if (buffer.AsSpan(0, n).IndexOf((byte)'\n') < 0)
            {
                continue;
            }

            var bytes = seen.GetBuffer().AsSpan(0, (int)seen.Length);
            int lineEnd = PlainRecord.HeaderLength(bytes);
            if (lineEnd > 0)
            {
                replay = Stream.Null;
                return new StandardInput(bytes[..lineEnd].ToArray(), new PrefixedStream(bytes[lineEnd..].ToArray(), input));
            }

            break;
        }

        replay = new PrefixedStream(seen.ToArray(), input);
        return null;
    }
}

/// <summary>
/// A read-only stream of some bytes already read, then the rest of a stream (left open when it is
/// disposed with <paramref name="leaveOpen"/>).
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest, bool leaveOpen = false) : ReadOnlyStream(rest, leaveOpen)
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return Inner.Read(buffer);
    }
}
