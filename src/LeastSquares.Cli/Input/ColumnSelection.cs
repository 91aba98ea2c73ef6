using System.Globalization;
using System.Text.RegularExpressions;

namespace LeastSquares.Cli.Input;

/// <summary>
/// The forms a column list takes in --features and --exclude, expanded against a header: an
/// exact name or 1-based number, a glob (<c>x*</c>, <c>c0?</c>, <c>[ab]*</c>), a name range
/// (<c>x1:x5</c>, both ends and every column between them in header order) and a number range
/// (<c>2-5</c>). An exact header name always wins, so a column really named <c>2-5</c> is that column.
/// </summary>
internal static class ColumnSelection
{
    /// <summary>One entry of a list, expanded: its 0-based columns and whether it named a column outright (name or number).</summary>
    internal readonly record struct Entry(string Text, int[] Columns, bool IsPattern);

    /// <summary>Whether an entry can only be understood against a header (a glob or a range).</summary>
    public static bool IsPattern(string entry) =>
        entry.IndexOfAny(['*', '?', '[']) >= 0 || entry.Contains(':', StringComparison.Ordinal) || IsNumberRange(entry, out _, out _);

    /// <summary>
    /// Expands every entry of <paramref name="list"/> against <paramref name="header"/>;
    /// <paramref name="lookup"/> resolves a single name or number (and words its errors).
    /// </summary>
    public static List<Entry> Expand(IReadOnlyList<string> list, IReadOnlyList<string> header, string displayName, string option,
        Func<string, int> lookup)
    {
        var entries = new List<Entry>(list.Count);
        foreach (var text in list)
        {
            entries.Add(ExpandOne(text, header, displayName, option, lookup));
        }

        return entries;
    }

    /// <summary>The 0-based columns <paramref name="list"/> names, in the order given, each once.</summary>
    public static List<int> Columns(IReadOnlyList<string> list, IReadOnlyList<string> header, string displayName, string option, Func<string, int> lookup) =>
        Expand(list, header, displayName, option, lookup).SelectMany(e => e.Columns).Distinct().ToList();

    private static Entry ExpandOne(string text, IReadOnlyList<string> header, string displayName, string option, Func<string, int> lookup)
    {
        if (header.Contains(text) || !IsPattern(text))
        {
            return new Entry(text, [lookup(text)], false);
        }

        if (IsNumberRange(text, out int from, out int to))
        {
            if (from < 1 || to > header.Count || from > to)
            {
                throw new UsageException(CliMessages.BadNumberRange(displayName, option, text, header.Count));
            }

            return new Entry(text, Enumerable.Range(from - 1, to - from + 1).ToArray(), true);
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && text.IndexOfAny(['*', '?', '[']) < 0)
        {
            int a = lookup(text[..colon]);
            int b = lookup(text[(colon + 1)..]);
            if (a > b)
            {
                throw new UsageException(CliMessages.BackwardNameRange(displayName, option, text, header[a], header[b]));
            }

            return new Entry(text, Enumerable.Range(a, b - a + 1).ToArray(), true);
        }

        var glob = Glob(text);
        var matched = Enumerable.Range(0, header.Count).Where(i => glob.IsMatch(header[i])).ToArray();
        return matched.Length > 0
            ? new Entry(text, matched, true)
            : throw new UsageException(CliMessages.GlobMatchesNothing(displayName, option, text, header));
    }

    /// <summary>"2-5": two whole numbers joined by one '-'.</summary>
    private static bool IsNumberRange(string text, out int from, out int to)
    {
        from = to = 0;
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out from)
            && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out to);
    }

    /// <summary>A shell-style glob as an anchored regular expression: '*' any run, '?' one character, '[…]' a class ('[!…]' its complement).</summary>
    private static Regex Glob(string glob)
    {
        var pattern = new System.Text.StringBuilder("^");
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            int close = c == '[' ? glob.IndexOf(']', i + 2) : -1;
            if (c == '*')
            {
                pattern.Append(".*");
            }
            else if (c == '?')
            {
                pattern.Append('.');
            }
            else if (close > 0)
            {
                var inside = glob[(i + 1)..close];
                bool negate = inside.StartsWith('!');
                pattern.Append('[').Append(negate ? "^" : "").Append(Regex.Escape(negate ? inside[1..] : inside)).Append(']');
                i = close;
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
