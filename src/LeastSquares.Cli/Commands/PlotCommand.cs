using System.CommandLine;
using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;
using LeastSquares.Cli.Solving;
using LeastSquares.Numerics;

namespace LeastSquares.Cli.Commands;

/// <summary>What a data picture shows.</summary>
internal enum PlotKind
{
    /// <summary>One predictor: the rows and the fitted (or saved) line or curve. Several: actual against fitted, with y = x.</summary>
    Fit,

    /// <summary>Residuals against fitted values, with the zero line.</summary>
    Residuals,

    /// <summary>R's plot.lm: the four panels below in one picture.</summary>
    Diagnostics,

    /// <summary>Residuals against fitted values with a lowess smooth and the extreme rows named (plot.lm's first panel).</summary>
    ResidualsFitted,

    /// <summary>Normal Q–Q of the standardized residuals.</summary>
    Qq,

    /// <summary>√|standardized residual| against fitted values.</summary>
    ScaleLocation,

    /// <summary>Standardized residuals against leverage, with Cook's distance contours.</summary>
    Leverage,

    /// <summary>The coefficients along the λ path of --lambda auto (glmnet's plot(fit)).</summary>
    Path,

    /// <summary>Cross-validated MSE ± its standard error along the λ path (glmnet's plot(cv.glmnet)).</summary>
    Cv,
}

/// <summary>Validated settings of <c>lsq plot</c>.</summary>
internal sealed record PlotSettings
{
    public string? File { get; init; }

    /// <summary>Trace CSVs from <c>lsq fit --trace</c>; when given, the loss curves are drawn instead of data.</summary>
    public IReadOnlyList<string> Traces { get; init; } = [];

    public CsvDialect Dialect { get; init; } = new();

    public ModelSpec Model { get; init; } = new(null, null, Defaults.Degree, true);

    /// <summary>A model file from <c>lsq fit --save</c> to draw instead of fitting the data; null fits.</summary>
    public string? ModelPath { get; init; }

    public SolverOptions Solver { get; init; } = new();

    public PlotKind Kind { get; init; } = PlotKind.Fit;

    public string? OutputPath { get; init; }

    public int Width { get; init; } = Defaults.PlotWidth;

    public int Height { get; init; } = Defaults.PlotHeight;

    public int MaxPoints { get; init; } = Defaults.MaxPoints;

    public int Seed { get; init; } = Defaults.Seed;

    public bool Quiet { get; init; }

    /// <summary>The penalty of --kind path and cv (--penalty …); null without --penalty.</summary>
    public PenaltySettings? Penalty { get; init; }

    /// <summary>Loss curves: draw the loss less the least loss of the traces (--excess-loss).</summary>
    public bool ExcessLoss { get; init; }

    /// <summary>Whether --method was typed (path and cv are fitted by coordinate descent only).</summary>
    public bool MethodGiven { get; init; }

    /// <summary>Options of data pictures the user typed, which mean nothing next to --trace.</summary>
    public IReadOnlyList<string> DataOptionsGiven { get; init; } = [];

    /// <summary>Options that choose the fit the user typed, which mean nothing next to --model.</summary>
    public IReadOnlyList<string> FitOptionsGiven { get; init; } = [];
}

/// <summary><c>lsq plot</c>: a picture of the data and its fit (or a saved model), of the residuals, or of gd loss curves.</summary>
internal static class PlotCommand
{
    private const int CurvePoints = 400;

