using System.Globalization;

namespace LeastSquares.Cli.Output;

/// <summary>Culture-invariant number text.</summary>
internal static class Numbers
{
    /// <summary>Shortest text that reads back as the same double ("R"), for JSON and CSV.</summary>
    public static string RoundTrip(double v)
    {
        var text = v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

        // "R" writes doubles up to 1e15 as plain integers ("18874853397748370"); some JSON readers
        // (Python's) take such text for an exact integer rather than the double it is. The same
        // digits with an exponent read back as the same double everywhere.
        if (Math.Abs(v) >= 1e15 && text.AsSpan().IndexOfAny('.', 'e') < 0)
        {
            var sign = text[0] == '-' ? "-" : "";
            var digits = text.TrimStart('-');
            var mantissa = digits.TrimEnd('0');
            text = sign + mantissa[0] + (mantissa.Length > 1 ? "." + mantissa[1..] : "") + "e+" + (digits.Length - 1).ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>Ten significant digits, for people.</summary>
    public static string Human(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Inf" : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("G10", CultureInfo.InvariantCulture).Replace('E', 'e');

    public static string Human(double? v) => v is { } x ? Human(x) : "NA";

    public static string Integer(long v) => v.ToString(CultureInfo.InvariantCulture);
}
