using System.CommandLine;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;

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

    /// <summary>--by: the group columns, one panel per group; null for one picture of every row.</summary>
    public IReadOnlyList<string>? By { get; init; }

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
internal static partial class PlotCommand
{
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
        var by = CommonOptions.PlotBy();
        var solve = new SolveOptions(FitMethod.Normal);
        Option[] penaltyOptions = [solve.Penalty, solve.Lambda, solve.L1Ratio, solve.Scale, solve.LambdaCount, solve.Folds, solve.FoldColumn, solve.Select];

        var command = new Command("plot", "Draw the data and its fit (or a saved model), the residuals, or the loss curves of gradient-descent traces, as PNG or SVG.")
        {
            file,
            fitModel.FormulaArgument,
        };
        Option[] fitOnly = [.. fitModel.All, method, by, .. penaltyOptions];
        Option[] dataOnly = [.. fitOnly, model, kind, seed, .. dialect.All];
        foreach (var option in (Option[])[.. fitModel.All, by, method, model, kind, .. penaltyOptions, trace, excess, output, width, height, maxPoints, seed, .. dialect.All, quiet])
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
                By = CommonOptions.ParseList(parse.GetValue(by), "--by"),
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
        if (settings.Traces.Count == 0 && GroupedPlot.Applies(settings))
        {
            AtomicFile.WriteAllBytes(settings.OutputPath!, GroupedPlot.Render(GroupedPlot.Charts(settings, context), picture, font));
            return;
        }

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

        if (settings.By is not null && settings.Kind is not (PlotKind.Fit or PlotKind.Residuals))
        {
            throw new UsageException(CliMessages.PlotByNotWithKind(kindWord));
        }

        if (settings.Width is < 100 or > 10_000 || settings.Height is < 100 or > 10_000)
        {
            throw new UsageException($"--width and --height must be between 100 and 10000 pixels, not {settings.Width}x{settings.Height}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxPoints, 2);
        settings.Solver.Validate();
        return new PictureSpec(format, settings.Width, settings.Height);
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
