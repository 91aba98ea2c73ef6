using System.CommandLine;
using System.Globalization;
using System.Text;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of the solve-and-print step shared by <c>lsq fit</c> and <c>lsq merge</c>.</summary>
internal sealed record FitOutputSettings
{
    public SolverOptions Solver { get; init; } = new();

    public OutputFormat Format { get; init; } = OutputFormat.Table;

    public bool Summary { get; init; }

    public string? OutputPath { get; init; }

    public string? TracePath { get; init; }

    public string? SavePath { get; init; }

    public string? InitPath { get; init; }

    public bool Quiet { get; init; }

    public bool Strict { get; init; }
}

/// <summary>
/// The options of the solve-and-print step (method, gd settings, summary, format, output, quiet),
/// declared once for every command that ends in a fit.
/// </summary>
internal sealed class FitOutputOptions
{
    /// <summary>Every method; a command that has only the moments (merge) offers fewer.</summary>
    public static readonly string[] AllMethods = ["normal", "qr", "gd", "sgd"];

    public FitOutputOptions(params string[] methods)
    {
        var offered = methods.Length == 0 ? AllMethods : methods;
        Method = new Option<string>("--method", "-m")
        {
            Description = string.Join(", ", offered.Select(m => MethodHelp[m])),
            DefaultValueFactory = _ => "normal",
        };
        Method.AcceptOnlyFromAmong(offered);
        Alpha = CommonOptions.Real("--alpha", "Gradient-descent learning rate [default: chosen from the data]", 0, true, "RATE", "-a");
        MaxIter = CommonOptions.Integer("--max-iter", "Iteration limit for gd, epoch limit for sgd", 1000, 1, int.MaxValue);
        Tol = CommonOptions.Real("--tol", "gd/sgd stop when the gradient has shrunk by tol (slopes: from the intercept-only fit; intercept: from 0)", 1e-10, 0, false, "T");
        Scale = new Option<string>("--scale")
        {
            Description = "Feature scaling inside gd; coefficients are always in original units",
            DefaultValueFactory = _ => "standard",
        };
        Scale.AcceptOnlyFromAmong("standard", "none");
        Schedule = new Option<string>("--schedule")
        {
            Description = "gd learning-rate schedule: constant, step (x decay every 100 iterations), exp (x decay each iteration), invtime (alpha/(1+decay*k))",
            DefaultValueFactory = _ => "constant",
        };
        Schedule.AcceptOnlyFromAmong("constant", "step", "exp", "invtime");
        Decay = CommonOptions.Real("--decay", "Decay of the schedule [default: step 0.5, exp 0.999, invtime 0.01]", 0, false, "D");
        Optimizer = new Option<string>("--optimizer")
        {
            Description = "gd update rule",
            DefaultValueFactory = _ => "plain",
        };
        Optimizer.AcceptOnlyFromAmong("plain", "momentum", "adam");
        BatchSize = CommonOptions.Integer("--batch-size", "sgd mini-batch size", 32, 1, int.MaxValue);
        Seed = CommonOptions.Integer("--seed", "Seed of sgd's shuffle; the same seed gives the same result", 1, int.MinValue, int.MaxValue);
        Strict = new Option<bool>("--strict") { Description = "Exit 3 when gd/sgd stops at --max-iter without converging" };
        Trace = new Option<string?>("--trace") { Description = "Write gd's per-iteration (sgd's per-epoch) loss, gradient norm and step as CSV", HelpName = "FILE" };
        Init = new Option<string?>("--init") { Description = "Warm start for gd/sgd: begin from the coefficients of a model saved with --save (same terms)", HelpName = "FILE" };
        Save = new Option<string?>("--save") { Description = "Write the fitted model as JSON (for lsq predict); nothing is written if the fit fails", HelpName = "FILE" };
        Summary = new Option<bool>("--summary") { Description = "Add standard errors, t, p, 95% CI, R^2, adjusted R^2, F, AIC/BIC, condition number" };
        Format = CommonOptions.Format();
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

    public Option<string> Format { get; }

    public Option<string?> Output { get; }

    public Option<bool> Quiet { get; }

    /// <summary>The options that only matter when a fit is solved, in help order.</summary>
    public IReadOnlyList<Option> SolveOnly => [Method, Alpha, MaxIter, Tol, Scale, Schedule, Decay, Optimizer, BatchSize, Seed, Init, Strict, Trace, Save, Summary, Format];

    /// <summary>
    /// With --partial nothing is solved, so an explicitly given solve option would be silently
    /// ignored; refuse it instead and say where it belongs.
    /// </summary>
    private void RejectSolveOptions(ParseResult parse)
    {
        foreach (var option in SolveOnly)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new UsageException(CliMessages.NotWithPartial(option.Name));
            }
        }
    }

    private static readonly Dictionary<string, string> MethodHelp = new()
    {
        ["normal"] = "normal (closed form, exact)",
        ["qr"] = "qr (closed form by a streamed QR factor)",
        ["gd"] = "gd (batch gradient descent)",
        ["sgd"] = "sgd (mini-batch stochastic gradient descent; holds the rows in memory)",
    };

    /// <summary>The options that steer gd and sgd only.</summary>
    private IEnumerable<Option> IterativeOnly => [Alpha, MaxIter, Tol, Scale, Schedule, Decay, Optimizer, Init, Strict, Trace];

    /// <summary>Refuses the options that the run would ignore: solve options with --partial, options the method does not use otherwise.</summary>
    public void RejectIgnored(ParseResult parse, bool partial)
    {
        if (partial)
        {
            RejectSolveOptions(parse);
        }
        else
        {
            RejectUnusedOptions(parse);
        }
    }

    /// <summary>
    /// Refuses options given explicitly that the chosen method would ignore (gd settings with a
    /// closed-form method, sgd's batch size and seed with another method): silently doing
    /// nothing with what the user asked for would be a lie.
    /// </summary>
    private void RejectUnusedOptions(ParseResult parse)
    {
        var method = parse.GetValue(Method) ?? "normal";
        if (method is "normal" or "qr")
        {
            foreach (var option in IterativeOnly)
            {
                if (parse.GetResult(option) is { Implicit: false })
                {
                    throw new UsageException($"{option.Name} steers gradient descent and has no effect with --method {method}. Add --method gd (or sgd), or drop {option.Name}.");
                }
            }
        }

        if (method != "sgd")
        {
            foreach (var option in new Option[] { BatchSize, Seed })
            {
                if (parse.GetResult(option) is { Implicit: false })
                {
                    throw new UsageException($"{option.Name} applies to --method sgd only; it has no effect with --method {method}. Add --method sgd, or drop {option.Name}.");
                }
            }
        }
    }

    /// <summary>The method named by a validated <c>--method</c> value (normal when absent).</summary>
    public static FitMethod ParseMethod(string? text) => text switch
    {
        "gd" => FitMethod.GradientDescent,
        "sgd" => FitMethod.StochasticGradientDescent,
        "qr" => FitMethod.Qr,
        _ => FitMethod.Normal,
    };

    public FitOutputSettings Read(ParseResult parse) => new()
    {
        Solver = new SolverOptions
        {
            Method = ParseMethod(parse.GetValue(Method)),
            BatchSize = parse.GetValue(BatchSize),
            Seed = parse.GetValue(Seed),
            LearningRate = parse.GetValue(Alpha),
            MaxIterations = parse.GetValue(MaxIter),
            Tolerance = parse.GetValue(Tol),
            Scaling = parse.GetValue(Scale) == "none" ? FeatureScaling.None : FeatureScaling.Standard,
            Schedule = parse.GetValue(Schedule) switch
            {
                "step" => LearningRateSchedule.Step,
                "exp" => LearningRateSchedule.Exponential,
                "invtime" => LearningRateSchedule.InverseTime,
                _ => LearningRateSchedule.Constant,
            },
            Decay = parse.GetValue(Decay),
            Optimizer = parse.GetValue(Optimizer) switch
            {
                "momentum" => LeastSquares.Optimizer.Momentum,
                "adam" => LeastSquares.Optimizer.Adam,
                _ => LeastSquares.Optimizer.Plain,
            },
            RecordTrace = parse.GetValue(Trace) is not null,
        },
        Format = CommonOptions.ParseFormat(parse.GetValue(Format)!),
        Summary = parse.GetValue(Summary),
        OutputPath = parse.GetValue(Output),
        TracePath = parse.GetValue(Trace),
        SavePath = parse.GetValue(Save),
        InitPath = parse.GetValue(Init),
        Quiet = parse.GetValue(Quiet),
        Strict = parse.GetValue(Strict),
    };
}

