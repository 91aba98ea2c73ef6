using System.Globalization;
using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;
using LeastSquares.Cli.Solving;
using LeastSquares.Statistics;

namespace LeastSquares.Cli.Commands;

/// <summary>One row's place in the diagnostic panels; <see cref="Row"/> is its 0-based data row.</summary>
internal sealed record DiagnosticPoint(long Row, double Fitted, double Residual, double StandardizedResidual, double Leverage, double CooksDistance)
{
    /// <summary>Its row name (the first column of a file written by R's write.csv) or line number.</summary>
    public string Label { get; init; } = "";
}

/// <summary>What the second pass over the rows found: a bounded sample for drawing and the rows worth naming.</summary>
internal sealed record DiagnosticData
{
    public required string Title { get; init; }

    public required string Target { get; init; }

    /// <summary>The sampled rows, with every labelled row added if the sample missed it.</summary>
    public required IReadOnlyList<DiagnosticPoint> Points { get; init; }

    /// <summary>The three largest |residual| (labelled in residuals vs fitted), largest first.</summary>
    public required IReadOnlyList<DiagnosticPoint> ByResidual { get; init; }

    /// <summary>The three largest |standardized residual| (labelled in the Q–Q and scale–location panels).</summary>
    public required IReadOnlyList<DiagnosticPoint> ByStandardized { get; init; }

    /// <summary>The three largest Cook's distances (labelled in residuals vs leverage).</summary>
    public required IReadOnlyList<DiagnosticPoint> ByCook { get; init; }

    public required int Parameters { get; init; }

    public required long Rows { get; init; }

    /// <summary>The legend of the points: how many rows are drawn, and what the labels are.</summary>
    public required string PointsLabel { get; init; }
}

/// <summary>
/// <c>lsq plot --kind diagnostics</c> and its panels: R's <c>plot.lm</c> (residuals vs fitted,
/// normal Q–Q of the standardized residuals, scale–location, residuals vs leverage with Cook's
/// distance contours at 0.5 and 1), the three most extreme rows of each panel named as plot.lm
/// names them. The fit comes from a first pass; a second pass over the rows (the file read again;
/// standard input spilled to a temporary file first) gives each row's leverage, standardized
/// residual and Cook's distance, keeping a bounded sample for drawing and the extreme rows.
/// </summary>
internal static class DiagnosticPlots
{
    private const int Labelled = 3;

    /// <summary>The panels <paramref name="kind"/> asks for, in R's order.</summary>
    public static IReadOnlyList<ChartSpec> Charts(PlotKind kind, DiagnosticData data) => kind switch
    {
        PlotKind.ResidualsFitted => [ResidualsFitted(data)],
        PlotKind.Qq => [Qq(data)],
        PlotKind.ScaleLocation => [ScaleLocation(data)],
        PlotKind.Leverage => [Leverage(data)],
        _ => [ResidualsFitted(data), Qq(data), ScaleLocation(data), Leverage(data)],
    };

    /// <summary>Fits, then reads the rows a second time for their influence.</summary>
    public static DiagnosticData Read(PlotSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        string? spill = null;
        try
        {
            if (InputFile.IsStdin(settings.File))
            {
                // Standard input can be read once: its bytes go to a temporary file, read twice.
                spill = Path.Combine(Path.GetTempPath(), $"lsq-stdin-{Environment.ProcessId}-{Guid.NewGuid():N}");
                using (var input = context.OpenStdin())
                using (var copy = new FileStream(spill, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    input.CopyTo(copy, 1 << 20);
                }

                string path = spill;
                context = context with { OpenStdin = () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16) };
            }

            return ReadTwice(settings, context);
        }
        finally
        {
            if (spill is not null)
            {
                File.Delete(spill);
            }
        }
    }

