using LeastSquares.Cli.Input;

namespace LeastSquares.Cli;

/// <summary>The process's streams, passed in so that tests can run commands in-process.</summary>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, Func<Stream> OpenStdin)
{
    /// <summary>Whether stderr is a terminal (progress lines are drawn only then).</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>Cancelled on Ctrl-C.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>How big files are read on several cores.</summary>
    public ParallelSettings Parallel { get; init; } = new();

    /// <summary>The LSQ_THREADS environment variable as set (null when unset): the number of reading threads.</summary>
    public string? ThreadsVariable { get; init; }
}
