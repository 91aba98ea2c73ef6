using System.Globalization;
using System.Text;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LeastSquares.Cli.Plotting;

/// <summary>Draws a <see cref="ChartSpec"/> with ScottPlot. The only file that knows the drawing library.</summary>
internal static class Charts
{
    public static byte[] Render(ChartSpec spec, PictureSpec picture, string fontFamily)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(picture);
        using var plot = new Plot();
        plot.Font.Set(fontFamily);

        if (spec.Points is { } points)
        {
            var scatter = plot.Add.ScatterPoints(points.X, Y(points.Y, spec.LogY));
            scatter.LegendText = points.Label;
            scatter.MarkerSize = points.X.Length > 2000 ? 3 : 5;
            scatter.Color = Colors.C0.WithAlpha(points.X.Length > 2000 ? 0.35 : 0.7);
        }

        int colour = spec.Points is null ? 0 : 1;
        foreach (var line in spec.Lines)
        {
            var scatter = plot.Add.ScatterLine(line.X, Y(line.Y, spec.LogY));
            scatter.LegendText = line.Label;
            scatter.LineWidth = 2;
            scatter.Color = plot.Add.Palette.GetColor(colour++);
        }

        if (spec.ReferenceLine is { } reference)
        {
            var horizontal = plot.Add.HorizontalLine(spec.LogY ? Math.Log10(reference.Y) : reference.Y);
            horizontal.LegendText = reference.Label;
            horizontal.LinePattern = LinePattern.Dashed;
            horizontal.LineWidth = 1.5f;
            horizontal.Color = Colors.Black.WithAlpha(0.6);
        }

        plot.Title(spec.Title);
        plot.XLabel(spec.XLabel);
        plot.YLabel(spec.YLabel);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = TickLabel };
        plot.Axes.Left.TickGenerator = spec.LogY ? LogTicks(spec) : new NumericAutomatic { LabelFormatter = TickLabel };
        plot.ShowLegend(Edge.Bottom);

        return picture.Format == PictureFormat.Svg
            ? Encoding.UTF8.GetBytes(plot.GetSvgXml(picture.Width, picture.Height))
            : plot.GetImageBytes(picture.Width, picture.Height, ImageFormat.Png);
    }

    /// <summary>Culture-invariant tick text with up to ten significant digits ("0.3", "1700000000", "2.5e-07").</summary>
    public static string TickLabel(double value) =>
        value.ToString("G10", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace('E', 'e');

    /// <summary>Text of a tick at 10^<paramref name="exponent"/> on a log axis: plain near 1, else "1e-8".</summary>
    public static string DecadeLabel(double exponent, bool wholeDecades)
    {
        if (!wholeDecades)
        {
            return Math.Pow(10, exponent).ToString("G3", CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace('E', 'e');
        }

        int k = (int)Math.Round(exponent);
        return k is >= -3 and <= 4
            ? Math.Pow(10, k).ToString("0.####", CultureInfo.InvariantCulture)
            : "1e" + k.ToString(CultureInfo.InvariantCulture);
    }

    private static double[] Y(double[] y, bool log) => log ? y.Select(Math.Log10).ToArray() : y;

    private static NumericAutomatic LogTicks(ChartSpec spec)
    {
        // ScottPlot has no log axis: the values are drawn as log10(y) and the ticks are labelled 10^t.
        var all = spec.Lines.SelectMany(l => l.Y).Concat(spec.Points?.Y ?? []).ToArray();
        bool wholeDecades = all.Length > 0 && Math.Log10(all.Max()) - Math.Log10(all.Min()) >= 1;
        return new NumericAutomatic
        {
            IntegerTicksOnly = wholeDecades,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = t => DecadeLabel(t, wholeDecades),
        };
    }
}
