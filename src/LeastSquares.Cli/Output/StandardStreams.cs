using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LeastSquares.Cli.Output;

/// <summary>
/// Standard error and standard input through their file descriptors on Unix. System.Console's
/// streams set a terminal up for interactive input on first use, which switches it to keypad
/// mode (ESC[?1h ESC=) for good; lsq reads and writes plain bytes and leaves the terminal alone.
/// </summary>
internal static class StandardStreams
{
    /// <summary>
    /// A line-flushed writer on file descriptor 2 (System.Console's on Windows). Diagnostics are
    /// best effort: when standard error is closed (<c>2&gt;&amp;-</c>) or cannot take more
    /// (<c>2&gt;/dev/full</c>) the text is dropped, and the run still writes its results and exits
    /// with the code it earned.
    /// </summary>
    public static TextWriter Error()
    {
        if (OperatingSystem.IsWindows())
        {
            return Console.Error;
        }

        var stream = Descriptor(2, FileAccess.Write);
        if (stream is null)
        {
            return TextWriter.Null;
        }

        return TextWriter.Synchronized(new StreamWriter(new BestEffort(stream), new UTF8Encoding(false), 1 << 12) { AutoFlush = true });
    }

    /// <summary>File descriptor 0 as a stream (System.Console's on Windows).</summary>
    public static Stream OpenInput() => Descriptor(0, FileAccess.Read) ?? Console.OpenStandardInput();

    /// <summary>
    /// The descriptor as an unbuffered stream that does not close it: a FileStream for a terminal or
    /// a pipe, read(2)/write(2) for a regular file or a device (FileStream would use offsets of its
    /// own there, not the descriptor's shared one, which 2&gt;&amp;1 and the shell's &lt; rely on).
    /// Null on Windows or when the descriptor is closed.
    /// </summary>
    internal static Stream? Descriptor(int fd, FileAccess access)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
            if (!stream.CanSeek)
            {
                return stream;
            }

            stream.Dispose();
            return new DescriptorStream(fd, access);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A stream whose writes are dropped, not thrown, once the descriptor under it fails.</summary>
    private sealed class BestEffort(Stream inner) : Stream
    {
        private bool _failed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_failed)
            {
                return;
            }

            try
            {
                inner.Write(buffer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                _failed = true;
            }
        }

        public override void Flush()
        {
            if (_failed)
            {
                return;
            }

            try
            {
                inner.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                _failed = true;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
