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

    public bool Quiet { get; init; }

    public bool Strict { get; init; }
}

/// <summary>
/// The options of the solve-and-print step (method, gd settings, summary, format, output, quiet),
/// declared once for every command that ends in a fit.
/// </summary>
internal sealed class FitOutputOptions
{
    private static readonly string[] Methods = ["normal", "qr", "gd", "sgd"];

    public FitOutputOptions()
    {
        Method = new Option<string>("--method", "-m")
        {
            Description = "normal (closed form, exact), qr (closed form by a streamed QR factor), gd (batch gradient descent), sgd (mini-batch stochastic gradient descent; holds the rows in memory)",
            DefaultValueFactory = _ => "normal",
        };
        Method.AcceptOnlyFromAmong(Methods);
        Alpha = new Option<double?>("--alpha", "-a")
        {
            Description = "Gradient-descent learning rate [default: chosen from the data]",
            HelpName = "RATE",
        };
        Alpha.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } a && !(a > 0 && double.IsFinite(a)))
            {
                r.AddError($"--alpha must be a positive number, not {a.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        MaxIter = new Option<int>("--max-iter")
        {
            Description = "Iteration limit for gd, epoch limit for sgd",
            DefaultValueFactory = _ => 1000,
            HelpName = "N",
        };
        MaxIter.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--max-iter must be at least 1.");
            }
        });
        Tol = new Option<double>("--tol")
        {
            Description = "gd stops when |gradient| <= tol * |gradient at 0|",
            DefaultValueFactory = _ => 1e-10,
            HelpName = "T",
        };
        Tol.Validators.Add(r =>
        {
            double t = r.GetValueOrDefault<double>();
            if (!(t >= 0 && double.IsFinite(t)))
            {
                r.AddError("--tol must be zero or a positive number.");
            }
        });
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
        Decay = new Option<double?>("--decay")
        {
            Description = "Decay of the schedule [default: step 0.5, exp 0.999, invtime 0.01]",
            HelpName = "D",
        };
        Optimizer = new Option<string>("--optimizer")
        {
            Description = "gd update rule",
            DefaultValueFactory = _ => "plain",
        };
        Optimizer.AcceptOnlyFromAmong("plain", "momentum", "adam");
        BatchSize = new Option<int>("--batch-size")
        {
            Description = "sgd mini-batch size",
            DefaultValueFactory = _ => 32,
            HelpName = "N",
        };
        BatchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--batch-size must be at least 1.");
            }
        });
        Seed = new Option<int>("--seed")
        {
            Description = "Seed of sgd's shuffle; the same seed gives the same result",
            DefaultValueFactory = _ => 1,
            HelpName = "N",
        };
        Strict = new Option<bool>("--strict") { Description = "Exit 3 when gd/sgd stops at --max-iter without converging" };
        Trace = new Option<string?>("--trace") { Description = "Write gd's per-iteration (sgd's per-epoch) loss, gradient norm and step as CSV", HelpName = "FILE" };
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

    public Option<string?> Save { get; }

    public Option<bool> Summary { get; }

    public Option<string> Format { get; }

    public Option<string?> Output { get; }

    public Option<bool> Quiet { get; }

    /// <summary>The options that only matter when a fit is solved, in help order.</summary>
    public IReadOnlyList<Option> SolveOnly => [Method, Alpha, MaxIter, Tol, Scale, Schedule, Decay, Optimizer, BatchSize, Seed, Strict, Trace, Save, Summary, Format];

    /// <summary>
    /// With --partial nothing is solved, so an explicitly given solve option would be silently
    /// ignored; refuse it instead and say where it belongs.
    /// </summary>
    public void RejectSolveOptions(ParseResult parse)
    {
        foreach (var option in SolveOnly)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new UsageException(CliMessages.NotWithPartial(option.Name));
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
        Quiet = parse.GetValue(Quiet),
        Strict = parse.GetValue(Strict),
    };
}

/// <summary>The tail every fitting command shares: solve the moments, warn, write the trace and the result.</summary>
internal static class FitOutput
{
    /// <summary>
    /// Solves <paramref name="moments"/> — through the accumulator when the method keeps more than
    /// moments (qr's factor), with the rows for sgd — and prints the result; throws on failure (the
    /// caller reports).
    /// </summary>
    public static void Solve(Moments moments, MomentAccumulator? accumulator, double[]? rows, long skippedRows, FitOutputSettings settings, CliContext context)
    {
        var solver = settings.Solver with { Cancellation = context.Cancellation };
        if (solver.Method == FitMethod.StochasticGradientDescent && rows is null)
        {
            throw new UsageException("--method sgd needs the data rows, which partial fits do not carry; use --method gd or normal with lsq merge.");
        }

        if (solver.Method == FitMethod.Qr && accumulator is null)
        {
            throw new UsageException("--method qr factorises the rows as they are read, and partial fits carry moments only; use --method normal (as accurate) with lsq merge.");
        }

        var fit = rows is not null ? Solvers.FitRows(moments, rows, solver)
            : accumulator is not null ? Solvers.Fit(accumulator, solver)
            : Solvers.Fit(moments, solver);
        foreach (var warning in fit.Warnings)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, warning);
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
