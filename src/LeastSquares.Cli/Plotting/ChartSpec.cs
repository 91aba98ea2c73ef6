namespace LeastSquares.Cli.Plotting;

/// <summary>Image file formats lsq writes, chosen by the output file's extension.</summary>
internal enum PictureFormat
{
    Png,
    Svg,
}

/// <summary>Format and size in pixels of the image to write.</summary>
internal sealed record PictureSpec(PictureFormat Format, int Width, int Height)
{
    /// <summary>The format named by <paramref name="path"/>'s extension (.png or .svg, any case).</summary>
    /// <exception cref="UsageException">Any other extension.</exception>
    public static PictureFormat FormatOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".PNG" => PictureFormat.Png,
        ".SVG" => PictureFormat.Svg,
        _ => throw new UsageException(CliMessages.PlotFormat(path)),
    };
}

/// <summary>One named set of points: drawn as markers or joined as a line.</summary>
internal sealed record Series(string Label, double[] X, double[] Y);

/// <summary>A text drawn beside the point (X, Y): the name or line number of a row worth a look.</summary>
internal sealed record PointLabel(double X, double Y, string Text);

/// <summary>A vertical line at X with its legend entry.</summary>
internal sealed record VerticalMark(double X, string Label);

/// <summary>
/// What a picture shows, independent of the drawing library: labels, scattered points, lines,
/// and whether the y axis is logarithmic (then every y must be positive).
/// </summary>
internal sealed record ChartSpec
{
    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    /// <summary>Data drawn as markers, if any.</summary>
    public Series? Points { get; init; }

    /// <summary>Curves drawn as lines, each with its legend entry.</summary>
    public IReadOnlyList<Series> Lines { get; init; } = [];

    /// <summary>A dashed horizontal reference line at this y, with its legend entry.</summary>
    public (double Y, string Label)? ReferenceLine { get; init; }

    public bool LogY { get; init; }

    /// <summary>A logarithmic x axis (every x must be positive).</summary>
    public bool LogX { get; init; }

    /// <summary>
    /// Dashed lines that do not widen the axes (a Q–Q line, Cook's distance contours): drawn where
    /// they cross the data's frame. An empty label leaves a guide out of the legend.
    /// </summary>
    public IReadOnlyList<Series> Guides { get; init; } = [];

    /// <summary>Half-widths of error bars, one per point of <see cref="Points"/> (±), when not null.</summary>
    public double[]? ErrorBars { get; init; }

    /// <summary>Vertical lines (the chosen λ of a cross-validation).</summary>
    public IReadOnlyList<VerticalMark> VerticalLines { get; init; } = [];

    /// <summary>Texts beside points.</summary>
    public IReadOnlyList<PointLabel> Labels { get; init; } = [];

    /// <summary>Whether the frame reaches x = 0 (leverage starts there, as in R's plot).</summary>
    public bool XFromZero { get; init; }

    /// <summary>Whether the frame reaches y = 0 (the scale–location panel, as in R's plot).</summary>
    public bool YFromZero { get; init; }

    /// <summary>Axis limits to use instead of the data's own (the panels of one picture sharing their scales, as ggplot's facet_wrap does).</summary>
    public ChartFrame? Frame { get; init; }
}