    private static DiagnosticData ReadTwice(PlotSettings settings, CliContext context)
    {
        RowState state;
        string name;
        using (var source = RowSource.Open(settings.File, settings.Dialect, context))
        {
            name = source.DisplayName;
            // Fitted values, residuals and leverages do not depend on poly()'s basis: no second read for it.
            state = source.Read(source.Resolve(settings.Model), settings.Solver.Method, parallel: context.Parallel, polynomialFrames: false);
        }

        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(state.Skipped, name));
        }

        var fit = SolveStep.Fit(state, settings.Solver);
        foreach (var warning in fit.Warnings)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.Warning(warning));
        }

        // The second read meets the levels in the same order as the first: recode them to the fit's.
        var recoding = new LevelRecoding(state.State.Terms, fit.Terms);
        var influence = Influence.Of(fit) ?? throw new InputException(CliMessages.DiagnosticsNeedFullRank(name, fit.Count, fit.CoefficientCount));
        var model = LinearModel.FromFit(fit);
        int k = fit.Terms.Predictors.Count;
        var sample = new PointSample(settings.MaxPoints, 6, settings.Seed);
        var byResidual = new Extremes();
        var byStandardized = new Extremes();
        var byCook = new Extremes();
        var features = new double[influence.Parameters];
        var point = new double[6];
        long row = 0;
        bool rowNames;
        using (var source = RowSource.Open(settings.File, settings.Dialect, context))
        {
            var csv = source.Csv;
            rowNames = csv.Dialect.HasHeader && ModelColumns.HasRowNames(source.Header);
            string Label() => rowNames
                ? Encoding.UTF8.GetString(csv.Field(0))
                : csv.Line.ToString(CultureInfo.InvariantCulture);
            source.Read(source.Resolve(settings.Model), FitMethod.Normal, polynomialFrames: false, onRow: values =>
            {
                recoding.Apply(values);
                var predictors = values.AsSpan(0, k);
                double fitted = model.Predict(predictors);
                double residual = model.Terms.ResponseOf(values[k]) - fitted;
                influence.Features(predictors, features);
                var measures = influence.Of(features, residual);
                var here = new DiagnosticPoint(row, fitted, residual, measures.StandardizedResidual, measures.Leverage, measures.CooksDistance);
                byResidual.Offer(Math.Abs(residual), here, Label);
                byStandardized.Offer(Math.Abs(measures.StandardizedResidual), here, Label);
                byCook.Offer(measures.CooksDistance, here, Label);
                (point[0], point[1], point[2], point[3], point[4], point[5]) =
                    (row, fitted, residual, measures.StandardizedResidual, measures.Leverage, measures.CooksDistance);
                sample.Offer(point);
                row++;
            });
        }

        var named = byResidual.Points.Concat(byStandardized.Points).Concat(byCook.Points).GroupBy(p => p.Row).ToDictionary(g => g.Key, g => g.First());
        var points = new List<DiagnosticPoint>(sample.Count + named.Count);
        var drawn = new HashSet<long>();
        for (int i = 0; i < sample.Count; i++)
        {
            var r = sample.Row(i);
            long at = (long)r[0];
            drawn.Add(at);
            points.Add(named.TryGetValue(at, out var known) ? known : new DiagnosticPoint(at, r[1], r[2], r[3], r[4], r[5]));
        }

        points.AddRange(named.Values.Where(p => !drawn.Contains(p.Row)).OrderBy(p => p.Row));
        var how = rowNames ? "labels: row names" : "labels: line numbers";
        var rowsLabel = sample.IsSubset
            ? string.Create(CultureInfo.InvariantCulture, $"a random {sample.Count:N0} of {sample.Seen:N0} rows; {how}")
            : string.Create(CultureInfo.InvariantCulture, $"rows ({sample.Seen:N0}); {how}");
        return new DiagnosticData
        {
            Title = ResultFormatter.Formula(fit.Terms),
            Target = fit.Terms.ResponseName,
            Points = points,
            ByResidual = byResidual.Points,
            ByStandardized = byStandardized.Points,
            ByCook = byCook.Points,
            Parameters = influence.Rank,
            Rows = sample.Seen,
            PointsLabel = rowsLabel,
        };
    }

    /// <summary>Residuals against fitted values, with a lowess smooth and the zero line (plot.lm's panel 1).</summary>
    public static ChartSpec ResidualsFitted(DiagnosticData data)
    {
        var x = data.Points.Select(p => p.Fitted).ToArray();
        var y = data.Points.Select(p => p.Residual).ToArray();
        return new ChartSpec
        {
            Title = "Residuals vs fitted: " + data.Title,
            XLabel = $"fitted {data.Target}",
            YLabel = "residual",
            Points = new Series(data.PointsLabel, x, y),
            Lines = Smooth(x, y),
            ReferenceLine = (0, "zero"),
            Labels = [.. data.ByResidual.Select(p => new PointLabel(p.Fitted, p.Residual, p.Label))],
        };
    }

    /// <summary>
    /// Normal Q–Q of the standardized residuals (plot.lm's panel 2): the drawn rows' values sorted
    /// against the standard normal quantiles at R's ppoints, with the line through the quartiles (qqline).
    /// </summary>
    public static ChartSpec Qq(DiagnosticData data)
    {
        var ordered = data.Points.Where(p => double.IsFinite(p.StandardizedResidual)).OrderBy(p => p.StandardizedResidual).ToArray();
        int m = ordered.Length;
        var theoretical = Enumerable.Range(1, m).Select(i => NormalQuantile(PlottingPosition(i, m))).ToArray();
        var sorted = ordered.Select(p => p.StandardizedResidual).ToArray();
        var guides = new List<Series>();
        if (m >= 2)
        {
            double q1 = Quantile(sorted, 0.25), q3 = Quantile(sorted, 0.75);
            double z1 = NormalQuantile(0.25), z3 = NormalQuantile(0.75);
            double slope = (q3 - q1) / (z3 - z1), intercept = q1 - (slope * z1);
            double lo = theoretical[0] - 1, hi = theoretical[^1] + 1;
            guides.Add(new Series("line through the quartiles", [lo, hi], [intercept + (slope * lo), intercept + (slope * hi)]));
        }

        var rank = ordered.Select((p, i) => (p.Row, i)).ToDictionary(t => t.Row, t => t.i);
        return new ChartSpec
        {
            Title = "Normal Q–Q: " + data.Title,
            XLabel = "theoretical quantile (standard normal)",
            YLabel = "standardized residual",
            Points = new Series(data.PointsLabel, theoretical, sorted),
            Guides = guides,
            Labels = [.. data.ByStandardized.Where(p => rank.ContainsKey(p.Row)).Select(p => new PointLabel(theoretical[rank[p.Row]], p.StandardizedResidual, p.Label))],
        };
    }

    /// <summary>√|standardized residual| against fitted values, with a lowess smooth (plot.lm's panel 3).</summary>
    public static ChartSpec ScaleLocation(DiagnosticData data)
    {
        var kept = data.Points.Where(p => double.IsFinite(p.StandardizedResidual)).ToArray();
        var x = kept.Select(p => p.Fitted).ToArray();
        var y = kept.Select(p => Math.Sqrt(Math.Abs(p.StandardizedResidual))).ToArray();
        return new ChartSpec
        {
            Title = "Scale–location: " + data.Title,
            XLabel = $"fitted {data.Target}",
            YLabel = "√|standardized residual|",
            Points = new Series(data.PointsLabel, x, y),
            Lines = Smooth(x, y),
            YFromZero = true,
            Labels = [.. data.ByStandardized.Select(p => new PointLabel(p.Fitted, Math.Sqrt(Math.Abs(p.StandardizedResidual)), p.Label))],
        };
    }

    /// <summary>Standardized residuals against leverage, with a lowess smooth and Cook's distance contours at 0.5 and 1 (plot.lm's panel 5).</summary>
    public static ChartSpec Leverage(DiagnosticData data)
    {
        var kept = data.Points.Where(p => double.IsFinite(p.StandardizedResidual)).ToArray();
        var x = kept.Select(p => p.Leverage).ToArray();
        var y = kept.Select(p => p.StandardizedResidual).ToArray();
        double hMax = x.Length > 0 ? x.Max() : 1;
        double hMin = x.Length > 0 ? x.Min() : 0;
        double from = Math.Max(Math.Min(hMin, hMax / 100), hMax * 1e-3), to = Math.Min(0.999, hMax * 1.05);
        var guides = new List<Series>();
        var labels = data.ByCook.Select(p => new PointLabel(p.Leverage, p.StandardizedResidual, p.Label)).ToList();
        double yHi = y.Length > 0 ? y.Max() : 1, yLo = y.Length > 0 ? y.Min() : -1;
        (yHi, yLo) = (yHi + (0.08 * (yHi - yLo)), yLo - (0.08 * (yHi - yLo))); // the frame of a labelled panel
        foreach (double level in CookLevels)
        {
            var h = Enumerable.Range(0, 101).Select(i => from + ((to - from) * i / 100)).ToArray();
            var r = h.Select(v => Influence.CooksContour(level, v, data.Parameters)).ToArray();
            string text = level.ToString(CultureInfo.InvariantCulture);
            guides.Add(new Series($"Cook's distance {text}", h, r));
            guides.Add(new Series("", h, r.Select(v => -v).ToArray()));
            double end = Influence.CooksContour(level, hMax, data.Parameters);
            if (end < yHi)
            {
                labels.Add(new PointLabel(hMax, end, text));
            }

            if (-end > yLo)
            {
                labels.Add(new PointLabel(hMax, -end, text));
            }
        }

        return new ChartSpec
        {
            Title = "Residuals vs leverage: " + data.Title,
            XLabel = "leverage",
            YLabel = "standardized residual",
            Points = new Series(data.PointsLabel, x, y),
            Lines = Smooth(x, y),
            ReferenceLine = (0, "zero"),
            Guides = guides,
            XFromZero = true,
            Labels = labels,
        };
    }

    /// <summary>The Cook's distances whose contours the leverage panel draws, as plot.lm's cook.levels.</summary>
    public static readonly double[] CookLevels = [0.5, 1];

    private static IReadOnlyList<Series> Smooth(double[] x, double[] y) =>
        Lowess.Smooth(x, y, "lowess smooth") is { } smooth ? [smooth] : [];

    /// <summary>R's ppoints(m): (i − a)/(m + 1 − 2a), a = 3/8 for m ≤ 10, else 1/2.</summary>
    public static double PlottingPosition(int i, int m)
    {
        double a = m <= 10 ? 3.0 / 8 : 0.5;
        return (i - a) / (m + 1 - (2 * a));
    }

    private static double NormalQuantile(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);

    /// <summary>R's default (type 7) quantile of sorted values.</summary>
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>The rows with the largest scores so far, largest first; ties keep the earlier row (R's stable sort).</summary>
    private sealed class Extremes
    {
        private readonly List<(double Score, DiagnosticPoint Point)> _top = [];

        public IReadOnlyList<DiagnosticPoint> Points => [.. _top.Select(t => t.Point)];

        public void Offer(double score, DiagnosticPoint point, Func<string> label)
        {
            if (!double.IsFinite(score) || (_top.Count == Labelled && score <= _top[^1].Score))
            {
                return;
            }

            int at = _top.FindIndex(t => score > t.Score);
            _top.Insert(at < 0 ? _top.Count : at, (score, point with { Label = label() }));
            if (_top.Count > Labelled)
            {
                _top.RemoveAt(Labelled);
            }
        }
    }
}