/// <summary>The tail every fitting command shares: solve the moments, warn, write the trace and the result.</summary>
internal static class FitOutput
{
    /// <summary>
    /// Solves <paramref name="moments"/> — through the triangular factor for qr, with the rows for
    /// sgd — and prints the result; throws on failure (the caller reports).
    /// </summary>
    public static void Solve(Moments moments, TriangularFactor? factor, double[]? rows, long skippedRows, FitOutputSettings settings, CliContext context)
    {
        var solver = settings.Solver with { Cancellation = context.Cancellation };
        if (solver.Method == FitMethod.StochasticGradientDescent && rows is null)
        {
            throw new UsageException("--method sgd needs the data rows, which partial fits do not carry; use --method gd or normal with lsq merge.");
        }

        if (solver.Method == FitMethod.Qr && factor is null)
        {
            throw new UsageException("--method qr factorises the rows as they are read, and partial fits carry moments only; use --method normal (as accurate) with lsq merge.");
        }

        if (settings.InitPath is { } initPath)
        {
            solver = solver with { InitialCoefficients = WarmStart(initPath, moments.Terms, solver.Method) };
        }

        FitResult fit;
        using (var progress = ProgressLine.For(context, settings.Quiet, solver.Method, solver.MaxIterations))
        {
            solver = solver with { Progress = progress };
            fit = rows is not null ? Solver.FitRows(moments, rows, solver)
                : factor is not null ? Solver.Fit(factor, solver)
                : Solver.Fit(moments, solver);
        }

        foreach (var warning in fit.Warnings)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.Warning(warning));
        }

        if (settings.TracePath is { } tracePath && fit.Trace is { } history)
        {
            AtomicFile.WriteAllText(tracePath, TraceCsv(history));
        }

        if (settings.Strict && !fit.Converged)
        {
            throw new StrictFailureException($"{(fit.Method == "sgd" ? "stochastic " : "")}gradient descent did not converge and --strict is set; no result is printed.");
        }

        var report = new FitReport(fit, RegressionStatistics.Compute(fit), settings.Summary, skippedRows);
        var text = ResultFormatter.Format(report, settings.Format);
        if (settings.SavePath is { } savePath)
        {
            ModelFile.Write(savePath, ModelFile.FromFit(fit, report.Statistics, solver));
        }

        Write(text, settings.OutputPath, context);
    }

    /// <summary>The coefficients of a saved model to start gd/sgd from, after checking it is the same model.</summary>
    private static IReadOnlyList<double> WarmStart(string path, ModelTerms terms, FitMethod method)
    {
        if (method is not (FitMethod.GradientDescent or FitMethod.StochasticGradientDescent))
        {
            throw new UsageException("--init gives gradient descent a starting point; it has no effect on the closed-form methods. Add --method gd or sgd, or drop --init.");
        }

        var saved = ModelFile.Read(path);
        if (!saved.Terms.SameModelAs(terms))
        {
            throw new InputException(
                $"{path}: the saved model is {Describe(saved.Terms)}, but this fit is {Describe(terms)}. "
                + "--init needs a model with the same terms; fit with the same --target, --features, --degree and --no-intercept, or drop --init.");
        }

        return saved.Coefficients;
    }

    private static string Describe(ModelTerms t) =>
        $"{t.Target} ~ {string.Join(" + ", t.TermNames)}";

    /// <summary>
    /// Checks done before any input is read for a run that solves: the solver options, and that
    /// every file to be written has a folder to go in.
    /// </summary>
    public static void Preflight(FitOutputSettings settings)
    {
        settings.Solver.Validate();
        CheckTargets(settings.OutputPath, settings.TracePath, settings.SavePath);
    }

    /// <summary>Fails early, before any input is read, when a file to be written has no folder to go in.</summary>
    public static void CheckTargets(params string?[] paths)
    {
        foreach (var path in paths)
        {
            if (path is not null)
            {
                AtomicFile.EnsureFolder(path);
            }
        }
    }

    /// <summary>Writes the text to <paramref name="outputPath"/> atomically, or to stdout when it is null.</summary>
    public static void Write(string text, string? outputPath, CliContext context)
    {
        if (outputPath is { } path)
        {
            AtomicFile.WriteAllText(path, text);
        }
        else
        {
            context.Stdout.Write(text);
            context.Stdout.Flush();
        }
    }

    private static string TraceCsv(IReadOnlyList<IterationRecord> history)
    {
        var sb = new StringBuilder("iteration,loss,gradient_norm,step\n");
        foreach (var r in history)
        {
            sb.Append(Numbers.Integer(r.Iteration)).Append(',').Append(Numbers.RoundTrip(r.Loss)).Append(',')
                .Append(Numbers.RoundTrip(r.GradientNorm)).Append(',').Append(Numbers.RoundTrip(r.StepSize)).Append('\n');
        }

        return sb.ToString();
    }
}
