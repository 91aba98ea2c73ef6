namespace LeastSquares.Cli.Input;

/// <summary>Bytes read, added to by several readers at once (for the progress line).</summary>
internal sealed class ByteCounter
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);
}

/// <summary>
/// The frame of lsq's read-only views of another stream (a part of a file, bytes put back before
/// standard input): forward-only, no writing, and disposing the view disposes what it reads
/// (unless <paramref name="leaveOpen"/>: a view lent to a reader that disposes it, of a stream
/// that is read again after it, as a compressed input's rest is when an error is reported).
/// </summary>
internal abstract class ReadOnlyStream(Stream inner, bool leaveOpen = false) : Stream
{
    /// <summary>The stream read from.</summary>
    protected Stream Inner => inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A read-only view of a stream that stops after <c>limit</c> bytes (a part of a file), counts
/// the bytes read for progress and, when asked, the quote characters, which tell whether a part
/// of a file starts inside a quoted field.
/// </summary>
internal sealed class CountingStream : ReadOnlyStream
{
    private readonly bool _countQuotes;
    private readonly ByteCounter? _shared;
    private long _remaining;
    private long _bytes;

    public CountingStream(Stream inner, long? limit, bool countQuotes, ByteCounter? shared = null)
        : base(inner)
    {
        _remaining = limit ?? long.MaxValue;
        _countQuotes = countQuotes;
        _shared = shared;
    }

    /// <summary>Bytes read so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Quote characters (") among the bytes read, when counted.</summary>
    public long Quotes { get; private set; }

    /// <summary>Whether every byte up to the limit (or the end of the input) has been read.</summary>
    public bool AtEnd { get; private set; }

    public override long Position
    {
        get => Bytes;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_remaining < buffer.Length)
        {
            buffer = buffer[..(int)_remaining];
        }

        int n = buffer.Length == 0 ? 0 : Inner.Read(buffer);
        if (n == 0)
        {
            AtEnd = true;
            return 0;
        }

        _remaining -= n;
        Interlocked.Add(ref _bytes, n);
        _shared?.Add(n);
        if (_countQuotes)
        {
            Quotes += buffer[..n].Count((byte)'"');
        }

        return n;
    }
}
