using System.CommandLine;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Options;

/// <summary>The options that state the model (--target, --features, --degree, --no-intercept), read into a <see cref="ModelSpec"/>.</summary>
internal sealed class ModelOptions
{
    public Option<string?> Target { get; } = CommonOptions.Target();

    public Option<string?> Features { get; } = CommonOptions.Features();

    public Option<string?> Exclude { get; } = CommonOptions.Exclude();

    public Option<int> Degree { get; } = CommonOptions.Degree();

    public Option<bool> NoIntercept { get; } = CommonOptions.NoIntercept();

    /// <summary>The options in help order.</summary>
    public Option[] All => [Target, Features, Exclude, Degree, NoIntercept];

    public ModelSpec Read(ParseResult parse) =>
        new(parse.GetValue(Target), CommonOptions.ParseList(parse.GetValue(Features), "--features"), parse.GetValue(Degree), !parse.GetValue(NoIntercept),
            CommonOptions.ParseList(parse.GetValue(Exclude), "--exclude"));
}

/// <summary>The options that say how the CSV is written (--delimiter, --no-header and, where it applies, --missing), read into a <see cref="CsvDialect"/>.</summary>
internal sealed class DialectOptions(bool offersSkip = true)
{
    public Option<string?> Delimiter { get; } = CommonOptions.Delimiter();

    public Option<bool> NoHeader { get; } = CommonOptions.NoHeader();

    /// <summary>--missing; null for a command that must keep every row (predict).</summary>
    public Option<string>? Missing { get; } = offersSkip ? CommonOptions.Missing() : null;

    /// <summary>The options in help order.</summary>
    public Option[] All => Missing is null ? [Delimiter, NoHeader] : [Delimiter, NoHeader, Missing];

    public CsvDialect Read(ParseResult parse) => new()
    {
        Delimiter = CommonOptions.ParseDelimiter(parse.GetValue(Delimiter)),
        HasHeader = !parse.GetValue(NoHeader),
        Missing = Missing is null ? Defaults.Missing : Words.Missing.Parse(parse.GetValue(Missing)),
        OffersSkip = Missing is not null,
    };
}
