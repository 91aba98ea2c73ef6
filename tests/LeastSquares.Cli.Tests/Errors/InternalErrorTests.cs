namespace LeastSquares.Cli.Tests;

/// <summary>Exit 70: an exception lsq did not expect is reported as its own bug, never as the user's mistake.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public void An_unexpected_exception_is_an_internal_error_with_exit_70()
    {
        // No input makes lsq fail this way (that would be the bug), so the reporter is called directly.
        var stderr = new StringWriter();
        int code = ErrorReporter.Report(new InvalidOperationException("the state was left half merged"), stderr);
        Expect.Error(code, null, stderr.ToString(), 70, "internal/unexpected-exception",
            "internal error (InvalidOperationException: the state was left half merged)", "This is a bug in lsq; please report it");
    }
}
