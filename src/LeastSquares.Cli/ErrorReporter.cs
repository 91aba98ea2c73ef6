using LeastSquares;

namespace LeastSquares.Cli;

/// <summary>The one place that turns an exception into an <c>lsq: error:</c> line and an exit code.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter stderr)
    {
        if (exception is Output.OutputClosedException)
        {
            // The reader of a pipe has all it wanted (| head): stop quietly, as cat and grep do.
            return ExitCodes.Success;
        }

        var (code, message) = exception switch
        {
            UsageException e => (ExitCodes.Usage, e.Message),
            InputException e => (ExitCodes.Input, e.Message),
            Output.OutputException e => (ExitCodes.Input, e.Message),
            StrictFailureException e => (ExitCodes.Numerical, e.Message),
            NumericalInputException e => (ExitCodes.Numerical, e.Message),
            NumericalException e => (ExitCodes.Numerical, CliMessages.Failure(e)),
            OverflowException e => (ExitCodes.Input, e.Message),
            FeatureValueException e => (ExitCodes.Input, e.Message),
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted."),
            _ => (ExitCodes.Internal, $"internal error ({exception.GetType().Name}: {exception.Message}). This is a bug in lsq; please report it with the command line."),
        };
        if (code != ExitCodes.Interrupted || TakeInterruptMessage())
        {
            stderr.WriteLine($"lsq: error: {message}");
        }

        return code;
    }

    private static int _interruptReported;

    /// <summary>
    /// True the first time only: the run's own cancellation and the fallback that ends a run which
    /// did not stop in time may both report an interrupt, and the user should read it once.
    /// </summary>
    public static bool TakeInterruptMessage() => Interlocked.Exchange(ref _interruptReported, 1) == 0;

    public static void Warn(TextWriter stderr, bool quiet, string message)
    {
        if (!quiet)
        {
            stderr.WriteLine($"lsq: warning: {message}");
        }
    }
}
