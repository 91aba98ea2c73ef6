using System.Globalization;
using System.Text;
using LeastSquares.Cli.Options;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LeastSquares.Cli.Plotting;

/// <summary>Draws a <see cref="ChartSpec"/> with ScottPlot. The only file that knows the drawing library.</summary>
internal static class Charts
{
    public static byte[] Render(ChartSpec spec, PictureSpec picture, string fontFamily) =>
        Render(spec, picture, fontFamily, ScaleFactor(picture), legend: true);

    /// <summary>The limits that hold the data of every one of <paramref name="specs"/> (none of them on a log axis): one frame for panels that share their scales.</summary>
    public static ChartFrame SharedFrame(IReadOnlyList<ChartSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var all = specs.Select(Frame).ToList();
        return new ChartFrame(all.Min(f => f.XMin), all.Max(f => f.XMax), all.Min(f => f.YMin), all.Max(f => f.YMax));
    }

    /// <summary>
    /// Draws several charts as the panels of one picture, row by row on a grid of
    /// <paramref name="columns"/> columns (R's <c>par(mfrow = …)</c>); text in each panel is a little
    /// smaller than in a picture of its own, as R draws a 2×2 layout.
    /// </summary>
    /// <paramref name="scale"/>: the scale of the panels' text and marks, when not that of a 2×2 grid of this picture.
    public static byte[] RenderGrid(IReadOnlyList<ChartSpec> specs, int columns, PictureSpec picture, string fontFamily, float? scale = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(picture);
        int rows = (specs.Count + columns - 1) / columns;
        int w = picture.Width / columns, h = picture.Height / rows;
        var panel = picture with { Width = w, Height = h };
        float panelScale = scale ?? Math.Max(0.6f, 0.75f * ScaleFactor(picture));
        // No legends: in a quarter of the picture they would hide the points, and R draws none either.
        var images = specs.Select(s => Render(s, panel, fontFamily, panelScale, legend: false)).ToList();
        if (picture.Format == PictureFormat.Svg)
        {
            var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{picture.Width}\" height=\"{picture.Height}\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/>"));
            for (int i = 0; i < images.Count; i++)
            {
                string inner = Encoding.UTF8.GetString(images[i]);
                int root = inner.IndexOf("<svg", StringComparison.Ordinal);
                inner = inner[root..];
                svg.Append(string.Create(CultureInfo.InvariantCulture, $"<svg x=\"{i % columns * w}\" y=\"{i / columns * h}\""))
                    .Append(inner.AsSpan(4));
            }

