using System.CommandLine;
using System.Globalization;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;
using LeastSquares.Numerics;

namespace LeastSquares.Cli.Commands;

/// <summary>What a data picture shows.</summary>
internal enum PlotKind
{
    /// <summary>One predictor: the rows and the fitted (or saved) line or curve. Several: actual against fitted, with y = x.</summary>
    Fit,

    /// <summary>Residuals against fitted values, with the zero line.</summary>
    Residuals,
}

/// <summary>Validated settings of <c>lsq plot</c>.</summary>
internal sealed record PlotSettings
{
    /// <summary>Most rows drawn by default: enough to show the shape, few enough to stay readable and quick.</summary>
    public const int DefaultMaxPoints = 10_000;

    public string? File { get; init; }

    /// <summary>Trace CSVs from <c>lsq fit --trace</c>; when given, the loss curves are drawn instead of data.</summary>
    public IReadOnlyList<string> Traces { get; init; } = [];

    public CsvDialect Dialect { get; init; } = new();

    public ModelSpec Model { get; init; } = new(null, null, 1, true);

    /// <summary>A model file from <c>lsq fit --save</c> to draw instead of fitting the data; null fits.</summary>
    public string? ModelPath { get; init; }

    public SolverOptions Solver { get; init; } = new();

    public PlotKind Kind { get; init; } = PlotKind.Fit;

    public string? OutputPath { get; init; }

    public int Width { get; init; } = PictureSpec.DefaultWidth;

    public int Height { get; init; } = PictureSpec.DefaultHeight;

    public int MaxPoints { get; init; } = DefaultMaxPoints;

    public int Seed { get; init; } = 1;

    public bool Quiet { get; init; }

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
        var target = CommonOptions.Target();
        var features = CommonOptions.Features();
        var degree = CommonOptions.Degree();
        var noIntercept = CommonOptions.NoIntercept();
        var method = new Option<string>("--method", "-m")
        {
            Description = "How the drawn fit is computed: normal (closed form), qr (closed form by a streamed QR factor), gd (batch gradient descent, default settings)",
            DefaultValueFactory = _ => "normal",
        };
        method.AcceptOnlyFromAmong("normal", "qr", "gd");
        var model = new Option<string?>("--model")
        {
            Description = "Draw this model, written by 'lsq fit --save', instead of fitting the data; its columns are found by name, R² is computed on this data",
            HelpName = "FILE",
        };
        var kind = new Option<string>("--kind", "-k")
        {
            Description = "fit: the rows and the fitted line (one predictor) or actual against fitted (several); residuals: residuals against fitted values",
            DefaultValueFactory = _ => "fit",
        };
        kind.AcceptOnlyFromAmong("fit", "residuals");
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
        var width = Pixels("--width", PictureSpec.DefaultWidth);
        var height = Pixels("--height", PictureSpec.DefaultHeight);
        var maxPoints = CommonOptions.Integer("--max-points", "Draw at most N rows, a seeded random sample of all of them; the fit always uses every row", PlotSettings.DefaultMaxPoints, 2, 1_000_000);
        var seed = CommonOptions.Integer("--seed", "Seed of the random sample of drawn rows", 1, int.MinValue, int.MaxValue);
        var delimiter = CommonOptions.Delimiter();
        var noHeader = CommonOptions.NoHeader();
        var missing = CommonOptions.Missing();
        var quiet = CommonOptions.Quiet();

