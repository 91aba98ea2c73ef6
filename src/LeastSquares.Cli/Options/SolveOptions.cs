using System.CommandLine;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Options;

/// <summary>Validated settings of the solve-and-print step shared by <c>lsq fit</c> and <c>lsq merge</c>.</summary>
internal sealed record SolveSettings
{
    public SolverOptions Solver { get; init; } = new();

    public OutputFormat Format { get; init; } = Defaults.Format;

    /// <summary>csv/tsv: one row per model instead of one row per term (--wide).</summary>
    public bool Wide { get; init; }

    public bool Summary { get; init; }

    /// <summary>Confidence level of every interval.</summary>
    public double Level { get; init; } = Defaults.Level;

    public string? OutputPath { get; init; }

    public string? TracePath { get; init; }

    public string? SavePath { get; init; }

    public string? InitPath { get; init; }

    public bool Quiet { get; init; }

    public bool Strict { get; init; }

    /// <summary>Ridge, lasso or elastic net instead of least squares; null for least squares.</summary>
    public PenaltySettings? Penalty { get; init; }

    /// <summary>
    /// Whether the output needs (XᵀX)⁻¹: standard errors and intervals (--summary, JSON, which
    /// always has them) or a saved model (which keeps it for predict --interval and --diagnostics).
    /// The coefficients alone (a table or csv without --summary, --wide) spare the fit its p³ inverse.
    /// </summary>
    public bool NeedsCovariance => Summary || Format == OutputFormat.Json || SavePath is not null;
}

/// <summary>The words of --penalty.</summary>
internal enum PenaltyKind
{
    Ridge,
    Lasso,
    ElasticNet,
}

/// <summary>Validated settings of a penalized fit.</summary>
/// <param name="L1Ratio">R: 0 ridge, 1 lasso, --l1-ratio for elasticnet.</param>
/// <param name="Lambda">λ, or null for --lambda auto (cross-validation).</param>
/// <param name="Standardize">--scale standard.</param>
/// <param name="Path">The path and selection rule of --lambda auto.</param>
/// <param name="Folds">--folds K.</param>
/// <param name="Seed">The seed of the fold hash.</param>
/// <param name="PathFile">--path FILE: the path with its coefficients as CSV.</param>
/// <param name="FoldColumn">--fold-column COL: the user's fold ids instead of the hash (glmnet's foldid).</param>
internal sealed record PenaltySettings(double L1Ratio, double? Lambda, bool Standardize, PathOptions Path, int Folds, int Seed, string? PathFile,
    string? FoldColumn = null);

