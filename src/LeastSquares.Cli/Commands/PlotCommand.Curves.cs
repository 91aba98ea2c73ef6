using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;
using LeastSquares.Cli.Solving;


namespace LeastSquares.Cli.Commands;

/// <summary><c>lsq plot</c>'s curves: gradient-descent loss per iteration (--trace) and the λ path of a penalty (--kind path, cv).</summary>
internal static partial class PlotCommand
{
    /// <summary>Reads each trace and draws its loss per iteration on a log scale, one line per file.</summary>
    public static ChartSpec LossChart(PlotSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var names = LegendNames(settings.Traces);
        var curves = settings.Traces.Select((path, t) => TraceFile.Read(path, names[t], context.OpenStdin, context.Cancellation)).ToList();
        // The least loss of every trace (read in full, before thinning), so that loss − least is never negative.
        double least = settings.ExcessLoss ? curves.SelectMany(c => c.Losses).Where(double.IsFinite).DefaultIfEmpty(0).Min() : 0;
        var lines = new List<Series>();
        foreach (var full in curves)
        {
            var curve = TraceFile.Thin(full, settings.MaxPoints);
            var losses = curve.Losses.Select(l => l - least).ToArray();
            var keep = Enumerable.Range(0, curve.Count).Where(i => losses[i] > 0).ToArray();
            if (keep.Length < curve.Count && !settings.ExcessLoss)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.ZeroLossesHidden(curve.Name, curve.Count - keep.Length));
            }

            lines.Add(new Series(curve.Name, keep.Select(i => curve.Iterations[i]).ToArray(), keep.Select(i => losses[i]).ToArray()));
        }

        return new ChartSpec
        {
            Title = settings.ExcessLoss
                ? "Gradient-descent loss above its least value, per iteration"
                : "Gradient-descent loss per iteration",
            XLabel = "iteration",
            YLabel = settings.ExcessLoss
                ? "loss − " + least.ToString("G6", CultureInfo.InvariantCulture) + " (MSE less its least, log scale)"
                : "loss (MSE, log scale)",
            Lines = lines,
            LogY = true,
        };
    }

    /// <summary>
    /// --kind path and cv: reads the rows into one state per fold, cross-validates the λ path as
    /// <c>lsq fit --lambda auto</c> does, and draws the coefficients (path) or the cross-validated
    /// MSE with ±1 standard error bars (cv) against λ on a log axis, the chosen λ marked.
    /// </summary>
    public static ChartSpec PenaltyChart(PlotSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var penalty = settings.Penalty!;
        RowState state;
        using (var source = RowSource.Open(settings.File, settings.Dialect, context))
        {
            state = FitCommand.ReadFolds(source, settings.Model, penalty, showProgress: false);
            if (state.Skipped > 0)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(state.Skipped, source.DisplayName));
            }
        }

        var (fit, _) = SolveStep.Solve(state, new SolveSettings { Penalty = penalty, Quiet = settings.Quiet }, context);
        var cv = fit.CrossValidation!;
        var lambdas = cv.Path.Select(p => p.Lambda).ToArray();
        int first = fit.Terms.Intercept ? 1 : 0;
        string name = penalty.L1Ratio switch { 0 => "ridge", 1 => "lasso", _ => "elastic net (l1-ratio " + penalty.L1Ratio.ToString(CultureInfo.InvariantCulture) + ")" };
        string formula = ResultFormatter.Formula(fit.Terms);
        if (formula.Length > 50)
        {
            formula = string.Create(CultureInfo.InvariantCulture, $"{fit.Terms.Target} ~ {fit.Terms.TermNames.Count - first} terms");
        }

        VerticalMark[] chosen =
        [
            new(cv.Path[cv.Best].Lambda, "λ min = " + TickMarks.Value(cv.Path[cv.Best].Lambda) + (cv.Best == cv.OneSe ? " (also 1se)" : "")),
            .. cv.OneSe == cv.Best ? Array.Empty<VerticalMark>() : [new VerticalMark(cv.Path[cv.OneSe].Lambda, "λ 1se = " + TickMarks.Value(cv.Path[cv.OneSe].Lambda))],
        ];
        if (settings.Kind == PlotKind.Cv)
        {
            return new ChartSpec
            {
                Title = string.Create(CultureInfo.InvariantCulture, $"{cv.Folds}-fold cross-validation of the {name} path: {formula}"),
                XLabel = "λ (log scale)",
                YLabel = "cross-validated MSE ± 1 standard error",
                Points = new Series("cv_mse", lambdas, cv.Path.Select(p => p.CvMse).ToArray()),
                ErrorBars = cv.Path.Select(p => p.CvSe).ToArray(),
                VerticalLines = chosen,
                LogX = true,
            };
        }

        var lines = new List<Series>();
        var labels = new List<PointLabel>();
        for (int j = first; j < fit.Terms.TermNames.Count; j++)
        {
            var values = cv.Path.Select(p => p.Coefficients[j]).ToArray();
            lines.Add(new Series(fit.Terms.TermNames[j], lambdas, values));
            labels.Add(new PointLabel(lambdas[^1], values[^1], fit.Terms.TermNames[j])); // at the smallest λ, as glmnet labels
        }

        return new ChartSpec
        {
            Title = $"The {name} path: {formula}",
            XLabel = "λ (log scale)",
            YLabel = "coefficient (original units)",
            Lines = lines,
            ReferenceLine = (0, "zero"),
            VerticalLines = chosen,
            Labels = labels,
            LogX = true,
        };
    }
}
