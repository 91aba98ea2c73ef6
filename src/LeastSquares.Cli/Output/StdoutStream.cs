namespace LeastSquares.Cli.Output;

/// <summary>
/// Standard output was closed by its reader (<c>lsq predict … | head</c>). Not a failure: the run
/// stops at once, prints nothing and exits 0 (see <see cref="ErrorReporter"/>).
/// </summary>
internal sealed class OutputClosedException(IOException inner) : Exception("standard output was closed by its reader", inner);

/// <summary>
/// The process's standard output. A write to a pipe whose reader has gone fails with EPIPE; this
/// turns that failure into <see cref="OutputClosedException"/> so that it is told apart from the
/// I/O errors of input and output files.
/// </summary>
internal sealed class StdoutStream(Stream inner) : Stream
{
    /// <summary>
    /// Opens file descriptor 1 directly when it is a pipe or terminal: .NET's console stream pretends
    /// a write to a closed pipe succeeded, so lsq would go on reading its whole input for nobody.
    /// </summary>
    public static Stream Open()
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                var fd = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
                if (!fd.CanSeek)
                {
                    return new StdoutStream(fd);
                }

                // A regular file: FileStream would write at its own offset (pwrite) and overwrite what
                // earlier commands appended to the same file; the console stream writes at the end.
                fd.Dispose();
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // fd 1 is closed or not writable: fall back to the console stream, which discards.
            }
        }

        return new StdoutStream(Console.OpenStandardOutput());
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (IOException e)
        {
            throw new OutputClosedException(e);
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (IOException e)
        {
            throw new OutputClosedException(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