/// <summary>
/// The options of the solve-and-print step (method, gd settings, summary, format, output, quiet),
/// declared once for every command that ends in a fit, and read once into <see cref="SolveSettings"/>.
/// </summary>
internal sealed class SolveOptions
{
    public SolveOptions(params FitMethod[] methods)
    {
        FitMethod[] offered = methods.Length == 0 ? [FitMethod.Normal, FitMethod.Qr, FitMethod.GradientDescent, FitMethod.StochasticGradientDescent] : methods;
        _sgd = offered.Contains(FitMethod.StochasticGradientDescent);

        // The help of a command without sgd (merge) speaks of gd alone.
        string iterative = _sgd ? "gd/sgd" : "gd";
        Method = Words.Method.Option("--method", string.Join(", ", offered.Select(Words.Help)), Defaults.Method, offered, "-m");
        Alpha = CommonOptions.Real("--alpha", "Gradient-descent learning rate [default: chosen from the data]", 0, true, "RATE", "-a");
        MaxIter = CommonOptions.Integer("--max-iter", _sgd ? "Iteration limit for gd, epoch limit for sgd" : "Iteration limit for gd", Defaults.MaxIterations, 1, int.MaxValue);
        Tol = CommonOptions.Real("--tol", $"{(_sgd ? "gd/sgd stop" : "gd stops")} when the gradient has shrunk by tol (slopes: from the intercept-only fit; intercept: from 0), or at --max-iter with the loss at the floor of double precision", Defaults.Tolerance, 0, false, "T");
        Scale = Words.Scaling.Option("--scale", "Feature scaling inside gd, and the columns a --penalty falls on (standard: divided by their population sd); coefficients are always in original units", Defaults.Scaling);
        Schedule = Words.Schedule.Option(
            "--schedule",
            "gd learning-rate schedule: constant, step (x decay every 100 iterations), exp (x decay each iteration), invtime (alpha/(1+decay*k))",
            Defaults.Schedule);
        Decay = CommonOptions.Real("--decay", "Decay of the schedule [default: step 0.5, exp 0.999, invtime 0.01]", 0, false, "D");
        Optimizer = Words.Optimizer.Option("--optimizer", "gd update rule", Defaults.Optimizer);
        BatchSize = CommonOptions.Integer("--batch-size", "sgd mini-batch size", Defaults.BatchSize, 1, int.MaxValue);
        Seed = CommonOptions.Integer("--seed", _sgd ? "Seed of sgd's shuffle and of the fold hash of --lambda auto; the same seed gives the same result" : "Seed of the fold hash of --lambda auto; the same seed gives the same result", Defaults.Seed, int.MinValue, int.MaxValue);
        Strict = new Option<bool>("--strict") { Description = $"Exit 3 when {iterative} stops at --max-iter without converging" + (_sgd ? "; with --by, exit 3 when a group cannot be fitted" : "") };
        Trace = new Option<string?>("--trace") { Description = _sgd ? "Write gd's per-iteration (sgd's per-epoch) loss, gradient norm and step as CSV" : "Write gd's per-iteration loss, gradient norm and step as CSV", HelpName = "FILE" };
        Init = new Option<string?>("--init") { Description = $"Warm start for {iterative}: begin from the coefficients of a model saved with --save (same terms)", HelpName = "FILE" };
        Save = new Option<string?>("--save") { Description = "Write the fitted model as JSON (for lsq predict); nothing is written if the fit fails", HelpName = "FILE" };
        Penalty = new Option<string?>("--penalty") { Description = "Penalized least squares: ridge, lasso or elasticnet (coordinate descent on the moments; see docs/penalties.md)", HelpName = "KIND" };
        Penalty.AcceptOnlyFromAmong("ridge", "lasso", "elasticnet");
        Lambda = new Option<string?>("--lambda") { Description = "Penalty strength λ >= 0, or auto: choose it by k-fold cross-validation over a path", HelpName = "L|auto" };
        L1Ratio = CommonOptions.Real("--l1-ratio", "elasticnet: the lasso's share R of the penalty, in [0, 1]", Defaults.L1Ratio, 0, false, "R");
        LambdaCount = CommonOptions.Integer("--n-lambda", "--lambda auto: number of λ values from λmax down", Defaults.LambdaCount, 1, 10_000);
        Folds = CommonOptions.Integer("--folds", "--lambda auto: number of cross-validation folds (rows assigned by a seeded hash of the row number)", Defaults.Folds, int.MinValue, int.MaxValue, "K");
        FoldColumn = new Option<string?>("--fold-column") { Description = "--lambda auto: the column holding each row's fold id (glmnet's foldid), instead of --folds", HelpName = "COL" };
        Select = Words.Select.Option("--select", "--lambda auto: fit at the λ of least cv_mse (min) or the largest within one standard error (1se)", LambdaSelection.Minimum);
        PathFile = new Option<string?>("--path") { Description = "--lambda auto: write the λ path (lambda, df, cv_mse, cv_se, coefficients) as CSV", HelpName = "FILE" };
        Aliased = CommonOptions.Aliased();
        Summary = new Option<bool>("--summary") { Description = "Add standard errors, t, p, confidence intervals, R^2, adjusted R^2, F, AIC/BIC, condition number" };
        Level = CommonOptions.Level("Confidence level of the intervals (R's confint(level=))");
        Format = CommonOptions.Format();
        Wide = CommonOptions.Wide();
        Output = CommonOptions.Output();
        Quiet = CommonOptions.Quiet();
    }

    public Option<string> Method { get; }

    public Option<double?> Alpha { get; }

    public Option<int> MaxIter { get; }

    public Option<double> Tol { get; }

    public Option<string> Scale { get; }

    public Option<string> Schedule { get; }

    public Option<double?> Decay { get; }

    public Option<string> Optimizer { get; }

    public Option<int> BatchSize { get; }

    public Option<int> Seed { get; }

    public Option<bool> Strict { get; }

    public Option<string?> Trace { get; }

    public Option<string?> Init { get; }

    public Option<string?> Save { get; }

    public Option<bool> Summary { get; }

    public Option<string> Aliased { get; }

