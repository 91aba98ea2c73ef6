namespace LeastSquares.Cli.Output;

/// <summary>Formats of results on stdout.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Csv,
    Tsv,
}
