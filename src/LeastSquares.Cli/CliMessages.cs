using System.Globalization;

namespace LeastSquares.Cli;

/// <summary>
/// Texts of the CLI's error messages, in one place: this file holds what several areas share
/// (quoting, numbers, column suggestions); each CliMessages.<i>Area</i>.cs holds an area's texts.
/// </summary>
internal static partial class CliMessages
{
    public static string Quote(string text)
    {
        const int Max = 40;
        var shown = text.Length > Max ? string.Concat(text.AsSpan(0, Max), "…") : text;
        return "'" + shown.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
    }

    /// <summary>At most this many column names are listed in full; past it, the nearest ones and the count.</summary>
    private const int ListedColumns = 12;

    /// <summary>
    /// What the file has instead of <paramref name="name"/>: every column of a narrow file, the
    /// closest names and the count of a wide one (a 200-column file would otherwise print 2 KB),
    /// and, when the header is one field holding a ';', a tab or a '|', the --delimiter to try.
    /// </summary>
    internal static string Columns(string name, IReadOnlyList<string> header)
    {
        static string Quote(string h) => "'" + h + "'";
        var text = header.Count <= ListedColumns
            ? $"Its columns are: {string.Join(", ", header.Select(Quote))}."
            : $"It has {header.Count} columns; the nearest names are {string.Join(", ", Nearest(name, header, 5).Select(Quote))}.";
        if (header.Count == 1)
        {
            foreach (var (c, word) in new[] { (';', "';'"), ('\t', "tab"), ('|', "'|'") })
            {
                if (header[0].Contains(c, StringComparison.Ordinal))
                {
                    return text + $" The header is one field holding {(c == '\t' ? "tabs" : $"'{c}'")}: if the file is separated by {(c == '\t' ? "tabs" : $"'{c}'")}, pass --delimiter {word}.";
                }
            }
        }

        return text;
    }

    /// <summary>The <paramref name="count"/> names closest to <paramref name="name"/> (edit distance, ignoring case; ties in file order).</summary>
    internal static IEnumerable<string> Nearest(string name, IReadOnlyList<string> header, int count) =>
        header.Select((h, i) => (h, i, d: Distance(name.ToUpperInvariant(), h.ToUpperInvariant())))
            .OrderBy(t => t.d).ThenBy(t => t.i).Take(count).Select(t => t.h);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// The one word of <paramref name="known"/> that <paramref name="given"/> is most likely a slip
    /// of (a letter left out, added, changed or two swapped, ignoring case): the closest, when it is
    /// close (one slip in a short word, two in a longer one) and no other is as close; null otherwise.
    /// </summary>
    internal static string? Suggestion(string given, IEnumerable<string> known)
    {
        string word = given.TrimStart('-').ToUpperInvariant();
        int allowed = word.Length <= 3 ? 1 : word.Length <= 8 ? 2 : 3;
        string? best = null;
        int bestDistance = int.MaxValue;
        bool tie = false;
        foreach (var candidate in known.Distinct(StringComparer.Ordinal))
        {
            int d = SlipDistance(word, candidate.TrimStart('-').ToUpperInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance, tie) = (candidate, d, false);
            }
            else if (d == bestDistance)
            {
                tie = true;
            }
        }

        return best is not null && !tie && bestDistance > 0 && bestDistance <= allowed && bestDistance < word.Length ? best : null;
    }

    /// <summary>" Did you mean '--summary'?" when <see cref="Suggestion"/> finds one; empty otherwise.</summary>
    internal static string DidYouMean(string given, IEnumerable<string> known) =>
        Suggestion(given, known) is { } s ? $" Did you mean '{s}'?" : "";

    /// <summary>Edits from <paramref name="a"/> to <paramref name="b"/>: a letter inserted, deleted or changed, or two neighbours swapped.</summary>
    private static int SlipDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>A number in messages: up to six significant digits, an exponent as people write it (1e-10, 2.5e+20 as 2.5e20).</summary>
    public static string Num(double v) => Exponent(v.ToString("G6", CultureInfo.InvariantCulture));

    /// <summary>A number to two significant digits, for sizes that only need their order (1.7e-9, 0.029).</summary>
    public static string Short(double v) => Exponent(v.ToString("G2", CultureInfo.InvariantCulture));

    private static string Exponent(string text)
    {
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..e] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
