using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;
using LeastSquares.Cli.Solving;
using LeastSquares.Numerics;

namespace LeastSquares.Cli.Commands;

/// <summary><c>lsq plot</c>'s picture of the data: the rows (a bounded sample) and their fit or a saved model, or the residuals.</summary>
internal static partial class PlotCommand
{
    private const int CurvePoints = 400;

    /// <summary>
    /// A big regular file read on every core (<see cref="ParallelFileReader"/>): each part keeps its
    /// own point sample (seeded by the part's number) and range of x, merged in file order as the
    /// parts complete, so the picture does not depend on the number of threads and memory holds
    /// about one sample per thread. Null when the file is read in one pass.
    /// </summary>
    private static (RowState State, PointSample Sample, double XMin, double XMax)? InParts(RowSource source, ModelColumns columns, FitMethod method,
        PlotSettings settings, CliContext context)
    {
        var parallel = FitCommand.ParallelSettingsOf(context);
        var csv = source.Csv;
        if (csv.FilePath is not { } path || !(csv.Length >= parallel.MinBytes))
        {
            return null;
        }

        // Each part's sample is merged into one as soon as the parts before it are merged, in part
        // order with a seed per part, so that few samples are held at once and the result does not
        // depend on which thread finished first.
        var gate = new object();
        var done = new Dictionary<int, PointSample>();
        PointSample? merged = null;
        int nextToMerge = 0;
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        var state = ParallelFileReader.TryRead(path, csv.DisplayName, csv.Dialect, csv.Separator, columns, csv.Header, parallel, method, null,
            (k, inner) =>
            {
                var own = new PointSample(settings.MaxPoints, columns.Columns.Length, unchecked((settings.Seed * 1_000_003) + k + 1));
                double low = double.PositiveInfinity, high = double.NegativeInfinity;
                return new WatchedAccumulator(inner, row =>
                {
                    own.Offer(row);
                    low = Math.Min(low, row[0]);
                    high = Math.Max(high, row[0]);
                }, () =>
                {
                    lock (gate)
                    {
                        xMin = Math.Min(xMin, low);
                        xMax = Math.Max(xMax, high);
                        done[k] = own;
                        while (done.Remove(nextToMerge, out var next))
                        {
                            merged = merged is null ? next : PointSample.Merge([merged, next], settings.MaxPoints, unchecked(settings.Seed + nextToMerge));
                            nextToMerge++;
                        }
                    }
                });
            }, context.Cancellation);
        if (state is null || merged is null)
        {
            return null;
        }

        ModelColumns.RequireRows(state.State.Count, state.Skipped, csv.DisplayName);
        return (state, merged, xMin, xMax);
    }

