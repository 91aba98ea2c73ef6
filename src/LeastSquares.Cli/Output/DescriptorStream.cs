using System.Runtime.InteropServices;

namespace LeastSquares.Cli.Output;

/// <summary>
/// A file descriptor read and written with the read(2) and write(2) system calls: at the offset
/// the descriptor shares with every other holder of it, as the shell's redirections mean
/// (<c>&gt; out.txt 2&gt;&amp;1</c> puts stderr and stdout one after the other in the same file).
/// FileStream reads and writes a regular file at offsets of its own, and System.Console's streams
/// set a terminal up for interactive input, which leaves it in keypad mode; this does neither.
/// Failures are <see cref="IOException"/>s whose HResult is the errno, as .NET reports them on Unix.
/// </summary>
internal sealed class DescriptorStream(int fd, FileAccess access) : Stream
{
    private const int EINTR = 4;

    public override bool CanRead => access.HasFlag(FileAccess.Read);

    public override bool CanSeek => false;

    public override bool CanWrite => access.HasFlag(FileAccess.Write);

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            nint n = SystemRead(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw Failure(errno);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            nint n = SystemWrite(fd, in MemoryMarshal.GetReference(buffer), buffer.Length);
            if (n >= 0)
            {
                buffer = buffer[(int)n..];
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw Failure(errno);
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static IOException Failure(int errno) => new(Marshal.GetPInvokeErrorMessage(errno), errno);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint SystemRead(int fd, ref byte buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint SystemWrite(int fd, in byte buffer, nint count);
}
