using System.CommandLine;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Options;

/// <summary>The options that state the model (a formula, --target, --features, --degree, --no-intercept), read into a <see cref="ModelSpec"/>.</summary>
internal sealed class ModelOptions(string command)
{
    /// <summary>The formula as a second positional argument (<c>lsq fit data.csv 'y ~ x'</c>).</summary>
    public Argument<string?> FormulaArgument { get; } = CommonOptions.FormulaArgument(command);

    public Option<string?> Formula { get; } = CommonOptions.Formula();

    public Option<string?> Target { get; } = CommonOptions.Target();

    public Option<string?> Features { get; } = CommonOptions.Features();

    public Option<string?> Exclude { get; } = CommonOptions.Exclude();

    public Option<int> Degree { get; } = CommonOptions.Degree();

    public Option<bool> NoIntercept { get; } = CommonOptions.NoIntercept();

    /// <summary>The options in help order.</summary>
    public Option[] All => [Formula, Target, Features, Exclude, Degree, NoIntercept];

    /// <summary>
    /// The input file and the model: a formula from -F or a positional argument containing <c>~</c>
    /// (a first positional one so is the formula, the input then being standard input), otherwise
    /// the columns of -x/-y and --degree.
    /// </summary>
    public (string? File, ModelSpec Spec) Read(ParseResult parse, Argument<string?> file)
    {
        var path = parse.GetValue(file);
        var positional = parse.GetValue(FormulaArgument);
        if (positional is null && path is not null && IsFormula(path))
        {
            (path, positional) = (null, path);
        }

        return (path, Spec(parse, positional));
    }

    /// <summary>
    /// The input files and the model (lsq fit): an argument containing <c>~</c> is the formula
    /// (at most one, and not beside -F); the others are the files, read as one.
    /// </summary>
    public (IReadOnlyList<string> Files, ModelSpec Spec) Read(ParseResult parse, Argument<string[]> files)
    {
        var all = parse.GetValue(files) ?? [];
        var formulas = all.Where(IsFormula).ToArray();
        if (formulas.Length > 1)
        {
            throw new UsageException(CliMessages.FormulaArguments(formulas));
        }

        return ([.. all.Where(a => !IsFormula(a))], Spec(parse, formulas.SingleOrDefault()));
    }

    private static bool IsFormula(string argument) => CommonOptions.IsFormula(argument);

    private ModelSpec Spec(ParseResult parse, string? positional)
    {
        var option = parse.GetValue(Formula);
        if (positional is not null && option is not null)
        {
            throw new UsageException(CliMessages.FormulaTwice);
        }

        var formula = positional ?? option;
        var spec = new ModelSpec(parse.GetValue(Target), CommonOptions.ParseList(parse.GetValue(Features), "--features"), parse.GetValue(Degree), !parse.GetValue(NoIntercept),
            CommonOptions.ParseList(parse.GetValue(Exclude), "--exclude"));
        if (formula is null)
        {
            return spec;
        }

        var given = CommonOptions.Given(parse, [Target, Features, Degree, NoIntercept]);
        if (given.Length > 0)
        {
            throw new UsageException(CliMessages.FormulaWithColumnOptions(given[0]));
        }

        ModelSpec.CheckFormula(formula);
        return spec with { Formula = formula };
    }
}

/// <summary>The options that say how the CSV is written (--delimiter, --no-header and, where it applies, --missing), read into a <see cref="CsvDialect"/>.</summary>
internal sealed class DialectOptions(bool offersSkip = true)
{
    public Option<string?> Delimiter { get; } = CommonOptions.Delimiter();

    public Option<string?> Decimal { get; } = CommonOptions.Decimal();

    public Option<bool> NoHeader { get; } = CommonOptions.NoHeader();

    /// <summary>--missing; null for a command that must keep every row (predict).</summary>
    public Option<string>? Missing { get; } = offersSkip ? CommonOptions.Missing() : null;

    public Option<string?> NaValues { get; } = CommonOptions.NaValues();

    /// <summary>The options in help order.</summary>
    public Option[] All => Missing is null ? [Delimiter, Decimal, NoHeader, NaValues] : [Delimiter, Decimal, NoHeader, Missing, NaValues];

    public CsvDialect Read(ParseResult parse) => new()
    {
        Delimiter = CommonOptions.ParseDelimiter(parse.GetValue(Delimiter)),
        DecimalComma = CommonOptions.ParseDecimal(parse.GetValue(Decimal), CommonOptions.ParseDelimiter(parse.GetValue(Delimiter))),
        HasHeader = !parse.GetValue(NoHeader),
        Missing = Missing is null ? Defaults.Missing : Words.Missing.Parse(parse.GetValue(Missing)),
        OffersSkip = Missing is not null,
        NaValues = parse.GetValue(NaValues) is { } list ? list.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray() : Defaults.NaValues,
    };
}
