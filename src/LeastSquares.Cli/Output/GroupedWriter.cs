using System.Buffers;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Options;

namespace LeastSquares.Cli.Output;

/// <summary>
/// The output of one fit per group (--by), and the one-row-per-model shape (--wide): JSON Lines
/// with the group first, csv/tsv with the group columns first on every row, a table block per group.
/// </summary>
internal static class GroupedWriter
{
    /// <summary>The model facts of a --wide row, before one column per coefficient.</summary>
    private static readonly string[] WideFacts = ["n", "mse", "rmse", "r_squared", "adj_r_squared"];

    private static readonly string[] ErrorColumn = ["error"];

    /// <summary>Formats every group's fit as asked, saves the model file of every group when asked, and writes the text.</summary>
    /// <paramref name="weights"/>: the column of a weighted fit's weights (--weights), named in each group's output.
    public static void Print(IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, SolveSettings settings, CliContext context, string? weights = null)
    {
        var reports = fits.Select(f => f.Fit is { } fit
            ? new FitReport(fit, RegressionStatistics.Compute(fit, settings.Level, f.Robust), settings.Summary, f.Skipped, weights)
            : null).ToList();
        var text = settings.Format switch
        {
            OutputFormat.Json => Json(by, fits, reports),
            OutputFormat.Csv or OutputFormat.Tsv when settings.Wide => Wide(by, fits, reports, Separator(settings.Format)),
            OutputFormat.Csv or OutputFormat.Tsv => Long(by, fits, reports, settings.Summary, Separator(settings.Format)),
            _ => Table(by, fits, reports),
        };
        if (settings.SavePath is { } savePath)
        {
            GroupedModelFile.Write(savePath, by, fits, reports);
        }

        ResultWriter.Write(text, settings.OutputPath, context);
    }

    public static char Separator(OutputFormat format) => format == OutputFormat.Tsv ? '\t' : ',';

    /// <summary>One JSON object per group per line: "group" first, then the fields of <c>lsq fit -f json</c>; or "n", "skipped_rows" and "error".</summary>
    private static string Json(IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, List<FitReport?> reports)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < fits.Count; i++)
        {
            var f = fits[i];
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                WriteGroup(w, by, f.Values);
                if (f.Error is not null)
                {
                    w.WriteNumber("n", f.Count);
                    w.WriteNumber("skipped_rows", f.Skipped);
                    w.WriteString("error", f.Error);
                }

                w.WriteEndObject();
            }

            var head = Encoding.UTF8.GetString(buffer.WrittenSpan);
            if (reports[i] is { } report)
            {
                // The fit's own object, with the group spliced in as its first field.
                var fit = ResultFormatter.Json(report);
                sb.Append(head, 0, head.Length - 1).Append(',').Append(fit, 1, fit.Length - 1);
            }
            else
            {
                sb.Append(head).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>Writes <c>"group": {"column": "value", …}</c>.</summary>
    public static void WriteGroup(Utf8JsonWriter w, IReadOnlyList<string> by, IReadOnlyList<string> values)
    {
        w.WriteStartObject("group");
        for (int j = 0; j < by.Count; j++)
        {
            w.WriteString(by[j], values[j]);
        }

        w.WriteEndObject();
    }

    /// <summary>One row per term, the group columns first and an "error" column last (empty unless the group has no fit).</summary>
    private static string Long(IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, List<FitReport?> reports, bool summary, char separator)
    {
        var header = ResultFormatter.CsvHeader(summary);
        var sb = new StringBuilder();
        Line(sb, [.. by, .. header, "error"], separator);
        for (int i = 0; i < fits.Count; i++)
        {
            if (reports[i] is { } report)
            {
                foreach (var row in ResultFormatter.CsvRows(report))
                {
                    Line(sb, [.. fits[i].Values, .. row, ""], separator);
                }
            }
            else
            {
                Line(sb, [.. fits[i].Values, .. header.Select(_ => ""), fits[i].Error!], separator);
            }
        }

        return sb.ToString();
    }

    /// <summary>The one-row-per-model shape of a single fit (--wide without --by).</summary>
    public static string Wide(FitReport report, char separator) =>
        Wide([], [new GroupFit([], report.Fit, null, report.SkippedRows, report.Fit.Count, null)], [report], separator);

    /// <summary>
    /// One row per model: the group columns (with --by), n, mse, rmse, r_squared, adj_r_squared,
    /// one column per coefficient, and with --by an "error" column.
    /// </summary>
    private static string Wide(IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, List<FitReport?> reports, char separator)
    {
        var terms = reports.FirstOrDefault(r => r is not null)?.Fit.Terms.TermNames ?? [];
        bool grouped = by.Count > 0;
        var sb = new StringBuilder();
        Line(sb, [.. by, .. WideFacts, .. terms, .. grouped ? ErrorColumn : []], separator);
        for (int i = 0; i < fits.Count; i++)
        {
            var f = fits[i];
            var cells = new List<string>(f.Values);
            if (reports[i] is { } report)
            {
                var fit = report.Fit;
                var stats = report.Statistics;
                cells.Add(Numbers.Integer(fit.Count));
                cells.Add(ResultFormatter.Cell(fit.MeanSquaredError));
                cells.Add(ResultFormatter.Cell(Math.Sqrt(fit.MeanSquaredError)));
                cells.Add(ResultFormatter.Cell(stats.RSquared));
                cells.Add(ResultFormatter.Cell(stats.AdjustedRSquared));
                cells.AddRange(stats.Coefficients.Select(c => ResultFormatter.Cell(c.Estimate)));
                if (grouped)
                {
                    cells.Add("");
                }
            }
            else
            {
                cells.Add(Numbers.Integer(f.Count));
                cells.AddRange(Enumerable.Repeat("", WideFacts.Length - 1 + terms.Count));
                cells.Add(f.Error!);
            }

            Line(sb, cells, separator);
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, IEnumerable<string> fields, char separator) =>
        sb.Append(string.Join(separator, fields.Select(f => ResultFormatter.Field(f, separator)))).Append('\n');

    /// <summary>A block per group: the group on its own line, then the table of its fit (or its error).</summary>
    private static string Table(IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, List<FitReport?> reports)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < fits.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            var f = fits[i];
            sb.Append("== ").Append(string.Join(", ", by.Select((name, j) => name + " = " + f.Values[j]))).Append(" ==\n");
            sb.Append(reports[i] is { } report
                ? ResultFormatter.Table(report)
                : $"error  {f.Error}\n");
        }

        return sb.ToString();
    }
}
