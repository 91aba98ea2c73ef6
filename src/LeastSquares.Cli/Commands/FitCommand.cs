using System.CommandLine;
using System.Globalization;
using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq fit</c>.</summary>
internal sealed record FitSettings
{
    public string? File { get; init; }

    public CsvDialect Dialect { get; init; } = new();

    public ModelSpec Model { get; init; } = new(null, null, 1, true);

    public SolverOptions Solver { get; init; } = new();

    public OutputFormat Format { get; init; } = OutputFormat.Table;

    public bool Summary { get; init; }

    public string? OutputPath { get; init; }

    public string? TracePath { get; init; }

    public bool Quiet { get; init; }

    public bool Strict { get; init; }
}

/// <summary><c>lsq fit</c>: read a CSV, fit the model, print the coefficients and the loss.</summary>
internal static class FitCommand
{
    private static readonly string[] Methods = ["normal", "gd"];

    public static Command Create(CliContext context)
    {
        var file = CommonOptions.File();
        var target = CommonOptions.Target();
        var features = CommonOptions.Features();
        var degree = CommonOptions.Degree();
        var noIntercept = CommonOptions.NoIntercept();
        var method = new Option<string>("--method", "-m")
        {
            Description = "normal (closed form, exact), gd (batch gradient descent)",
            DefaultValueFactory = _ => "normal",
        };
        method.AcceptOnlyFromAmong(Methods);
        var alpha = new Option<double?>("--alpha", "-a")
        {
            Description = "Gradient-descent learning rate [default: chosen from the data]",
            HelpName = "RATE",
        };
        alpha.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } a && !(a > 0 && double.IsFinite(a)))
            {
                r.AddError($"--alpha must be a positive number, not {a.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        var maxIter = new Option<int>("--max-iter")
        {
            Description = "Iteration limit for gd",
            DefaultValueFactory = _ => 1000,
            HelpName = "N",
        };
        maxIter.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--max-iter must be at least 1.");
            }
        });
        var tol = new Option<double>("--tol")
        {
            Description = "gd stops when |gradient| <= tol * |gradient at 0|",
            DefaultValueFactory = _ => 1e-10,
            HelpName = "T",
        };
        tol.Validators.Add(r =>
        {
            double t = r.GetValueOrDefault<double>();
            if (!(t >= 0 && double.IsFinite(t)))
            {
                r.AddError("--tol must be zero or a positive number.");
            }
        });
        var scale = new Option<string>("--scale")
        {
            Description = "Feature scaling inside gd; coefficients are always in original units",
            DefaultValueFactory = _ => "standard",
        };
        scale.AcceptOnlyFromAmong("standard", "none");
        var schedule = new Option<string>("--schedule")
        {
            Description = "gd learning-rate schedule: constant, step (x decay every 100 iterations), exp (x decay each iteration), invtime (alpha/(1+decay*k))",
            DefaultValueFactory = _ => "constant",
        };
        schedule.AcceptOnlyFromAmong("constant", "step", "exp", "invtime");
        var decay = new Option<double?>("--decay")
        {
            Description = "Decay of the schedule [default: step 0.5, exp 0.999, invtime 0.01]",
            HelpName = "D",
        };
        var optimizer = new Option<string>("--optimizer")
        {
            Description = "gd update rule",
            DefaultValueFactory = _ => "plain",
        };
        optimizer.AcceptOnlyFromAmong("plain", "momentum", "adam");
        var strict = new Option<bool>("--strict") { Description = "Exit 3 when gd stops at --max-iter without converging" };
        var trace = new Option<string?>("--trace") { Description = "Write gd's per-iteration loss, gradient norm and step as CSV", HelpName = "FILE" };
        var summary = new Option<bool>("--summary") { Description = "Add standard errors, t, p, 95% CI, R^2, adjusted R^2, F, AIC/BIC, condition number" };
        var format = CommonOptions.Format();
        var delimiter = CommonOptions.Delimiter();
        var noHeader = CommonOptions.NoHeader();
        var missing = CommonOptions.Missing();
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();

        var command = new Command("fit", "Fit a linear least-squares model to CSV data and print the coefficients and the loss (MSE).")
        {
            file, target, features, degree, noIntercept, method, alpha, maxIter, tol, scale, schedule, decay, optimizer,
            strict, trace, summary, format, delimiter, noHeader, missing, output, quiet,
        };
        command.SetAction(parse =>
        {
            try
            {
                var settings = new FitSettings
                {
                    File = parse.GetValue(file),
                    Dialect = CommonOptions.Dialect(parse.GetValue(delimiter), parse.GetValue(noHeader), parse.GetValue(missing)!),
                    Model = new ModelSpec(parse.GetValue(target), CommonOptions.ParseList(parse.GetValue(features), "--features"),
                        parse.GetValue(degree), !parse.GetValue(noIntercept)),
                    Solver = new SolverOptions
                    {
                        Method = parse.GetValue(method) == "gd" ? FitMethod.GradientDescent : FitMethod.Normal,
                        LearningRate = parse.GetValue(alpha),
                        MaxIterations = parse.GetValue(maxIter),
                        Tolerance = parse.GetValue(tol),
                        Scaling = parse.GetValue(scale) == "none" ? FeatureScaling.None : FeatureScaling.Standard,
                        Schedule = parse.GetValue(schedule) switch
                        {
                            "step" => LearningRateSchedule.Step,
                            "exp" => LearningRateSchedule.Exponential,
                            "invtime" => LearningRateSchedule.InverseTime,
                            _ => LearningRateSchedule.Constant,
                        },
                        Decay = parse.GetValue(decay),
                        Optimizer = parse.GetValue(optimizer) switch
                        {
                            "momentum" => Optimizer.Momentum,
                            "adam" => Optimizer.Adam,
                            _ => Optimizer.Plain,
                        },
                        RecordTrace = parse.GetValue(trace) is not null,
                    },
                    Format = CommonOptions.ParseFormat(parse.GetValue(format)!),
                    Summary = parse.GetValue(summary),
                    OutputPath = parse.GetValue(output),
                    TracePath = parse.GetValue(trace),
                    Quiet = parse.GetValue(quiet),
                    Strict = parse.GetValue(strict),
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

    /// <summary>Runs a fit with validated settings; returns the exit code.</summary>
    public static int Run(FitSettings settings, CliContext context)
    {
        try
        {
            settings.Solver.Validate();
            var parallel = ParallelSettingsOf(context);
            Moments moments;
            long skipped;
            using (var source = CsvSource.Open(settings.File, settings.Dialect, context.OpenStdin))
            using (var progress = context.StderrIsTerminal && !settings.Quiet
                ? ReadProgress.Start(context.Stderr, source.DisplayName, source.Length, () => source.BytesRead)
                : null)
            {
                var columns = ModelColumns.Resolve(source, settings.Model);
                (moments, skipped) = Read(source, columns, parallel, progress, context.Cancellation);
            }

            if (skipped > 0)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(skipped, DisplayName(settings.File)));
            }

            var fit = Solvers.Fit(moments, settings.Solver);
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
                throw new StrictFailureException("gradient descent did not converge and --strict is set; no result is printed.");
            }

            var report = new FitReport(fit, RegressionStatistics.Compute(fit), settings.Summary, skipped);
            var text = ResultFormatter.Format(report, settings.Format);
            if (settings.OutputPath is { } path)
            {
                AtomicFile.WriteAllText(path, text);
            }
            else
            {
                context.Stdout.Write(text);
                context.Stdout.Flush();
            }

            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Stderr);
        }
    }

    /// <summary>
    /// Reads the data rows into moments: a big regular file on several cores when it can be, and
    /// otherwise (standard input, pipes, small files, quotes across a cut) in one sequential pass.
    /// </summary>
    private static (Moments Moments, long Skipped) Read(CsvSource source, ModelColumns columns, ParallelSettings parallel, ReadProgress? progress,
        CancellationToken cancellation)
    {
        if (source.FilePath is { } path && source.Length >= parallel.MinBytes && parallel.Threads > 1)
        {
            var counter = new ByteCounter();
            progress?.Follow(() => counter.Bytes);
            var result = ParallelFileReader.TryRead(path, source.DisplayName, source.Dialect, source.Separator, columns, source.Header, parallel,
                counter, cancellation);
            if (result is { } done)
            {
                ModelColumns.RequireRows(done.Moments.Count, done.Skipped, source.DisplayName);
                return done;
            }

            progress?.Follow(() => source.BytesRead);
        }

        var moments = columns.Accumulate(source, cancellation);
        return (moments, source.SkippedRows);
    }

    private static string DisplayName(string? file) => file is null or "-" ? "<stdin>" : file;

    private static ParallelSettings ParallelSettingsOf(CliContext context)
    {
        if (context.ThreadsVariable is not { } text)
        {
            return context.Parallel;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads < 1 || threads > 256)
        {
            throw new UsageException(CliMessages.BadThreads(text));
        }

        return context.Parallel with { Threads = threads };
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