    public static Command Create(CliContext context)
    {
        var file = CommonOptions.File();
        var fitModel = new ModelOptions("plot");
        var method = Words.Method.Option(
            "--method",
            "How the drawn fit is computed: normal (closed form), qr (closed form by a streamed QR factor), gd (batch gradient descent, default settings)",
            Defaults.Method,
            [FitMethod.Normal, FitMethod.Qr, FitMethod.GradientDescent],
            "-m");
        var model = new Option<string?>("--model")
        {
            Description = "Draw this model, written by 'lsq fit --save', instead of fitting the data; its columns are found by name, R² is computed on this data",
            HelpName = "FILE",
        };
        var kind = Words.Kind.Option(
            "--kind",
            "fit: the rows and the fitted line (one predictor) or actual against fitted (several); residuals: residuals against fitted values; "
            + "diagnostics: R's plot.lm panels in one picture, or one of them: residuals-fitted, qq, scale-location, leverage; "
            + "path: coefficients along the λ path, cv: cross-validated MSE along it (with --penalty … --lambda auto)",
            PlotKind.Fit,
            null,
            "-k");
        kind.HelpName = "KIND"; // the nine words are in the description; listed in the name they would widen every line of the help
        var trace = new Option<string[]>("--trace")
        {
            Description = "Draw the loss per iteration (log scale) of these 'lsq fit --trace' files instead of data; one line each, named by file",
            HelpName = "FILE",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Image to write (atomically); the format follows the extension, .png or .svg",
            HelpName = "FILE",
        };
        var width = Pixels("--width", Defaults.PlotWidth);
        var height = Pixels("--height", Defaults.PlotHeight);
        var maxPoints = CommonOptions.Integer("--max-points", "Draw at most N rows, a seeded random sample of all of them; the fit always uses every row", Defaults.MaxPoints, 2, 1_000_000);
        var seed = CommonOptions.Integer("--seed", "Seed of the random sample of drawn rows, and of the fold hash of --lambda auto", Defaults.Seed, int.MinValue, int.MaxValue);
        var dialect = new DialectOptions();
        var quiet = CommonOptions.Quiet();
        var excess = new Option<bool>("--excess-loss")
        {
            Description = "With --trace: draw the loss less the least loss of the traces (log scale), so that convergence shows instead of a flat line",
        };
        var solve = new SolveOptions(FitMethod.Normal);
        Option[] penaltyOptions = [solve.Penalty, solve.Lambda, solve.L1Ratio, solve.Scale, solve.LambdaCount, solve.Folds, solve.FoldColumn, solve.Select];

        var command = new Command("plot", "Draw the data and its fit (or a saved model), the residuals, or the loss curves of gradient-descent traces, as PNG or SVG.")
        {
            file,
            fitModel.FormulaArgument,
        };
        Option[] fitOnly = [.. fitModel.All, method, .. penaltyOptions];
        Option[] dataOnly = [.. fitOnly, model, kind, seed, .. dialect.All];
        foreach (var option in (Option[])[.. fitModel.All, method, model, kind, .. penaltyOptions, trace, excess, output, width, height, maxPoints, seed, .. dialect.All, quiet])
        {
            command.Options.Add(option);
        }

        CommandRunner.SetAction(command, context, parse =>
        {
            var (path, spec) = fitModel.Read(parse, file);
            return new PlotSettings
            {
                File = path,
                Traces = parse.GetValue(trace) ?? [],
                Dialect = dialect.Read(parse),
                Model = spec,
                Solver = new SolverOptions { Method = Words.Method.Parse(parse.GetValue(method)) },
                ModelPath = parse.GetValue(model),
                Kind = Words.Kind.Parse(parse.GetValue(kind)),
                OutputPath = parse.GetValue(output),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
                MaxPoints = parse.GetValue(maxPoints),
                Seed = parse.GetValue(seed),
                Quiet = parse.GetValue(quiet),
                Penalty = solve.ReadPenalty(parse, seed),
                ExcessLoss = parse.GetValue(excess),
                MethodGiven = CommonOptions.Given(parse, [method]).Length > 0,
                DataOptionsGiven = CommonOptions.Given(parse, dataOnly),
                FitOptionsGiven = CommonOptions.Given(parse, fitOnly),
            };
        }, Execute);
        return command;
    }

    /// <summary>Draws the picture the settings ask for and writes it; returns the exit code.</summary>
    public static int Run(PlotSettings settings, CliContext context) => CommandRunner.Run(context, () => Execute(settings, context));

    private static void Execute(PlotSettings settings, CliContext context)
    {
        var picture = Validate(settings);
        var font = FontCheck.Find(); // before reading: a missing font should not cost a pass over a large file
        if (settings.Kind is PlotKind.Diagnostics or PlotKind.ResidualsFitted or PlotKind.Qq or PlotKind.ScaleLocation or PlotKind.Leverage)
        {
            var panels = DiagnosticPlots.Charts(settings.Kind, DiagnosticPlots.Read(settings, context));
            AtomicFile.WriteAllBytes(settings.OutputPath!, panels.Count == 1 ? Charts.Render(panels[0], picture, font) : Charts.RenderGrid(panels, 2, picture, font));
            return;
        }

        var spec = settings.Traces.Count > 0 ? LossChart(settings, context)
            : settings.Kind is PlotKind.Path or PlotKind.Cv ? PenaltyChart(settings, context)
            : DataChart(settings, context);
        AtomicFile.WriteAllBytes(settings.OutputPath!, Charts.Render(spec, picture, font));
    }

    /// <summary>Whether a kind is one of plot.lm's panels (or all of them).</summary>
    private static bool IsDiagnostic(PlotKind kind) =>
        kind is PlotKind.Diagnostics or PlotKind.ResidualsFitted or PlotKind.Qq or PlotKind.ScaleLocation or PlotKind.Leverage;