    public Option<string?> Penalty { get; }

    public Option<string?> Lambda { get; }

    public Option<double> L1Ratio { get; }

    public Option<int> LambdaCount { get; }

    public Option<int> Folds { get; }

    public Option<string> Select { get; }

    public Option<string?> FoldColumn { get; }

    public Option<string?> PathFile { get; }
    public Option<double> Level { get; }

    public Option<string> Format { get; }

    public Option<bool> Wide { get; }

    public Option<string?> Output { get; }

    public Option<bool> Quiet { get; }

    /// <summary>Whether the command offers sgd (and with it --batch-size).</summary>
    private readonly bool _sgd;

    /// <summary>The options that only matter when a fit is solved, in help order (sgd's --batch-size only where sgd is offered).</summary>
    public IReadOnlyList<Option> SolveOnly => _sgd
        ? [Method, Alpha, MaxIter, Tol, Scale, Schedule, Decay, Optimizer, BatchSize, Seed, Init, Strict, Trace, Penalty, Lambda, L1Ratio, LambdaCount, Folds, FoldColumn, Select, PathFile, Save, Aliased, Summary, Level, Format, Wide]
        : [Method, Alpha, MaxIter, Tol, Scale, Schedule, Decay, Optimizer, Seed, Init, Strict, Trace, Penalty, Lambda, L1Ratio, LambdaCount, Folds, FoldColumn, Select, PathFile, Save, Aliased, Summary, Level, Format, Wide];

    /// <summary>The options that steer a penalized fit only.</summary>
    private IEnumerable<Option> PenaltyOnly => [Lambda, L1Ratio, LambdaCount, Folds, FoldColumn, Select, PathFile];

    /// <summary>The options that steer the cross-validation of --lambda auto only.</summary>
    private IEnumerable<Option> AutoOnly => [LambdaCount, Folds, FoldColumn, Select, PathFile];

    /// <summary>The options that steer gd and sgd only.</summary>
    private IEnumerable<Option> IterativeOnly => [Alpha, MaxIter, Tol, Scale, Schedule, Decay, Optimizer, Init, Strict, Trace];

