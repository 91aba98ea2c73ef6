using System.Globalization;

namespace LeastSquares.Cli.Output;

/// <summary>Culture-invariant number text.</summary>
internal static class Numbers
{
    /// <summary>Shortest text that reads back as the same double ("R"), for JSON and CSV.</summary>
    public static string RoundTrip(double v) => v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>Ten significant digits, for people.</summary>
    public static string Human(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Inf" : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("G10", CultureInfo.InvariantCulture).Replace('E', 'e');

    public static string Human(double? v) => v is { } x ? Human(x) : "NA";

    public static string Integer(long v) => v.ToString(CultureInfo.InvariantCulture);
}
