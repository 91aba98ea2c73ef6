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

    /// <summary>The codes a command can end with and what they mean, for its --help.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> For(string command) =>
    [
        (Success, "success; also when the reader of the output stops early (lsq ... | head)"
            + (command == "predict" ? "" : "; a gd run that stops at --max-iter warns and still exits 0")),
        (Usage, "usage error: unknown option, bad value" + (command == "predict" ? "" : ", unknown column")),
        (Input, (command == "predict"
            ? "input error: missing or invalid model file, missing predictor column, malformed CSV, non-numeric or empty value"
            : "input error: missing or unreadable file, malformed CSV, non-numeric, non-finite or missing value")
            + "; or an output that cannot be written (disk full, I/O error, standard output closed)"),
        .. command == "predict"
            ? Array.Empty<(int, string)>()
            : [(Numerical, "numerical failure: constant or collinear columns, too few rows, gd diverged; with --strict, gd did not converge")],
        (Interrupted, "interrupted"),
    ];
}

/// <summary>A mistake in how lsq was called (exit 1).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Input that cannot be read as the data lsq needs (exit 2; an output that cannot be written is <see cref="Output.OutputException"/>, also exit 2).</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>A numerical outcome the user asked to treat as failure, such as --strict without convergence (exit 3).</summary>
internal sealed class StrictFailureException(string message) : Exception(message);