    /// <summary>Adds these options to <paramref name="command"/>: the solve options, then the ones that end every run.</summary>
    public void AddTo(Command command, params Option[] between)
    {
        foreach (var option in SolveOnly.Concat(between).Append(Output).Append(Quiet))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Reads what the user typed into settings, after refusing the options the run would ignore:
    /// solve options with --partial (nothing is solved), and options the chosen method does not use.
    /// </summary>
    /// <remarks>With <paramref name="grouped"/> (--by) --strict applies to every method: a group that cannot be fitted fails the run.</remarks>
    public SolveSettings Read(ParseResult parse, bool partial, bool grouped = false)
    {
        _grouped = grouped;
        var method = Words.Method.Parse(parse.GetValue(Method));
        if (partial)
        {
            // The fold settings stay: a partial can carry the state of each cross-validation fold.
            Option[] folding = [Folds, Seed, FoldColumn];
            RejectGiven(parse, SolveOnly.Except(folding), option => CliMessages.NotWithPartial(option));
            if (CommonOptions.Given(parse, folding).Length > 0)
            {
                return Common(parse) with { Penalty = FoldsOnly(parse) };
            }
        }
        else if (parse.GetValue(Penalty) is { } penaltyWord && method is not (FitMethod.GradientDescent or FitMethod.StochasticGradientDescent))
        {
            return ReadPenalized(parse, method, penaltyWord);
        }
        else
        {
            // Silently doing nothing with what the user asked for would be a lie.
            var word = Words.Method.Of(method);
            if (parse.GetValue(Penalty) is null)
            {
                RejectGiven(parse, PenaltyOnly, option => CliMessages.PenaltyOnlyOption(option));
            }

            if (method is not (FitMethod.Normal or FitMethod.Qr) && Words.Aliased.Parse(parse.GetValue(Aliased)) == AliasedPolicy.Na)
            {
                throw new UsageException(CliMessages.AliasedClosedFormOnly(word));
            }

            if (method is FitMethod.Normal or FitMethod.Qr)
            {
                RejectGiven(parse, IterativeOnly.Where(o => !(_grouped && o == Strict)),
                    option => CliMessages.DescentOnlyOption(option, word));
            }

            if (_sgd && method != FitMethod.StochasticGradientDescent)
            {
                RejectGiven(parse, [BatchSize, Seed],
                    option => CliMessages.SgdOnlyOption(option, word));
            }
            else if (!_sgd && parse.GetValue(Penalty) is null)
            {
                RejectGiven(parse, [Seed], option => CliMessages.SeedWithoutPenalty(option));
            }
        }

        return Common(parse) with
        {
            Solver = new SolverOptions
            {
                Penalty = parse.GetValue(Penalty) is { } word2 ? DescentPenalty(parse, method, word2) : null,
                Method = method,
                BatchSize = _sgd ? parse.GetValue(BatchSize) : Defaults.BatchSize,
                Seed = parse.GetValue(Seed),
                LearningRate = parse.GetValue(Alpha),
                MaxIterations = parse.GetValue(MaxIter),
                Tolerance = parse.GetValue(Tol),
                Scaling = Words.Scaling.Parse(parse.GetValue(Scale)),
                Schedule = Words.Schedule.Parse(parse.GetValue(Schedule)),
                Decay = parse.GetValue(Decay),
                Optimizer = Words.Optimizer.Parse(parse.GetValue(Optimizer)),
                RecordTrace = parse.GetValue(Trace) is not null,
                DropAliased = Words.Aliased.Parse(parse.GetValue(Aliased)) == AliasedPolicy.Na,
            },
            TracePath = parse.GetValue(Trace),
            InitPath = parse.GetValue(Init),
            Strict = parse.GetValue(Strict),
        };
    }

    /// <summary>Whether the run fits one model per group (--by), read by <see cref="Read"/>.</summary>
    private bool _grouped;

    /// <summary>The settings every run shares: format, summary, output, save, quiet.</summary>
    private SolveSettings Common(ParseResult parse)
    {
        // As --vcov: an option whose only effect is on output the run does not print is refused, not ignored.
        if (CommonOptions.Given(parse, [Level]).Length > 0 && !parse.GetValue(Summary) && Words.Format.Parse(parse.GetValue(Format)) != OutputFormat.Json)
        {
            throw new UsageException(CliMessages.LevelWithoutIntervals("--summary (or -f json)"));
        }

        return CommonSettings(parse);
    }

    private SolveSettings CommonSettings(ParseResult parse) => new()
    {
        Format = ReadFormat(parse),
        Wide = parse.GetValue(Wide),
        Strict = parse.GetValue(Strict),
        Summary = parse.GetValue(Summary),
        Level = parse.GetValue(Level),
        OutputPath = parse.GetValue(Output),
        SavePath = parse.GetValue(Save),
        Quiet = parse.GetValue(Quiet),
    };

    /// <summary>-f, checked against --wide, which shapes csv and tsv only.</summary>
    private OutputFormat ReadFormat(ParseResult parse)
    {
        var format = Words.Format.Parse(parse.GetValue(Format));
        if (parse.GetValue(Wide) && format is not (OutputFormat.Csv or OutputFormat.Tsv))
        {
            throw new UsageException(CliMessages.WideNeedsCsv(Words.Format.Of(format)));
        }

        return format;
    }

    /// <summary>--penalty with --method gd or sgd: a fixed λ, plain steps, minimised by proximal gradient descent.</summary>
    private LeastSquares.Loss.Penalty DescentPenalty(ParseResult parse, FitMethod method, string penaltyWord)
    {
        var settings = ReadPenalized(parse, FitMethod.Normal, penaltyWord, descent: true).Penalty!;
        if (settings.Lambda is not { } lambda)
        {
            throw new UsageException(CliMessages.AutoLambdaWithMethod(Words.Method.Of(method)));
        }

        if (Words.Optimizer.Parse(parse.GetValue(Optimizer)) != LeastSquares.Optimizer.Plain)
        {
            throw new UsageException(CliMessages.DescentPenaltyOptimizer);
        }

        return new LeastSquares.Loss.Penalty(lambda, settings.L1Ratio, settings.Standardize);
    }

    /// <summary>For --partial: only the fold settings, so that the partial carries the folds' states.</summary>
    private PenaltySettings FoldsOnly(ParseResult parse)
    {
        var foldColumn = parse.GetValue(FoldColumn);
        if (foldColumn is not null)
        {
            RejectGiven(parse, [Folds, Seed], option => CliMessages.FoldsWithFoldColumn(option));
        }
        else if (parse.GetValue(Folds) < 2)
        {
            throw new UsageException(CliMessages.FoldsBelowTwo(parse.GetValue(Folds)));
        }

        return new PenaltySettings(1, null, true, new PathOptions(), parse.GetValue(Folds), parse.GetValue(Seed), null, foldColumn);
    }

    /// <summary>
    /// For <c>lsq plot</c>, which offers the penalty options without the rest of the solve options:
    /// the penalty settings typed, or null without --penalty; <paramref name="seed"/> is the
    /// command's own --seed, which also seeds the fold hash.
    /// </summary>
    public PenaltySettings? ReadPenalty(ParseResult parse, Option<int> seed)
    {
        if (parse.GetValue(Penalty) is not { } word)
        {
            RejectGiven(parse, [.. PenaltyOnly, Scale], option => CliMessages.PenaltyOnlyOption(option));
            return null;
        }

        return ReadPenalized(parse, FitMethod.Normal, word, seedOption: seed).Penalty;
    }

    /// <summary>Reads and checks the settings of --penalty.</summary>
    private SolveSettings ReadPenalized(ParseResult parse, FitMethod method, string penaltyWord, bool descent = false, Option<int>? seedOption = null)
    {
        var kind = Words.Penalty.Parse(penaltyWord);
        if (seedOption is null && Words.Aliased.Parse(parse.GetValue(Aliased)) == AliasedPolicy.Na)
        {
            throw new UsageException(CliMessages.AliasedWithPenalty);
        }

        if (CommonOptions.Given(parse, [Method]).Length > 0 && method != FitMethod.Normal)
        {
            throw new UsageException(CliMessages.PenaltyWithMethod(penaltyWord, Words.Method.Of(method)));
        }

        if (!descent)
        {
            RejectGiven(parse, new Option[] { Alpha, MaxIter, Tol, Schedule, Decay, Optimizer, BatchSize, Init, Strict, Trace }.Where(o => !(_grouped && o == Strict)),
                option => CliMessages.DescentOptionWithPenalty(option));
        }
        double ratio = kind switch
        {
            PenaltyKind.Ridge => 0.0,
            PenaltyKind.Lasso => 1.0,
            _ => parse.GetValue(L1Ratio),
        };
        if (kind != PenaltyKind.ElasticNet)
        {
            RejectGiven(parse, [L1Ratio], option => CliMessages.L1RatioFixed(option, penaltyWord, ratio));
        }
        else if (ratio > 1)
        {
            throw new UsageException(CliMessages.BadL1Ratio(ratio));
        }

        var lambdaText = parse.GetValue(Lambda)
            ?? throw new UsageException(CliMessages.PenaltyNeedsLambda(penaltyWord));
        double? lambda = null;
        if (lambdaText != "auto")
        {
            if (!double.TryParse(lambdaText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double l)
                || !double.IsFinite(l) || l < 0)
            {
                throw new UsageException(CliMessages.BadLambda(lambdaText));
            }

            lambda = l;
            RejectGiven(parse, descent || seedOption is not null ? AutoOnly : [.. AutoOnly, Seed], option => CliMessages.AutoOnlyOption(option));
        }

        int folds = parse.GetValue(Folds);
        var foldColumn = parse.GetValue(FoldColumn);
        if (foldColumn is not null)
        {
            RejectGiven(parse, [Folds, Seed], option => CliMessages.FoldsWithFoldColumn(option));
        }
        else if (lambda is null && folds < 2)
        {
            throw new UsageException(CliMessages.FoldsBelowTwo(folds));
        }

        var path = new PathOptions(parse.GetValue(LambdaCount), null, Words.Select.Parse(parse.GetValue(Select)));
        var settings = new PenaltySettings(ratio, lambda, Words.Scaling.Parse(parse.GetValue(Scale)) == FeatureScaling.Standard, path, folds,
            parse.GetValue(seedOption ?? Seed), seedOption is null ? parse.GetValue(PathFile) : null, foldColumn);
        return (seedOption is null ? Common(parse) : new SolveSettings()) with { Penalty = settings };
    }

    private static void RejectGiven(ParseResult parse, IEnumerable<Option> options, Func<string, string> message)
    {
        if (CommonOptions.Given(parse, options) is [var first, ..])
        {
            throw new UsageException(message(first));
        }
    }
}
