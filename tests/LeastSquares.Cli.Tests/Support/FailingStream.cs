namespace LeastSquares.Cli.Tests;

/// <summary>
/// Accepts <c>allow</c> bytes (into <c>inner</c>, if given), then fails every write with the errno
/// given: 28 (ENOSPC) as a full disk does, 32 (EPIPE) as a pipe whose reader has gone.
/// </summary>
internal sealed class FailingStream(int allow, int errno, Stream? inner = null) : Stream
{
    private long _written;

    public int Attempts { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_written + buffer.Length > allow)
        {
            Attempts++;
            throw new IOException(errno == 32 ? "Broken pipe" : "No space left on device", errno);
        }

        _written += buffer.Length;
        inner?.Write(buffer);
    }

    public override void Flush() => inner?.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner?.Dispose();
        }

        base.Dispose(disposing);
    }
}
