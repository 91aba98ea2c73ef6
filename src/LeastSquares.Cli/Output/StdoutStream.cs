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
    /// Opens file descriptor 1 directly: .NET's console stream pretends a write to a closed pipe
    /// succeeded, so lsq would go on reading its whole input for nobody, and it sets a terminal up
    /// for interactive input (keypad mode) even when only a file is written. A regular file is
    /// written at the descriptor's shared offset, after what earlier commands appended to it.
    /// </summary>
    public static Stream Open() =>
        new StdoutStream(StandardStreams.Descriptor(1, FileAccess.Write) ?? Console.OpenStandardOutput());

    protected override Exception Translate(Exception e) =>
        OutputFailure.IsBrokenPipe(e) ? new OutputClosedException((IOException)e) : OutputFailure.For(OutputFailure.StandardOutput, e);
}