    private static PictureSpec Validate(PlotSettings settings)
    {
        if (settings.OutputPath is null)
        {
            throw new UsageException(CliMessages.PlotNeedsOutput);
        }

        var format = PictureSpec.FormatOf(settings.OutputPath);
        if (settings.Traces.Count > 0 && settings.File is not null)
        {
            throw new UsageException(CliMessages.PlotFileAndTrace);
        }

        if (settings.Traces.Count > 0 && (settings.DataOptionsGiven.Count > 0 || settings.ModelPath is not null))
        {
            var given = settings.ModelPath is null || settings.DataOptionsGiven.Contains("--model")
                ? settings.DataOptionsGiven
                : [.. settings.DataOptionsGiven, "--model"];
            throw new UsageException(CliMessages.NotForTraces(given));
        }

        if (settings.ModelPath is not null && settings.FitOptionsGiven.Count > 0)
        {
            throw new UsageException(CliMessages.NotWithModel(settings.FitOptionsGiven));
        }

        if (settings.ExcessLoss && settings.Traces.Count == 0)
        {
            throw new UsageException(CliMessages.ExcessLossNeedsTrace);
        }

        string kindWord = Words.Kind.Of(settings.Kind);
        if (settings.Kind is PlotKind.Path or PlotKind.Cv)
        {
            if (settings.Penalty is not { Lambda: null })
            {
                throw new UsageException(CliMessages.PathNeedsAuto(kindWord, settings.Penalty is not null));
            }

            if (settings.MethodGiven)
            {
                throw new UsageException(CliMessages.PathNotWithMethod(kindWord));
            }
        }
        else if (settings.Penalty is not null)
        {
            throw new UsageException(IsDiagnostic(settings.Kind) ? CliMessages.DiagnosticsNotPenalized(kindWord) : CliMessages.PenaltyOnlyForPath(kindWord));
        }

        if (settings.ModelPath is not null && (IsDiagnostic(settings.Kind) || settings.Kind is PlotKind.Path or PlotKind.Cv))
        {
            throw new UsageException(CliMessages.KindNotWithModel(kindWord));
        }

        if (settings.Width is < 100 or > 10_000 || settings.Height is < 100 or > 10_000)
        {
            throw new UsageException($"--width and --height must be between 100 and 10000 pixels, not {settings.Width}x{settings.Height}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxPoints, 2);
        settings.Solver.Validate();
        return new PictureSpec(format, settings.Width, settings.Height);
    }

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
            throw new UsageException(CliMessages.PlotGroupedModel(grouped));
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
                state = source.Read(columns, method, row =>
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
            return new ChartSpec
            {
                Title = "Residuals of " + title,
                XLabel = $"{fitted} {terms.ResponseName}",
                YLabel = $"residual ({terms.ResponseName} − {fitted})",
                Points = new Series(rowsLabel, values, actual.Select((y, i) => y - values[i]).ToArray()),
                ReferenceLine = (0, "zero"),
            };
        }

        if (terms.Predictors.Count == 1)
        {
            int n = terms.AllPlainColumns ? 2 : CurvePoints;
            var gridX = Enumerable.Range(0, n).Select(i => xMin + ((xMax - xMin) * i / (n - 1))).ToArray();
            var gridY = gridX.Select(x => model.Predict([x])).ToArray();
            var curve = terms.AllPlainColumns ? "line" : terms.Degree > 1 ? $"polynomial (degree {terms.Degree})" : "curve";
            return new ChartSpec
            {
                Title = title,
                XLabel = terms.Predictors[0],
                YLabel = terms.ResponseName,
                Points = new Series(rowsLabel, sample.Column(0), actual),
                Lines = [new Series(saved is null ? "fitted " + curve : "saved model's " + curve, gridX, gridY)],
            };
        }

        double lo = Math.Min(values.Min(), actual.Min()), hi = Math.Max(values.Max(), actual.Max());
        return new ChartSpec
        {
            Title = title,
            XLabel = $"{fitted} {terms.ResponseName}",
            YLabel = terms.ResponseName,
            Points = new Series(rowsLabel, values, actual),
            Lines = [new Series($"actual = {fitted}", [lo, hi], [lo, hi])],
        };
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

    private static string Show(double? r2) => r2 is { } r ? r.ToString("0.####", CultureInfo.InvariantCulture) : "NA";

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

    /// <summary>Each trace is named by its file name, or by its path as given where file names repeat.</summary>
    public static string[] LegendNames(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var names = paths.Select(p => InputFile.IsStdin(p) ? InputFile.StdinName : Path.GetFileName(p)).ToArray();
        return names.Select((n, i) => names.Count(m => m == n) > 1 ? paths[i] : n).ToArray();
    }

    private static Option<int> Pixels(string name, int defaultValue) =>
        CommonOptions.Integer(name, $"Image {name[2..]} in pixels", defaultValue, 100, 10_000, "PX");
}
