using System.CommandLine;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq anova</c>.</summary>
internal sealed record AnovaSettings
{
    /// <summary>The input; null for standard input.</summary>
    public string? File { get; init; }

    public CsvDialect Dialect { get; init; } = new();

    /// <summary>The model of the sequential table, or the larger of two nested models.</summary>
    public ModelSpec Model { get; init; } = new(null, null, Defaults.Degree, true);

    /// <summary>The smaller model's formula when two are compared; null for the sequential table.</summary>
    public string? Smaller { get; init; }

    /// <summary>--weights COL.</summary>
    public string? Weights { get; init; }

    public OutputFormat Format { get; init; } = Defaults.Format;

    public string? OutputPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>--aliased na: a rank-deficient model as R's anova gives it (aliased columns add no df).</summary>
    public bool DropAliased { get; init; }
}

/// <summary>
/// <c>lsq anova</c>: R's <c>anova(m)</c> (the sequential, type I table, one row per formula term)
/// or <c>anova(m1, m2)</c> (the F test of a model against a larger one that nests it), from one
/// pass over the rows: the smaller models' moments are sub-blocks of the largest's.
/// </summary>
internal static class AnovaCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = new Argument<string[]>("input")
        {
            Description = "The CSV input ('-' or none: standard input) and one formula (the sequential table) or two (a model, then a larger one nesting it)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        CommonOptions.RejectUnknownOptions(inputs);
        var model = new ModelOptions("anova");
        var weights = new InferenceOptions(covariance: false);
        var dialect = new DialectOptions();
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();
        var aliased = CommonOptions.Aliased();
        var command = new Command("anova", "Analysis of variance: the sequential (type I) table of one model, or the F test of a model against a larger one (R's anova).") { inputs };
        foreach (var option in model.All.Concat(weights.All).Concat(dialect.All).Append(aliased).Append(format).Append(output).Append(quiet))
        {
            command.Options.Add(option);
        }

        CommandRunner.SetAction(command, context, parse =>
        {
            var all = parse.GetValue(inputs) ?? [];
            var formulas = all.Where(CommonOptions.IsFormula).ToArray();
            var files = all.Where(a => !CommonOptions.IsFormula(a)).ToArray();
            if (formulas.Length > 2)
            {
                throw new UsageException(CliMessages.AnovaFormulas(formulas.Length));
            }

            if (files.Length > 1)
            {
                throw new UsageException(CliMessages.AnovaFiles(files));
            }

            ModelSpec spec;
            string? smaller = null;
            if (formulas.Length == 2)
            {
                var given = CommonOptions.Given(parse, model.All);
                if (given.Length > 0)
                {
                    throw new UsageException(CliMessages.FormulaWithColumnOptions(given[0]));
                }

                ModelSpec.CheckFormula(formulas[0]);
                ModelSpec.CheckFormula(formulas[1]);
                smaller = formulas[0];
                spec = new ModelSpec(null, null, Defaults.Degree, true) { Formula = formulas[1] };
            }
            else
            {
                (_, spec) = model.Read(parse, inputs);
            }

            return new AnovaSettings
            {
                File = files.SingleOrDefault(),
                Dialect = dialect.Read(parse),
                Model = spec,
                Smaller = smaller,
                Weights = weights.Read(parse).Weights,
                Format = Words.Format.Parse(parse.GetValue(format)),
                OutputPath = parse.GetValue(output),
                Quiet = parse.GetValue(quiet),
                DropAliased = Words.Aliased.Parse(parse.GetValue(aliased)) == AliasedPolicy.Na,
            };
        }, Execute);
        return command;
    }

    private static void Execute(AnovaSettings settings, CliContext context)
    {
        ResultWriter.CheckTargets(settings.OutputPath);
        var inference = new InferenceSettings(settings.Weights);
        using var source = RowSource.Open(settings.File, InferenceRows.ReadDialect(settings.Dialect, inference), context, intoState: settings.Weights is null);
        var big = source.Resolve(settings.Model);
        ModelTerms? small = null;
        if (settings.Smaller is { } smallerFormula)
        {
            small = source.Resolve(settings.Model with { Formula = smallerFormula }).Terms;
            // With factors the columns are known once the levels are: checked after the reading.
            if (!big.Terms.HasFactors && LeastSquares.Statistics.Anova.NestedFeatures(big.Terms, small, out var why) is null)
            {
                throw new UsageException(CliMessages.NotNested(smallerFormula, settings.Model.Formula!, why));
            }
        }

        RowState state;
        string? weightsName = null;
        if (settings.Weights is { } weights)
        {
            var (read, rows) = InferenceRows.Read(source, settings.File, settings.Dialect, settings.Model, FitMethod.Normal, inference, context);
            rows.Dispose();
            state = read;
            weightsName = source.Header[ModelColumns.Column(source.Csv, weights, "--weights")];
        }
        else
        {
            // Sums of squares do not depend on poly()'s basis: no second read for it.
            state = source.Read(big, FitMethod.Normal, showProgress: !settings.Quiet, polynomialFrames: false);
        }

        if (state.Skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(state.Skipped, source.DisplayName));
        }

        // Factors: R's model matrix of the big model (its columns grouped by term give the sequential
        // table, as anova.lm groups them by "assign"), and the small model coded over the same levels.
        var levels = state.State.Terms.Factors;
        var moments = state.Coded().Moments;
        if (small is { HasFactors: true })
        {
            small = small.WithLevels(small.Factors.Keys.Where(levels.ContainsKey).ToDictionary(k => k, k => levels[k])).Coded();
        }

        if (small is not null && big.Terms.HasFactors && LeastSquares.Statistics.Anova.NestedFeatures(moments.Terms, small, out var notNested) is null)
        {
            throw new UsageException(CliMessages.NotNested(settings.Smaller!, settings.Model.Formula!, notNested));
        }

        if (settings.DropAliased && Solver.Fit(moments, new SolverOptions { DropAliased = true, Covariance = false }).Warnings.OfType<AliasedCoefficients>().FirstOrDefault() is { } dropped)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.Warning(dropped));
        }

        var title = ResultFormatter.Formula(big.Terms);
        var report = small is null
            ? new AnovaReport(title, moments.Count, weightsName, LeastSquares.Statistics.Anova.Sequential(moments, Label, settings.DropAliased), null, state.Skipped)
            : new AnovaReport(settings.Smaller + " vs " + title, moments.Count, weightsName, null,
                LeastSquares.Statistics.Anova.Nested(moments, small, settings.Smaller!, settings.Model.Formula!, settings.DropAliased), state.Skipped);
        ResultWriter.Write(AnovaFormatter.Format(report, settings.Format), settings.OutputPath, context);
    }

    /// <summary>A term's name in the table: the formula's label, poly(x, N) for --degree, else the column.</summary>
    private static string Label(Term term) => term switch
    {
        FormulaTerm f => f.Label,
        OrthogonalPolyTerm o => o.Label,
        PowerTerm p when p.Degree > 1 => $"poly({p.Column}, {p.Degree})",
        _ => term.Names.Count == 1 ? term.Names[0] : string.Join(":", term.Names),
    };
}
