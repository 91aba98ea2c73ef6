namespace LeastSquares.Cli.Input;

/// <summary>What to do with an empty cell in a column the model uses.</summary>
internal enum MissingPolicy
{
    /// <summary>Stop with an input error naming the cell.</summary>
    Error,

    /// <summary>Leave the row out and count it; the count is reported.</summary>
    Skip,

    /// <summary>
    /// predict only: keep the row, its missing values read as NaN, and write NA for its prediction
    /// (R's predict.lm, which passes NA through for new data); the count is reported.
    /// </summary>
    Na,
}

/// <summary>How a CSV file is written.</summary>
internal sealed record CsvDialect
{
    /// <summary>Field separator; null picks ',' or, for a .tsv file, tab.</summary>
    public char? Delimiter { get; init; }

    public bool HasHeader { get; init; } = true;

    public MissingPolicy Missing { get; init; } = Options.Defaults.Missing;

    /// <summary>Cell texts that mean a missing value besides the empty cell (--na-values; R's <c>NA</c> by default).</summary>
    public IReadOnlyList<string> NaValues { get; init; } = Options.Defaults.NaValues;

    /// <summary>Whether the command has --missing skip, so that an empty-cell error may suggest it.</summary>
    public bool OffersSkip { get; init; } = true;

    /// <summary>Whether the command has --missing na (predict), so that a missing-cell error may suggest it.</summary>
    public bool OffersNa { get; init; }

    /// <summary>Whether numbers are written with a decimal comma (--decimal ,: R's write.csv2 and European exports).</summary>
    public bool DecimalComma { get; init; }

    public char DelimiterFor(string? path) =>
        Delimiter ?? (DecimalComma ? ';' : path is not null && path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',');
}

/// <summary>Outcome of reading one row.</summary>
internal enum RowStatus
{
    Row,
    Skipped,

    /// <summary>An empty line: not a row of data (fit ignores it, predict echoes it to keep its output aligned).</summary>
    Blank,
    End,
}
