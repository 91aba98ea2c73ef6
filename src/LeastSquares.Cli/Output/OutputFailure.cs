using System.Runtime.InteropServices;

namespace LeastSquares.Cli.Output;

/// <summary>
/// Tells the write failures of an output apart: a pipe whose reader has gone (EPIPE) is the quiet
/// end of <c>lsq … | head</c>; anything else (a full disk, an I/O error, a closed standard output) is
/// an <see cref="OutputException"/>, exit 2.
/// </summary>
internal static class OutputFailure
{
    public const string StandardOutput = "standard output";

    /// <summary>
    /// True for a write to a pipe that has no reader any more. On Linux and macOS .NET reports it as an
    /// <see cref="IOException"/> whose HResult is the raw errno, EPIPE = 32 (ENOSPC is 28, EIO 5);
    /// on Windows as ERROR_BROKEN_PIPE or ERROR_NO_DATA.
    /// </summary>
    public static bool IsBrokenPipe(Exception e) =>
        e is IOException && (OperatingSystem.IsWindows()
            ? e.HResult is unchecked((int)0x8007006D) or unchecked((int)0x800700E8)
            : e.HResult == 32);

    /// <summary>
    /// The error for a failed write to <paramref name="where"/> (a file name, or <see cref="StandardOutput"/>);
    /// <paramref name="temp"/> is the temporary file actually written, never shown.
    /// </summary>
    public static OutputException For(string where, Exception e, string? temp = null) =>
        new(where == StandardOutput
            ? CliMessages.CannotWriteStandardOutput(Reason(e, where, temp), IsFull(e))
            : CliMessages.CannotWriteFile(where, Reason(e, where, temp), IsFull(e)), e);

    /// <summary>The operating system's words for the failure, without the temporary file's name.</summary>
    private static string Reason(Exception e, string where, string? temp) => e switch
    {
        UnauthorizedAccessException when where == StandardOutput => "it is closed or not open for writing",
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "the folder does not take new files (no such file or directory)",
        PathTooLongException => "the name is too long",

        // Errors .NET has no type for carry the errno as HResult (ENOSPC 28, EIO 5, EROFS 30, ...).
        IOException when !OperatingSystem.IsWindows() && e.HResult > 0 => Marshal.GetPInvokeErrorMessage(e.HResult),
        _ => (temp is null ? e.Message : e.Message.Replace(temp, where, StringComparison.Ordinal)).TrimEnd('.'),
    };

    /// <summary>ENOSPC or EDQUOT: the disk or the quota is full.</summary>
    private static bool IsFull(Exception e) =>
        e is IOException && (OperatingSystem.IsWindows()
            ? e.HResult is unchecked((int)0x80070070) or unchecked((int)0x80070027)
            : e.HResult is 28 or 122 or 69); // ENOSPC; EDQUOT on Linux (122) and macOS (69)
}

/// <summary>An output (standard output or a file given to -o, --save, --trace) that could not be written (exit 2).</summary>
internal sealed class OutputException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A write-only stream that turns the I/O failures of the stream it wraps into the errors lsq reports
/// (see <see cref="Translate"/>); writes pass through unchanged.
/// </summary>
internal abstract class OutputStream(Stream inner) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The exception to throw for a failure of the wrapped stream.</summary>
    protected abstract Exception Translate(Exception e);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Translate(e);
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Translate(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                // A file stream writes what it still buffers here, so this can fail as a write does.
                inner.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Translate(e);
            }
        }

        base.Dispose(disposing);
    }
}