    /// <summary>
    /// Reads the rows once: all go into the fit (or, with a saved model, into the R² of that model on
    /// these rows), a bounded random sample is kept for drawing.
    /// </summary>
    public static ChartSpec DataChart(PlotSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        if (settings.ModelPath is { } grouped && GroupedModelFile.IsGrouped(grouped))
        {
            throw new InvalidOperationException("A model per group is drawn by GroupedPlot, a panel each.");
        }

        var saved = settings.ModelPath is { } modelPath ? ModelFile.Read(modelPath) : null;
        if (saved?.Converged == false)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath!));
        }

        RowState state;
        PointSample sample;
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        using (var source = RowSource.Open(settings.File, settings.Dialect, context))
        {
            var columns = saved is null
                ? source.Resolve(settings.Model)
                : source.Find(saved.Terms, settings.ModelPath!, withTarget: true);
            // A saved model needs only the moments, for its R² on these rows.
            var method = saved is null ? settings.Solver.Method : FitMethod.Normal;
            if (InParts(source, columns, method, settings, context) is { } parts)
            {
                (state, sample, xMin, xMax) = parts;
            }
            else
            {
                sample = new PointSample(settings.MaxPoints, columns.Columns.Length, settings.Seed);
                var local = sample;
                // The fitted curve does not depend on poly()'s basis: no second read for it.
                state = source.Read(columns, method, polynomialFrames: false, onRow: row =>
                {
                    local.Offer(row);
                    xMin = Math.Min(xMin, row[0]);
                    xMax = Math.Max(xMax, row[0]);
                });
            }
            if (state.Skipped > 0)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(state.Skipped, source.DisplayName));
            }
        }

        return Chart(settings, context, saved, new DataRows(state, sample, xMin, xMax)).Spec;
    }

    /// <summary>What a picture of data needs once the rows are read: their state, the sample drawn and the range of the first column.</summary>
    internal sealed record DataRows(RowState State, PointSample Sample, double XMin, double XMax);

    /// <summary>
    /// The picture of <paramref name="rows"/>: fitted as <paramref name="settings"/> say, or, given
    /// <paramref name="saved"/>, that model's predictions; with the R² of the line drawn.
    /// </summary>
    /// <exception cref="NumericalException">The rows cannot be fitted (too few, a singular design).</exception>
    internal static (ChartSpec Spec, double? RSquared) Chart(PlotSettings settings, CliContext context, SavedModel? saved, DataRows rows)
    {
        var (state, sample, xMin, xMax) = rows;
        LinearModel model;
        double? r2;
        string title;
        if (saved is null)
        {
            // Categorical columns: the sample holds the levels as met; the fit's model has them sorted.
            var read = state.State.Terms;
            state = state.Coded();
            sample.Recode(new LevelRecoding(read, state.State.Terms));

            var fit = SolveStep.Fit(state, settings.Solver);
            foreach (var warning in fit.Warnings)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.Warning(warning));
            }

            model = LinearModel.FromFit(fit);
            r2 = RegressionStatistics.Compute(fit).RSquared;
            title = $"{ResultFormatter.Formula(fit.Terms)}   ({ResultFormatter.Method(fit)}, R² = {Show(r2)})";
        }
        else
        {
            model = saved.ToModel();
            r2 = RSquaredOn(model, model.Terms.HasFactors ? state.Moments.Reindex(model.Terms) : state.Moments);
            var method = saved.Method is { } m ? Words.LongName(m) : "method not recorded";
            title = $"saved model {Path.GetFileName(settings.ModelPath)}: {ResultFormatter.Formula(model.Terms)}   ({method}; R² on this data = {Show(r2)})";
        }

        // A saved model predicts these rows rather than fitting them, and the labels say so.
        var fitted = saved is null ? "fitted" : "predicted";
        var terms = model.Terms;
        int targetColumn = terms.Predictors.Count;
        var actual = sample.Column(targetColumn);
        if (terms.ResponseTransform is { } response)
        {
            actual = [.. actual.Select(y => response.Evaluate([y]))];
        }
        var values = new double[sample.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = model.Predict(sample.Row(i)[..targetColumn]);
        }

        var rowsLabel = sample.IsSubset
            ? string.Create(CultureInfo.InvariantCulture, $"rows: a random {sample.Count:N0} of {sample.Seen:N0}")
            : string.Create(CultureInfo.InvariantCulture, $"rows ({sample.Seen:N0})");

        if (settings.Kind == PlotKind.Residuals)
        {
            return (new ChartSpec
            {
                Title = "Residuals of " + title,
                XLabel = $"{fitted} {terms.ResponseName}",
                YLabel = $"residual ({terms.ResponseName} − {fitted})",
                Points = new Series(rowsLabel, values, actual.Select((y, i) => y - values[i]).ToArray()),
                ReferenceLine = (0, "zero"),
            }, r2);
        }

        if (terms.Predictors.Count == 1)
        {
            int n = terms.AllPlainColumns ? 2 : CurvePoints;
            var gridX = Enumerable.Range(0, n).Select(i => xMin + ((xMax - xMin) * i / (n - 1))).ToArray();
            var gridY = gridX.Select(x => model.Predict([x])).ToArray();
            var curve = terms.AllPlainColumns ? "line" : terms.Degree > 1 ? $"polynomial (degree {terms.Degree})" : "curve";
            return (new ChartSpec
            {
                Title = title,
                XLabel = terms.Predictors[0],
                YLabel = terms.ResponseName,
                Points = new Series(rowsLabel, sample.Column(0), actual),
                Lines = [new Series(saved is null ? "fitted " + curve : "saved model's " + curve, gridX, gridY)],
            }, r2);
        }

        double lo = Math.Min(values.Min(), actual.Min()), hi = Math.Max(values.Max(), actual.Max());
        return (new ChartSpec
        {
            Title = title,
            XLabel = $"{fitted} {terms.ResponseName}",
            YLabel = terms.ResponseName,
            Points = new Series(rowsLabel, values, actual),
            Lines = [new Series($"actual = {fitted}", [lo, hi], [lo, hi])],
        }, r2);
    }

    /// <summary>
    /// R² = 1 − SSE/SST of <paramref name="model"/> on the rows of <paramref name="moments"/>, as
    /// <c>lsq fit</c> defines it (SST centred with an intercept, uncentred without); below 0 when
    /// the model predicts these rows worse than their mean; null for a constant response.
    /// </summary>
    internal static double? RSquaredOn(LinearModel model, Moments moments)
    {
        var c = model.Coefficients;
        int first = model.Terms.Intercept ? 1 : 0;
        var slopes = new DoubleDouble[c.Count - first];
        for (int j = 0; j < slopes.Length; j++)
        {
            slopes[j] = c[first + j];
        }

        // The coefficients are in the user's basis (raw powers of a polynomial's x), so are the moments once recentred at 0.
        double sse = Mse.SumOfSquares(moments.Recentre(0), first == 1 ? c[0] : 0.0, slopes).ToDouble();
        double sst = Mse.TotalSumOfSquares(moments);
        return sst > 0 ? 1 - (sse / sst) : null;
    }

    internal static string Show(double? r2) => r2 is { } r ? r.ToString("0.####", CultureInfo.InvariantCulture) : "NA";
}
