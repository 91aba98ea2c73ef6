using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeastSquares.Cli.Output;

/// <summary>An analysis of variance to print: the sequential table of one model, or the comparison of two nested ones.</summary>
internal sealed record AnovaReport(string Title, long Rows, string? Weights, IReadOnlyList<AnovaTermRow>? Terms, IReadOnlyList<AnovaModelRow>? Models, long SkippedRows);

/// <summary>Writes an analysis of variance as a table, CSV or JSON.</summary>
internal static class AnovaFormatter
{
    public static string Format(AnovaReport report, OutputFormat format) => format switch
    {
        OutputFormat.Json => Json(report),
        OutputFormat.Csv => Csv(report),
        _ => Table(report),
    };

    private static string[] Header(AnovaReport report) => report.Terms is not null
        ? ["term", "df", "sum_sq", "mean_sq", "f", "p_value"]
        : ["model", "df_residual", "rss", "df", "sum_sq", "f", "p_value"];

    private static string Df(long? v) => v is { } x ? Numbers.Integer(x) : "";

    public static string Table(AnovaReport report)
    {
        var rows = new List<string[]> { Header(report) };
        if (report.Terms is { } terms)
        {
            rows.AddRange(terms.Select(r => new[]
            {
                r.Term, Numbers.Integer(r.Df), Numbers.Human(r.SumSq), Numbers.Human(r.MeanSq),
                r.F is null ? "" : Numbers.Human(r.F), r.PValue is null ? "" : ResultFormatter.PValue(r.PValue),
            }));
        }
        else
        {
            rows.AddRange(report.Models!.Select(r => new[]
            {
                r.Model, Numbers.Integer(r.DfResidual), Numbers.Human(r.Rss), Df(r.Df), r.SumSq is null ? "" : Numbers.Human(r.SumSq),
                r.F is null ? "" : Numbers.Human(r.F), r.PValue is null ? "" : ResultFormatter.PValue(r.PValue),
            }));
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{report.Title}   ({Numbers.Integer(report.Rows)} rows{(report.Weights is { } w ? ", weights " + w : "")})\n\n");
        int columns = rows[0].Length;
        var widths = Enumerable.Range(0, columns).Select(j => rows.Max(r => r[j].Length)).ToArray();
        foreach (var r in rows)
        {
            var cells = r.Select((cell, j) => j == 0 ? cell.PadRight(widths[j]) : cell.PadLeft(widths[j]));
            sb.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }

        if (report.SkippedRows > 0)
        {
            sb.Append('\n').Append("skipped_rows  ").Append(Numbers.Integer(report.SkippedRows)).Append('\n');
        }

        return sb.ToString();
    }

    public static string Csv(AnovaReport report)
    {
        var sb = new StringBuilder(string.Join(",", Header(report))).Append('\n');
        if (report.Terms is { } terms)
        {
            foreach (var r in terms)
            {
                sb.Append(ResultFormatter.CsvField(r.Term)).Append(',').Append(Numbers.Integer(r.Df)).Append(',')
                    .Append(ResultFormatter.Cell(r.SumSq)).Append(',').Append(ResultFormatter.Cell(r.MeanSq)).Append(',')
                    .Append(ResultFormatter.Cell(r.F)).Append(',').Append(ResultFormatter.Cell(r.PValue)).Append('\n');
            }
        }
        else
        {
            foreach (var r in report.Models!)
            {
                sb.Append(ResultFormatter.CsvField(r.Model)).Append(',').Append(Numbers.Integer(r.DfResidual)).Append(',')
                    .Append(ResultFormatter.Cell(r.Rss)).Append(',').Append(Df(r.Df)).Append(',').Append(ResultFormatter.Cell(r.SumSq)).Append(',')
                    .Append(ResultFormatter.Cell(r.F)).Append(',').Append(ResultFormatter.Cell(r.PValue)).Append('\n');
            }
        }

        return sb.ToString();
    }

    public static string Json(AnovaReport report)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("anova", report.Terms is not null ? "sequential" : "nested");
            w.WriteString("model", report.Title);
            w.WriteNumber("n", report.Rows);
            if (report.Weights is { } weights)
            {
                w.WriteString("weights", weights);
            }
            else
            {
                w.WriteNull("weights");
            }

            w.WriteStartArray("rows");
            if (report.Terms is { } terms)
            {
                foreach (var r in terms)
                {
                    w.WriteStartObject();
                    w.WriteString("term", r.Term);
                    w.WriteNumber("df", r.Df);
                    JsonFields.Number(w, "sum_sq", r.SumSq);
                    JsonFields.Number(w, "mean_sq", r.MeanSq);
                    JsonFields.Number(w, "f", r.F);
                    JsonFields.Number(w, "p_value", r.PValue);
                    w.WriteEndObject();
                }
            }
            else
            {
                foreach (var r in report.Models!)
                {
                    w.WriteStartObject();
                    w.WriteString("model", r.Model);
                    w.WriteNumber("df_residual", r.DfResidual);
                    JsonFields.Number(w, "rss", r.Rss);
                    JsonFields.Integer(w, "df", r.Df);
                    JsonFields.Number(w, "sum_sq", r.SumSq);
                    JsonFields.Number(w, "f", r.F);
                    JsonFields.Number(w, "p_value", r.PValue);
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            w.WriteNumber("skipped_rows", report.SkippedRows);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
