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
    /// <summary>A line-flushed writer on file descriptor 2 (System.Console's on Windows).</summary>
    public static TextWriter Error()
    {
        var stream = Descriptor(2, FileAccess.Write);
        if (stream is null)
        {
            return Console.Error;
        }

        return TextWriter.Synchronized(new StreamWriter(stream, new UTF8Encoding(false), 1 << 12) { AutoFlush = true });
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
}
