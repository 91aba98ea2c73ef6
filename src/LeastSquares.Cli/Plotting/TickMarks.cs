using System.Globalization;

namespace LeastSquares.Cli.Plotting;

/// <summary>A labelled tick at a position on an axis (for a log axis, the position is log10 of the value).</summary>
internal sealed record TickMark(double Position, string Label);

/// <summary>Major ticks with labels and unlabelled minor ticks of one axis.</summary>
internal sealed record AxisTicks(IReadOnlyList<TickMark> Major, IReadOnlyList<double> Minor);

/// <summary>
/// Tick positions and labels chosen the way R's pretty() and matplotlib's locators choose them: a
/// few round steps (1, 2, 2.5 or 5 times a power of ten) rather than as many as fit, labels with
/// the same number of decimals, and on a log axis labelled decades or 1-2-5 steps, never a lone
/// "1" and "10". Independent of the drawing library; all text culture-invariant.
/// </summary>
internal static class TickMarks
{
    private static readonly double[] Mantissas = [1, 2, 2.5, 5];

    /// <summary>Ticks of a linear axis over [<paramref name="lo"/>, <paramref name="hi"/>], at most <paramref name="maxCount"/> labelled.</summary>
    public static AxisTicks Linear(double lo, double hi, int maxCount)
    {
        double magnitude = Math.Max(Math.Abs(lo), Math.Abs(hi));
        if (!(hi > lo) || !double.IsFinite(hi - lo) || hi - lo < magnitude * 1e-12)
        {
            // No room for steps a double can tell apart: one tick in the middle.
            double mid = double.IsFinite(lo + hi) ? (lo / 2) + (hi / 2) : lo;
            return new AxisTicks([new TickMark(mid, mid.ToString("G10", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace('E', 'e'))], []);
        }

        maxCount = Math.Max(2, maxCount);
        double span = hi - lo;
        int exponent = (int)Math.Floor(Math.Log10(span / maxCount)) - 1;
        while (true)
        {
            double power = Math.Pow(10, exponent);
            foreach (double m in Mantissas)
            {
                double step = m * power;
                double first = Math.Ceiling((lo / step) - 1e-9);
                double last = Math.Floor((hi / step) + 1e-9);
                int count = (int)(last - first) + 1;
                if (count > maxCount)
                {
                    continue;
                }

                double[] positions = [.. Enumerable.Range(0, count).Select(n => (first + n) * step)];
                var major = positions.Select(at => new TickMark(at, Label(at, step, positions))).ToList();
                double minorStep = step / (m == 2 ? 4 : 5);
                double minorFirst = Math.Ceiling((lo / minorStep) - 1e-9);
                int minorCount = Math.Min(1000, (int)(Math.Floor((hi / minorStep) + 1e-9) - minorFirst) + 1);
                var minor = Enumerable.Range(0, Math.Max(0, minorCount)).Select(n => (minorFirst + n) * minorStep).ToList();
                return new AxisTicks(major, minor);
            }

            exponent++;
        }
    }

    /// <summary>
    /// Ticks of a log axis whose positions are log10 of the values, over [<paramref name="lo"/>,
    /// <paramref name="hi"/>] in those units: whole decades over a wide range (every k-th where
    /// there are many), 1-2-5 steps over one or two decades, plain round steps within one.
    /// </summary>
    public static AxisTicks Log(double lo, double hi, int maxCount)
    {
        maxCount = Math.Max(3, maxCount);
        double span = hi - lo;
        if (!(span > 0) || !double.IsFinite(span))
        {
            return new AxisTicks([new TickMark(lo, Value(Math.Pow(10, lo)))], []);
        }

        int firstDecade = (int)Math.Floor(lo);
        int lastDecade = (int)Math.Ceiling(hi);
        var minor = new List<double>();
        for (int k = firstDecade; k <= lastDecade; k++)
        {
            for (int d = 2; d <= 9; d++)
            {
                double at = k + Math.Log10(d);
                if (at >= lo && at <= hi)
                {
                    minor.Add(at);
                }
            }
        }

        if (span > 2.5)
        {
            int every = 1;
            while (Math.Floor(hi / every) - Math.Ceiling(lo / every) + 1 > maxCount)
            {
                every++;
            }

            var major = new List<TickMark>();
            for (int k = (int)Math.Ceiling(lo / every) * every; k <= hi; k += every)
            {
                major.Add(new TickMark(k, Decade(k)));
            }

            return new AxisTicks(major, every == 1 ? minor : []);
        }

        var oneTwoFive = new List<TickMark>();
        for (int k = firstDecade; k <= lastDecade; k++)
        {
            foreach (int d in (int[])[1, 2, 5])
            {
                double at = k + Math.Log10(d);
                if (at >= lo - 1e-12 && at <= hi + 1e-12)
                {
                    oneTwoFive.Add(new TickMark(at, Value(d * Math.Pow(10, k))));
                }
            }
        }

        if (oneTwoFive.Count >= 3 && oneTwoFive.Count <= maxCount)
        {
            return new AxisTicks(oneTwoFive, minor);
        }

        if (oneTwoFive.Count > maxCount)
        {
            // Two decades and a half of 1-2-5 steps do not fit: label the decades only.
            return new AxisTicks([.. oneTwoFive.Where(t => IsDecade(t.Position))], minor);
        }

        // Within a factor of a few: round steps of the values themselves, drawn at their logs.
        var linear = Linear(Math.Pow(10, lo), Math.Pow(10, hi), maxCount);
        return new AxisTicks(
            [.. linear.Major.Where(t => t.Position > 0).Select(t => new TickMark(Math.Log10(t.Position), t.Label))],
            [.. linear.Minor.Where(v => v > 0).Select(Math.Log10)]);
    }

    private static bool IsDecade(double position) => Math.Abs(position - Math.Round(position)) < 1e-9;

    /// <summary>The label of 10^<paramref name="k"/>: plain from 0.001 to 10000, else "1e-8", "1e6".</summary>
    public static string Decade(int k) =>
        k is >= -3 and <= 4
            ? Math.Pow(10, k).ToString("0.###", CultureInfo.InvariantCulture)
            : "1e" + k.ToString(CultureInfo.InvariantCulture);

    /// <summary>A value on a log axis: plain from 0.001 to 10000 ("0.002", "500"), else "2e-8".</summary>
    public static string Value(double v)
    {
        if (v >= 1e-3 && v < 1e5)
        {
            return Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture);
        }

        int k = (int)Math.Floor(Math.Log10(v) + 1e-9);
        double mantissa = Math.Round(v / Math.Pow(10, k), 2);
        return mantissa.ToString("0.##", CultureInfo.InvariantCulture) + "e" + k.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The label of a linear tick at <paramref name="value"/> among the ticks at
    /// <paramref name="positions"/>, <paramref name="step"/> apart: as many decimals as the step
    /// needs (0, 0.5, 1.0 …); whole numbers in full, as R prints them (a Unix timestamp stays
    /// 1700020000); other values of a million and more, or below 0.001, as a mantissa times the
    /// power of ten of the largest tick, with the decimals the step needs ("0.5e-6", "1.0e-6").
    /// </summary>
    public static string Label(double value, double step, IReadOnlyList<double> positions)
    {
        if (Math.Abs(value) < step * 1e-9)
        {
            value = 0;
        }

        double magnitude = Math.Max(positions.Max(Math.Abs), step);
        int stepExponent = (int)Math.Floor(Math.Log10(step) + 1e-9);
        int extra = Math.Abs((step / Math.Pow(10, stepExponent)) - 2.5) < 1e-9 ? 1 : 0;
        if (magnitude >= 1e6 && step >= 1 && magnitude < 1e15)
        {
            return value.ToString("F0", CultureInfo.InvariantCulture);
        }

        if (magnitude >= 1e6 || magnitude < 1e-3)
        {
            if (value == 0)
            {
                return "0";
            }

            int scale = (int)Math.Floor(Math.Log10(magnitude) + 1e-9);
            int mantissaDecimals = Math.Clamp(scale - stepExponent + extra, 0, 15);
            return (value / Math.Pow(10, scale)).ToString("F" + mantissaDecimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                + "e" + scale.ToString(CultureInfo.InvariantCulture);
        }

        int decimals = Math.Max(0, -stepExponent + extra);
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
