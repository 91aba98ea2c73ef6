namespace LeastSquares.Cli;

/// <summary>The process exit codes; documented in the README and in <c>lsq --help</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Usage = 1;
    public const int Input = 2;
    public const int Numerical = 3;
    public const int Internal = 70;
    public const int Interrupted = 130;

    public const string Summary =
        "Exit codes: 0 success; 1 usage error (bad option or value, unknown column); "
        + "2 input error (missing or unreadable file, malformed CSV, non-numeric or missing value); "
        + "3 numerical failure (rank-deficient design, too few rows, gradient descent diverged or, with --strict, did not converge); "
        + "130 interrupted. A closed output pipe (lsq ... | head) is not an error: exit 0.";

    public const string PredictSummary =
        "Exit codes: 0 success, also when the reader of the output stops early (| head); 1 usage error (bad option or value); "
        + "2 input error (missing or invalid model file, missing predictor column, malformed CSV, non-numeric or empty value); "
        + "130 interrupted.";
}

/// <summary>A mistake in how lsq was called (exit 1).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Input that cannot be read as the data lsq needs (exit 2).</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>A numerical outcome the user asked to treat as failure, such as --strict without convergence (exit 3).</summary>
internal sealed class StrictFailureException(string message) : Exception(message);
