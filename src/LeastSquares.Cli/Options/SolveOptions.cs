using System.CommandLine;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Options;

/// <summary>Validated settings of the solve-and-print step shared by <c>lsq fit</c> and <c>lsq merge</c>.</summary>
internal sealed record SolveSettings
{
    public SolverOptions Solver { get; init; } = new();

    public OutputFormat Format { get; init; } = Defaults.Format;

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
/// declared once for every command that ends in a fit, and read once into <see cref="SolveSettings"/>.
/// </summary>
internal sealed class SolveOptions
{
    public SolveOptions(params FitMethod[] methods)
    {
        FitMethod[] offered = methods.Length == 0 ? [FitMethod.Normal, FitMethod.Qr, FitMethod.GradientDescent, FitMethod.StochasticGradientDescent] : methods;
        Method = Words.Method.Option("--method", string.Join(", ", offered.Select(Words.Help)), Defaults.Method, offered, "-m");
        Alpha = CommonOptions.Real("--alpha", "Gradient-descent learning rate [default: chosen from the data]", 0, true, "RATE", "-a");
        MaxIter = CommonOptions.Integer("--max-iter", "Iteration limit for gd, epoch limit for sgd", Defaults.MaxIterations, 1, int.MaxValue);
        Tol = CommonOptions.Real("--tol", "gd/sgd stop when the gradient has shrunk by tol (slopes: from the intercept-only fit; intercept: from 0)", Defaults.Tolerance, 0, false, "T");
        Scale = Words.Scaling.Option("--scale", "Feature scaling inside gd; coefficients are always in original units", Defaults.Scaling);
        Schedule = Words.Schedule.Option(
            "--schedule",
            "gd learning-rate schedule: constant, step (x decay every 100 iterations), exp (x decay each iteration), invtime (alpha/(1+decay*k))",
            Defaults.Schedule);
        Decay = CommonOptions.Real("--decay", "Decay of the schedule [default: step 0.5, exp 0.999, invtime 0.01]", 0, false, "D");
        Optimizer = Words.Optimizer.Option("--optimizer", "gd update rule", Defaults.Optimizer);
        BatchSize = CommonOptions.Integer("--batch-size", "sgd mini-batch size", Defaults.BatchSize, 1, int.MaxValue);
        Seed = CommonOptions.Integer("--seed", "Seed of sgd's shuffle; the same seed gives the same result", Defaults.Seed, int.MinValue, int.MaxValue);
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
    public SolveSettings Read(ParseResult parse, bool partial)
    {
        var method = Words.Method.Parse(parse.GetValue(Method));
        if (partial)
        {
            RejectGiven(parse, SolveOnly, option => CliMessages.NotWithPartial(option));
        }
        else
        {
            // Silently doing nothing with what the user asked for would be a lie.
            var word = Words.Method.Of(method);
            if (method is FitMethod.Normal or FitMethod.Qr)
            {
                RejectGiven(parse, IterativeOnly,
                    option => $"{option} steers gradient descent and has no effect with --method {word}. Add --method gd (or sgd), or drop {option}.");
            }

            if (method != FitMethod.StochasticGradientDescent)
            {
                RejectGiven(parse, [BatchSize, Seed],
                    option => $"{option} applies to --method sgd only; it has no effect with --method {word}. Add --method sgd, or drop {option}.");
            }
        }

        return new SolveSettings
        {
            Solver = new SolverOptions
            {
                Method = method,
                BatchSize = parse.GetValue(BatchSize),
                Seed = parse.GetValue(Seed),
                LearningRate = parse.GetValue(Alpha),
                MaxIterations = parse.GetValue(MaxIter),
                Tolerance = parse.GetValue(Tol),
                Scaling = Words.Scaling.Parse(parse.GetValue(Scale)),
                Schedule = Words.Schedule.Parse(parse.GetValue(Schedule)),
                Decay = parse.GetValue(Decay),
                Optimizer = Words.Optimizer.Parse(parse.GetValue(Optimizer)),
                RecordTrace = parse.GetValue(Trace) is not null,
            },
            Format = Words.Format.Parse(parse.GetValue(Format)),
            Summary = parse.GetValue(Summary),
            OutputPath = parse.GetValue(Output),
            TracePath = parse.GetValue(Trace),
            SavePath = parse.GetValue(Save),
            InitPath = parse.GetValue(Init),
            Quiet = parse.GetValue(Quiet),
            Strict = parse.GetValue(Strict),
        };
    }

    private static void RejectGiven(ParseResult parse, IEnumerable<Option> options, Func<string, string> message)
    {
        if (CommonOptions.Given(parse, options) is [var first, ..])
        {
            throw new UsageException(message(first));
        }
    }
}
