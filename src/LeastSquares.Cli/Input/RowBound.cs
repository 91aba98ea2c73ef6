namespace LeastSquares.Cli.Input;

/// <summary>
/// A cheap look, before any state is made, at whether the inputs can hold as many rows as the
/// model has coefficients. A wide model's state grows as the square of its coefficients (20,001
/// columns: gigabytes), so a file of a few rows must be refused before that state exists, not
/// after it was filled.
/// </summary>
/// <remarks>
/// A data row takes at least one line, so the line ends after the header bound the rows from
/// above (blank lines and quoted line breaks only make the bound larger). The scan stops as soon
/// as the bound reaches the coefficients, so it reads at most that many lines of each file: a
/// fraction of what the fit itself reads. Standard input cannot be read twice and is not looked at.
/// </remarks>
internal static class RowBound
{
    /// <summary>Models this small are not worth a second open of the file: their state is small.</summary>
    private const int SmallModel = 64;

    /// <summary>
    /// Throws the numerical failure "too few rows" (exit 3) when the lines of <paramref name="files"/>
    /// cannot hold <paramref name="coefficients"/> data rows; does nothing when they can, or when an
    /// input cannot be looked at twice (standard input) or cannot be read (its read reports why).
    /// </summary>
    public static void Require(IReadOnlyList<string?> files, CsvDialect dialect, int coefficients)
    {
        if (coefficients <= SmallModel || files.Count == 0)
        {
            return;
        }

        long rows = 0;
        foreach (var file in files)
        {
            if (InputFile.IsStdin(file) || MostRows(file!, dialect.HasHeader, coefficients - rows) is not { } most)
            {
                return;
            }

            rows += most;
            if (rows >= coefficients)
            {
                return;
            }
        }

        if (rows == 0)
        {
            return; // no data row at all: the read says so, as an input error
        }

        var names = string.Join(", ", files.Select(InputFile.DisplayName));
        throw new NumericalInputException(CliMessages.TooFewLines(names, rows, coefficients, dialect.HasHeader));
    }

    /// <summary>
    /// At most how many data rows the lines of <paramref name="path"/> hold, counted no further than
    /// <paramref name="enough"/>; null when the file cannot be read (the read says why).
    /// </summary>
    internal static long? MostRows(string path, bool hasHeader, long enough)
    {
        try
        {
            using var stream = Compression.Open(InputFile.Open(path), path, out _);
            long lines = CountLines(stream, enough + (hasHeader ? 1 : 0));
            return Math.Max(0, lines - (hasHeader ? 1 : 0));
        }
        catch (Exception e) when (e is InputException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// As <see cref="Require"/> for the rows of standard input or of a compressed file after its
    /// header (<paramref name="split"/>), which cannot be opened again: its first bytes are read
    /// ahead and kept for the read, no more than a small share of the state they could spare, and
    /// no further than the line that makes the rows enough.
    /// </summary>
    public static void RequireAhead(StandardInput split, string displayName, int coefficients)
    {
        if (coefficients <= SmallModel)
        {
            return;
        }

        // An eighth of the state in double-doubles (16 bytes an entry), from 64 KB to 32 MB.
        int budget = (int)Math.Clamp(2L * coefficients * coefficients, 64L << 10, 32L << 20);
        if (split.LinesAhead(coefficients, budget) is { } rows && rows > 0 && rows < coefficients)
        {
            throw new NumericalInputException(CliMessages.TooFewLines(displayName, rows, coefficients, hasHeader: true));
        }
    }

    /// <summary>
    /// The lines of <paramref name="stream"/> (a last line without its line end counts; "\r\n",
    /// "\n" and a lone "\r" each end one), counted up to <paramref name="limit"/>.
    /// </summary>
    internal static long CountLines(Stream stream, long limit)
    {
        var buffer = new byte[1 << 16];
        var lines = new LineCounter();
        int n;
        while (lines.Ended < limit && (n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines.Add(buffer.AsSpan(0, n));
        }

        return lines.Lines;
    }
}

/// <summary>Counts lines in bytes given piece by piece: "\r\n", "\n" and a lone "\r" each end one.</summary>
internal struct LineCounter
{
    private bool _open; // bytes after the last line end
    private bool _afterCr;

    /// <summary>The line ends met.</summary>
    public long Ended { get; private set; }

    /// <summary>The lines: those ended, and a last one without its end.</summary>
    public readonly long Lines => _open ? Ended + 1 : Ended;

    public void Add(ReadOnlySpan<byte> span)
    {
        for (int i = 0; i < span.Length; i++)
        {
            byte b = span[i];
            if (b == (byte)'\n')
            {
                if (!_afterCr)
                {
                    Ended++; // "\r\n" was counted at its '\r'
                }

                _open = false;
                _afterCr = false;
            }
            else if (b == (byte)'\r')
            {
                Ended++;
                _open = false;
                _afterCr = true;
            }
            else
            {
                _open = true;
                _afterCr = false;
                int next = span[(i + 1)..].IndexOfAny((byte)'\n', (byte)'\r');
                if (next < 0)
                {
                    break;
                }

                i += next; // the loop's i++ lands on the line end
            }
        }
    }
}
