using System.Globalization;

namespace LeastSquares.Cli;

/// <summary>
/// A progress line on stderr while a long input is read: bytes read, and of how many when the
/// size is known. Drawn only on a terminal (the caller decides), first after a short delay so that
/// quick runs show nothing, then about ten times a second, always on the same line, and wiped when
/// the reading ends so that whatever is printed next starts on a clean line.
/// </summary>
internal sealed class ReadProgress : IDisposable
{
    private const int BarWidth = 20;
    private readonly TextWriter _stderr;
    private readonly string _name;
    private readonly long? _total;
    private Func<long> _bytes;
    private readonly Timer? _timer;
    private readonly Lock _lock = new();
    private int _drawnWidth;
    private bool _stopped;

    /// <summary>Creates the line; with a <paramref name="delay"/> it redraws itself every <paramref name="interval"/>, otherwise only on <see cref="Draw"/>.</summary>
    public ReadProgress(TextWriter stderr, string name, long? total, Func<long> bytes, TimeSpan? delay, TimeSpan interval)
    {
        _stderr = stderr;
        _name = name.Length > 30 ? "…" + name[^29..] : name;
        _total = total;
        _bytes = bytes;
        if (delay is { } d)
        {
            _timer = new Timer(_ => Draw(), null, d, interval);
        }
    }

    /// <summary>The usual line: after half a second, ten times a second.</summary>
    public static ReadProgress Start(TextWriter stderr, string name, long? total, Func<long> bytes) =>
        new(stderr, name, total, bytes, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100));

    /// <summary>Takes the byte count from elsewhere (when a parallel read falls back to one reader).</summary>
    public void Follow(Func<long> bytes)
    {
        lock (_lock)
        {
            _bytes = bytes;
        }
    }

    /// <summary>Draws the line now.</summary>
    public void Draw()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var text = Render(_name, _bytes(), _total);
            _stderr.Write("\r" + text.PadRight(_drawnWidth));
            _stderr.Flush();
            _drawnWidth = text.Length;
        }
    }

    /// <summary>The text of the line, e.g. <c>lsq: reading big.csv  45% [#########           ] 461 MB of 1.0 GB</c>.</summary>
    public static string Render(string name, long bytes, long? total)
    {
        if (total is not { } size || size <= 0)
        {
            return $"lsq: reading {name}  {Size(bytes)}";
        }

        double fraction = Math.Clamp((double)bytes / size, 0, 1);
        int filled = (int)Math.Floor(fraction * BarWidth);
        var percent = ((int)Math.Floor(fraction * 100)).ToString(CultureInfo.InvariantCulture).PadLeft(3);
        return $"lsq: reading {name} {percent}% [{new string('#', filled)}{new string(' ', BarWidth - filled)}] {Size(bytes)} of {Size(size)}";
    }

    /// <summary>A byte count for people: B, kB, MB, GB (powers of 1000).</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.Length - 1)
        {
            v /= 1000;
            u++;
        }

        return u == 0 ? $"{bytes.ToString(CultureInfo.InvariantCulture)} B"
            : (v >= 100 ? v.ToString("F0", CultureInfo.InvariantCulture) : v.ToString("F1", CultureInfo.InvariantCulture)) + " " + units[u];
    }

    /// <summary>Stops the redrawing and wipes the line if it was drawn.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (_drawnWidth > 0)
            {
                _stderr.Write("\r" + new string(' ', _drawnWidth) + "\r");
                _stderr.Flush();
            }
        }
    }
}
