namespace LeastSquares.Cli.Output;

/// <summary>
/// Standard output was closed by its reader (<c>lsq predict … | head</c>). Not a failure: the run
/// stops at once, prints nothing and exits 0 (see <see cref="ErrorReporter"/>).
/// </summary>
internal sealed class OutputClosedException(IOException inner) : Exception("standard output was closed by its reader", inner);

/// <summary>
/// The process's standard output. A write to a pipe whose reader has gone fails with EPIPE; this
/// turns that failure into <see cref="OutputClosedException"/>, and every other write failure (a
/// full disk, an I/O error, a closed descriptor) into an <see cref="OutputException"/> naming
/// standard output, so that neither is mistaken for the other nor for an error of the input.
/// </summary>
internal sealed class StdoutStream(Stream inner) : OutputStream(inner)
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
                // fd 1 is closed or not writable: fall back to the console stream; a write to it then
                // fails and is reported as an error of standard output.
            }
        }

        return new StdoutStream(Console.OpenStandardOutput());
    }

    protected override Exception Translate(Exception e) =>
        OutputFailure.IsBrokenPipe(e) ? new OutputClosedException((IOException)e) : OutputFailure.For(OutputFailure.StandardOutput, e);
}