            return Encoding.UTF8.GetBytes(svg.Append("</svg>").ToString());
        }

        using var bitmap = new SkiaSharp.SKBitmap(picture.Width, picture.Height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.White);
            for (int i = 0; i < images.Count; i++)
            {
                using var part = SkiaSharp.SKBitmap.Decode(images[i]);
                canvas.DrawBitmap(part, i % columns * w, i / columns * h);
            }
        }

        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Render(ChartSpec spec, PictureSpec picture, string fontFamily, float scale, bool legend)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(picture);
        using var plot = new Plot();
        plot.Font.Set(fontFamily);

        if (spec.Points is { } points)
        {
            var px = X(points.X, spec.LogX);
            var py = Y(points.Y, spec.LogY);
            if (spec.ErrorBars is { } bars)
            {
                var errors = plot.Add.ErrorBar(px, py, bars);
                errors.Color = Colors.Gray;
                errors.LineWidth = 1;
            }

            var scatter = plot.Add.ScatterPoints(px, py);
            scatter.LegendText = points.Label;
            scatter.MarkerSize = points.X.Length > 2000 ? 3 : 5;
            scatter.Color = Colors.C0.WithAlpha(points.X.Length > 2000 ? 0.35 : 0.7);
        }

        int colour = spec.Points is null ? 0 : 1;
        foreach (var line in spec.Lines)
        {
            var scatter = plot.Add.ScatterLine(X(line.X, spec.LogX), Y(line.Y, spec.LogY));
            scatter.LegendText = line.Label;
            scatter.LineWidth = 2;
            scatter.Color = plot.Add.Palette.GetColor(colour++);
        }

        foreach (var guide in spec.Guides)
        {
            var scatter = plot.Add.ScatterLine(X(guide.X, spec.LogX), Y(guide.Y, spec.LogY));
            scatter.LegendText = guide.Label;
            scatter.LineWidth = 1.5f;
            scatter.LinePattern = LinePattern.Dashed;
            scatter.Color = Colors.Gray;
        }

        // Marks in black and grey, dotted then dashed, so that they never share a colour with a curve.
        for (int m = 0; m < spec.VerticalLines.Count; m++)
        {
            var mark = spec.VerticalLines[m];
            var vertical = plot.Add.VerticalLine(spec.LogX ? Math.Log10(mark.X) : mark.X);
            vertical.LegendText = mark.Label;
            vertical.LinePattern = m == 0 ? LinePattern.Dotted : LinePattern.Dashed;
            vertical.LineWidth = 1.5f;
            vertical.Color = (m == 0 ? Colors.Black : Colors.Gray).WithAlpha(0.8);
        }

        var frame = Frame(spec);
        foreach (var label in spec.Labels)
        {
            // As R's plot.lm places them: right of a point in the left half, left of one in the right half.
            double x = spec.LogX ? Math.Log10(label.X) : label.X;
            bool right = x > (frame.XMin + frame.XMax) / 2;
            var text = plot.Add.Text(label.Text, x, spec.LogY ? Math.Log10(label.Y) : label.Y);
            text.LabelFontSize = 11;
            text.LabelFontColor = Colors.Black;
            text.LabelAlignment = right ? Alignment.MiddleRight : Alignment.MiddleLeft;
            text.OffsetX = right ? -4 : 4;
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

        // Everything in pixels (text, markers, lines, margins) grows with the picture: the default
        // 800×600 drawn at 1600×1200 is the same picture, twice as sharp.
        plot.ScaleFactor = scale;

        plot.Axes.SetLimits(frame.XMin, frame.XMax, frame.YMin, frame.YMax);
        // About one labelled tick per 110 pixels of axis at the default size, as R and matplotlib space them.
        int xTicks = Math.Max(3, (int)(picture.Width / scale / 110));
        int yTicks = Math.Max(3, (int)(picture.Height / scale / 80));
        plot.Axes.Bottom.TickGenerator = Manual(spec.LogX
            ? TickMarks.Log(frame.XMin, frame.XMax, xTicks)
            : TickMarks.Linear(frame.XMin, frame.XMax, xTicks));
        plot.Axes.Left.TickGenerator = Manual(spec.LogY
            ? TickMarks.Log(frame.YMin, frame.YMax, yTicks)
            : TickMarks.Linear(frame.YMin, frame.YMax, yTicks));

        // The legend sits inside the axes, in the corner the data leave emptiest, flat (no shadow).
        plot.Legend.Alignment = EmptiestCorner(spec, frame);
        plot.Legend.Orientation = Orientation.Vertical;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.ShadowOffset = new PixelOffset(0, 0);
        plot.Legend.OutlineColor = Colors.Black.WithAlpha(0.25);
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.85);
        if (legend)
        {
            plot.ShowLegend();
        }
        else
        {
            plot.HideLegend();
        }

        return picture.Format == PictureFormat.Svg
            ? Encoding.UTF8.GetBytes(plot.GetSvgXml(picture.Width, picture.Height))
            : plot.GetImageBytes(picture.Width, picture.Height, ImageFormat.Png);
    }

    /// <summary>The factor by which a picture of this size scales the default 800×600 one (at least 0.5).</summary>
    public static float ScaleFactor(PictureSpec picture) =>
        (float)Math.Max(0.5, Math.Min((double)picture.Width / Defaults.PlotWidth, (double)picture.Height / Defaults.PlotHeight));

    /// <summary>The axis limits: the data's range (y in log10 on a log axis) with 4% to spare on each side, as R draws.</summary>
    internal static ChartFrame Frame(ChartSpec spec)
    {
        if (spec.Frame is { } fixedFrame)
        {
            return fixedFrame;
        }

        var xs = spec.Lines.SelectMany(l => l.X).Concat(spec.Points?.X ?? []).Concat(spec.VerticalLines.Select(v => v.X))
            .Select(x => spec.LogX ? Math.Log10(x) : x).Where(double.IsFinite).ToList();
        var ys = spec.Lines.SelectMany(l => l.Y).Concat(spec.Points?.Y ?? []).Select(y => spec.LogY ? Math.Log10(y) : y).Where(double.IsFinite).ToList();
        if (spec.ReferenceLine is { } reference)
        {
            ys.Add(spec.LogY ? Math.Log10(reference.Y) : reference.Y);
        }

        if (spec.ErrorBars is { } bars && spec.Points is { } points)
        {
            ys.AddRange(points.Y.Select((y, i) => y + bars[i]).Concat(points.Y.Select((y, i) => y - bars[i])).Where(double.IsFinite));
        }

        if (spec.XFromZero)
        {
            xs.Add(0);
        }

        if (spec.YFromZero)
        {
            ys.Add(0);
        }

        var (xMin, xMax) = Padded(xs);
        // Labelled points get room above and below for their text, as R's extend.ylim.f = 0.08.
        var (yMin, yMax) = Padded(ys, spec.Labels.Count > 0 ? 0.08 : 0.04);
        return new ChartFrame(xMin, xMax, yMin, yMax);
    }

    private static (double Min, double Max) Padded(List<double> values, double fraction = 0.04)
    {
        if (values.Count == 0)
        {
            return (0, 1);
        }

        double min = values.Min(), max = values.Max();
        double pad = max > min ? fraction * (max - min) : Math.Max(0.5, Math.Abs(min) * 0.05);
        return (min - pad, max + pad);
    }

    /// <summary>
    /// The corner of the axes with the least data under a legend-sized box (a third of the width, a
    /// quarter of the height): points count one each, lines by the length they run through it.
    /// Ties go to upper right, upper left, lower right, lower left, in that order.
    /// </summary>
    internal static Alignment EmptiestCorner(ChartSpec spec, ChartFrame frame)
    {
        var samples = new List<(double X, double Y)>();
        double Nx(double x) => ((spec.LogX ? Math.Log10(x) : x) - frame.XMin) / (frame.XMax - frame.XMin);
        double Ny(double y) => ((spec.LogY ? Math.Log10(y) : y) - frame.YMin) / (frame.YMax - frame.YMin);
        if (spec.Points is { } points)
        {
            for (int i = 0; i < points.X.Length; i++)
            {
                samples.Add((Nx(points.X[i]), Ny(points.Y[i])));
            }
        }

        // A named point's text is worth hiding less than a point: it counts ten times.
        foreach (var label in spec.Labels)
        {
            samples.AddRange(Enumerable.Repeat((Nx(label.X), Ny(label.Y)), 10));
        }

        var lines = spec.Lines.Concat(spec.Guides).ToList();
        if (spec.ReferenceLine is { } reference)
        {
            lines.Add(new Series("", [frame.XMin, frame.XMax], [reference.Y, reference.Y]));
        }

        foreach (var line in lines)
        {
            for (int i = 0; i + 1 < line.X.Length; i++)
            {
                // A line counts by its length: 20 samples along each hundredth of the frame it crosses.
                var (x0, y0) = (Nx(line.X[i]), Ny(line.Y[i]));
                var (x1, y1) = (Nx(line.X[i + 1]), Ny(line.Y[i + 1]));
                int n = Math.Clamp((int)(Math.Sqrt(((x1 - x0) * (x1 - x0)) + ((y1 - y0) * (y1 - y0))) * 2000), 1, 2000);
                for (int j = 0; j <= n; j++)
                {
                    double t = (double)j / n;
                    samples.Add((x0 + (t * (x1 - x0)), y0 + (t * (y1 - y0))));
                }
            }
        }

        var corners = new (Alignment Corner, bool Right, bool Upper)[]
        {
            (Alignment.UpperRight, true, true),
            (Alignment.UpperLeft, false, true),
            (Alignment.LowerRight, true, false),
            (Alignment.LowerLeft, false, false),
        };
        Alignment best = Alignment.UpperRight;
        int fewest = int.MaxValue;
        foreach (var (corner, right, upper) in corners)
        {
            int count = samples.Count(s =>
                (right ? s.X >= 2.0 / 3 : s.X <= 1.0 / 3) && (upper ? s.Y >= 0.75 : s.Y <= 0.25));
            if (count < fewest)
            {
                fewest = count;
                best = corner;
            }
        }

        return best;
    }

    private static NumericManual Manual(AxisTicks ticks)
    {
        var manual = new NumericManual();
        foreach (var tick in ticks.Major)
        {
            manual.AddMajor(tick.Position, tick.Label);
        }

        foreach (var position in ticks.Minor)
        {
            manual.AddMinor(position);
        }

        return manual;
    }

    private static double[] Y(double[] y, bool log) => log ? y.Select(Math.Log10).ToArray() : y;

    private static double[] X(double[] x, bool log) => log ? x.Select(Math.Log10).ToArray() : x;
}

/// <summary>The axis limits of a chart; y in log10 units on a log axis.</summary>
internal sealed record ChartFrame(double XMin, double XMax, double YMin, double YMax);