        var command = new Command("plot", "Draw the data and its fit (or a saved model), the residuals, or the loss curves of gradient-descent traces, as PNG or SVG.")
        {
            file, target, features, degree, noIntercept, method, model, kind, trace, output, width, height, maxPoints, seed,
            delimiter, noHeader, missing, quiet,
        };
        Option[] fitOnly = [target, features, degree, noIntercept, method];
        Option[] dataOnly = [.. fitOnly, model, kind, seed, delimiter, noHeader, missing];
        command.SetAction(parse =>
        {
            try
            {
                var settings = new PlotSettings
                {
                    File = parse.GetValue(file),
                    Traces = parse.GetValue(trace) ?? [],
                    Dialect = CommonOptions.Dialect(parse.GetValue(delimiter), parse.GetValue(noHeader), parse.GetValue(missing)!),
                    Model = new ModelSpec(parse.GetValue(target), CommonOptions.ParseList(parse.GetValue(features), "--features"),
                        parse.GetValue(degree), !parse.GetValue(noIntercept)),
                    Solver = new SolverOptions
                    {
                        Method = FitOutputOptions.ParseMethod(parse.GetValue(method)),
                    },
                    ModelPath = parse.GetValue(model),
                    Kind = parse.GetValue(kind) == "residuals" ? PlotKind.Residuals : PlotKind.Fit,
                    OutputPath = parse.GetValue(output),
                    Width = parse.GetValue(width),
                    Height = parse.GetValue(height),
                    MaxPoints = parse.GetValue(maxPoints),
                    Seed = parse.GetValue(seed),
                    Quiet = parse.GetValue(quiet),
                    DataOptionsGiven = Given(parse, dataOnly),
                    FitOptionsGiven = Given(parse, fitOnly),
                };
                return Run(settings, context);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, context.Stderr);
            }
        });
        return command;
    }

    /// <summary>Draws the picture the settings ask for and writes it; returns the exit code.</summary>
    public static int Run(PlotSettings settings, CliContext context)
    {
        try
        {
            var picture = Validate(settings);
            var font = FontCheck.Find(); // before reading: a missing font should not cost a pass over a large file
            var spec = settings.Traces.Count > 0 ? LossChart(settings, context) : DataChart(settings, context);
            AtomicFile.WriteAllBytes(settings.OutputPath!, Charts.Render(spec, picture, font));
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Stderr);
        }
    }

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

        if (settings.Width is < 100 or > 10_000 || settings.Height is < 100 or > 10_000)
        {
            throw new UsageException($"--width and --height must be between 100 and 10000 pixels, not {settings.Width}x{settings.Height}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxPoints, 2);
        settings.Solver.Validate();
        return new PictureSpec(format, settings.Width, settings.Height);
    }

    /// <summary>
    /// Reads the rows once: all go into the fit (or, with a saved model, into the R² of that model on
    /// these rows), a bounded random sample is kept for drawing.
    /// </summary>
    public static ChartSpec DataChart(PlotSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var saved = settings.ModelPath is { } modelPath ? ModelFile.Read(modelPath) : null;
        if (saved?.Converged == false)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath!));
        }

        MomentAccumulator accumulator;
        PointSample sample;
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        using (var source = CsvSource.Open(settings.File, settings.Dialect, context.OpenStdin))
        {
            var columns = saved is null
                ? ModelColumns.Resolve(source, settings.Model)
                : ModelColumns.Find(source, saved.Terms, settings.ModelPath!, settings.Dialect.HasHeader, withTarget: true);
            sample = new PointSample(settings.MaxPoints, columns.Columns.Length, settings.Seed);
            var local = sample;
            // A saved model needs only the moments, for its R² on these rows.
            accumulator = columns.Accumulate(source, saved is null ? settings.Solver.Method : FitMethod.Normal, context.Cancellation, row =>
            {
                local.Offer(row);
                xMin = Math.Min(xMin, row[0]);
                xMax = Math.Max(xMax, row[0]);
            });
            if (source.SkippedRows > 0)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(source.SkippedRows, source.DisplayName));
            }
        }

        LinearModel model;
        double? r2;
        string title;
        if (saved is null)
        {
            var fit = Solver.Fit(accumulator, settings.Solver);
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
            r2 = RSquaredOn(model, accumulator.ToMoments());
            var method = saved.Method is { } m ? ResultFormatter.Method(m) : "method not recorded";
            title = $"saved model {Path.GetFileName(settings.ModelPath)}: {ResultFormatter.Formula(model.Terms)}   ({method}; R² on this data = {Show(r2)})";
        }

        // A saved model predicts these rows rather than fitting them, and the labels say so.
        var fitted = saved is null ? "fitted" : "predicted";
        var terms = model.Terms;
        int targetColumn = terms.Predictors.Count;
        var actual = sample.Column(targetColumn);
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
                XLabel = $"{fitted} {terms.Target}",
                YLabel = $"residual ({terms.Target} − {fitted})",
                Points = new Series(rowsLabel, values, actual.Select((y, i) => y - values[i]).ToArray()),
                ReferenceLine = (0, "zero"),
            };
        }

        if (terms.Predictors.Count == 1)
        {
            int n = terms.Degree == 1 ? 2 : CurvePoints;
            var gridX = Enumerable.Range(0, n).Select(i => xMin + ((xMax - xMin) * i / (n - 1))).ToArray();
            var gridY = gridX.Select(x => model.Predict([x])).ToArray();
            var curve = terms.Degree == 1 ? "line" : $"polynomial (degree {terms.Degree})";
            return new ChartSpec
            {
                Title = title,
                XLabel = terms.Predictors[0],
                YLabel = terms.Target,
                Points = new Series(rowsLabel, sample.Column(0), actual),
                Lines = [new Series(saved is null ? "fitted " + curve : "saved model's " + curve, gridX, gridY)],
            };
        }

        double lo = Math.Min(values.Min(), actual.Min()), hi = Math.Max(values.Max(), actual.Max());
        return new ChartSpec
        {
            Title = title,
            XLabel = $"{fitted} {terms.Target}",
            YLabel = terms.Target,
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

    private static string[] Given(ParseResult parse, Option[] options) =>
        options.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();

    /// <summary>Reads each trace and draws its loss per iteration on a log scale, one line per file.</summary>
    public static ChartSpec LossChart(PlotSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var names = LegendNames(settings.Traces);
        var lines = new List<Series>();
        for (int t = 0; t < settings.Traces.Count; t++)
        {
            var curve = TraceFile.Thin(TraceFile.Read(settings.Traces[t], names[t], context.OpenStdin, context.Cancellation), settings.MaxPoints);
            var keep = Enumerable.Range(0, curve.Count).Where(i => curve.Losses[i] > 0).ToArray();
            if (keep.Length < curve.Count)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.ZeroLossesHidden(curve.Name, curve.Count - keep.Length));
            }

            lines.Add(new Series(curve.Name, keep.Select(i => curve.Iterations[i]).ToArray(), keep.Select(i => curve.Losses[i]).ToArray()));
        }

        return new ChartSpec
        {
            Title = "Gradient-descent loss per iteration",
            XLabel = "iteration",
            YLabel = "loss (MSE, log scale)",
            Lines = lines,
            LogY = true,
        };
    }

    /// <summary>Each trace is named by its file name, or by its path as given where file names repeat.</summary>
    public static string[] LegendNames(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var names = paths.Select(p => p == "-" ? "<stdin>" : Path.GetFileName(p)).ToArray();
        return names.Select((n, i) => names.Count(m => m == n) > 1 ? paths[i] : n).ToArray();
    }

    private static Option<int> Pixels(string name, int defaultValue) =>
        CommonOptions.Integer(name, $"Image {name[2..]} in pixels", defaultValue, 100, 10_000, "PX");
}
