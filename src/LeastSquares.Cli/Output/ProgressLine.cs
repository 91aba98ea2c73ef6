using System.Diagnostics;
using System.Globalization;

namespace LeastSquares.Cli.Output;

/// <summary>
/// One self-overwriting status line on stderr for long iterative runs, drawn only when stderr is
/// a terminal (never in pipes, logs or CI) and at most ten times a second; erased when done.
/// </summary>
internal sealed class ProgressLine : IProgress<IterationRecord>, IDisposable
{
    private readonly TextWriter _stderr;
    private readonly string _what;
    private readonly int _limit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawn;
    private bool _drawn;

    private ProgressLine(TextWriter stderr, string what, int limit)
    {
        _stderr = stderr;
        _what = what;
        _limit = limit;
    }

    /// <summary>A progress line, or null when nothing should be drawn.</summary>
    public static ProgressLine? For(CliContext context, bool quiet, FitMethod method, int limit) =>
        context.StderrIsTerminal && !quiet && method is FitMethod.GradientDescent or FitMethod.StochasticGradientDescent
            ? new ProgressLine(context.Stderr, method == FitMethod.GradientDescent ? "gd iteration" : "sgd epoch", limit)
            : null;

    public void Report(IterationRecord value)
    {
        long now = _clock.ElapsedMilliseconds;
        if (_drawn && now - _lastDrawn < 100)
        {
            return;
        }

        _lastDrawn = now;
        _drawn = true;
        _stderr.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rlsq: {_what} {value.Iteration} of at most {_limit}, loss {value.Loss:G8}\u001b[K"));
        _stderr.Flush();
    }

    public void Dispose()
    {
        if (_drawn)
        {
            _stderr.Write("\r\u001b[K");
            _stderr.Flush();
        }
    }
}
