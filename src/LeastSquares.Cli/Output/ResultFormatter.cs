using System.Buffers;
using System.Text;
using System.Text.Json;
using LeastSquares;
using LeastSquares.Cli.Options;

namespace LeastSquares.Cli.Output;

/// <summary>What a formatter needs: the fit, its statistics, and facts about the run.</summary>
internal sealed record FitReport(FitResult Fit, RegressionStatistics Statistics, bool Summary, long SkippedRows, string? Weights = null);

/// <summary>Writes a fit as a table, JSON (fixed schema) or CSV.</summary>
internal static class ResultFormatter
{
    public static string Format(FitReport report, OutputFormat format) => format switch
    {
        OutputFormat.Json => Json(report),
        OutputFormat.Csv => Csv(report),
        OutputFormat.Tsv => Csv(report, '\t'),
        _ => Table(report),
    };

    /// <summary>The method's name for people.</summary>
    public static string Method(FitResult fit) => Words.LongName(fit.Method);

    /// <summary>The model in R's notation: <c>y ~ x1 + x2</c>, <c>y ~ poly(x, 3)</c>, <c>y ~ x - 1</c>.</summary>
    public static string Formula(ModelTerms terms)
    {
        if (terms.Formula is { } formula)
        {
            return formula;
        }

        var rhs = terms.IsPolynomial
            ? $"poly({terms.Predictors[0]}, {terms.Degree})"
            : string.Join(" + ", terms.Predictors);
        return terms.Target + " ~ " + rhs + (terms.Intercept ? "" : " - 1");
    }

    public static string Table(FitReport report)
    {
        var fit = report.Fit;
        var stats = report.Statistics;
        var sb = new StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Formula(fit.Terms)}   ({Method(fit)}, {Numbers.Integer(fit.Count)} rows)\n\n");
        var header = report.Summary
            ? new[] { "term", "estimate", "std_error", "t", "p_value", "ci_low", "ci_high" }
            : new[] { "term", "estimate" };
        var rows = new List<string[]> { header };
        foreach (var c in stats.Coefficients)
        {
            rows.Add(report.Summary
                ? [c.Term, Estimate(c.Estimate), Numbers.Human(c.StandardError), Numbers.Human(c.T), PValue(c.PValue),
                    Numbers.Human(c.ConfidenceLow), Numbers.Human(c.ConfidenceHigh)]
                : [c.Term, Estimate(c.Estimate)]);
        }

        var widths = Enumerable.Range(0, header.Length).Select(j => rows.Max(r => r[j].Length)).ToArray();
        foreach (var r in rows)
        {
            var cells = r.Select((cell, j) => j == 0 ? cell.PadRight(widths[j]) : cell.PadLeft(widths[j]));
            sb.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }

        sb.Append('\n');
        var facts = new List<(string, string)>
        {
            ("mse", Numbers.Human(fit.MeanSquaredError)),
        };
        if (fit.Penalty is { } penalty)
        {
            facts.Add(("penalty", penalty.Kind + (penalty.Kind == "elasticnet" ? $" (l1_ratio {Numbers.Human(penalty.L1Ratio)})" : "")
                + (penalty.Standardize ? ", standardized columns" : ", raw columns")));
            facts.Add(("lambda", Numbers.Human(penalty.Lambda)));
            if (fit.CrossValidation is { } cv)
            {
                facts.Add(("lambda_min", Numbers.Human(cv.LambdaMin)));
                facts.Add(("lambda_1se", Numbers.Human(cv.Lambda1Se)));
                facts.Add(("cv_mse", $"{Numbers.Human(cv.Path[cv.Best].CvMse)} ± {Numbers.Human(cv.Path[cv.Best].CvSe)} ({cv.Folds} folds, {cv.Path.Count} λ)"));
            }

            facts.Add(("df", $"{Numbers.Integer(fit.NonZero ?? 0)} non-zero slopes (no standard errors or p-values: they are not valid for a penalized fit)"));
        }

        if (fit.Iterations is { } it)
        {
            facts.Add(("iterations", Numbers.Integer(it)));
            facts.Add(("converged", fit.Converged ? "yes" : "no"));
        }

        if (report.Summary)
        {
            facts.Add(("rmse", Numbers.Human(Math.Sqrt(fit.MeanSquaredError))));
            facts.Add(("residual_std_error", $"{Numbers.Human(stats.ResidualStandardError)} on {Numbers.Integer(stats.ResidualDegreesOfFreedom)} degrees of freedom"));
            facts.Add(("r_squared", Numbers.Human(stats.RSquared) + (fit.Terms.Intercept ? "" : " (uncentred: no intercept)")));
            facts.Add(("adj_r_squared", Numbers.Human(stats.AdjustedRSquared)));
            facts.Add(("f_statistic", stats.FStatistic is { } f
                ? $"{Numbers.Human(f)} on {stats.FNumeratorDf} and {Numbers.Integer(stats.ResidualDegreesOfFreedom)} DF, p-value {PValue(stats.FPValue)}"
                : "NA"));
            facts.Add(("aic", Numbers.Human(stats.Aic)));
            facts.Add(("bic", Numbers.Human(stats.Bic)));
            facts.Add(("condition_number", Numbers.Human(fit.ConditionNumber)));
            if (stats.CovarianceType != "classical")
            {
                facts.Add(("vcov", stats.CovarianceType + " (standard errors, t, p, intervals and a Wald F)"));
            }
        }

        if (report.Weights is { } weights)
        {
            facts.Add(("weights", weights));
        }

        if (report.SkippedRows > 0)
        {
            facts.Add(("skipped_rows", Numbers.Integer(report.SkippedRows)));
        }

        int w = facts.Max(f => f.Item1.Length);
        foreach (var (k, v) in facts)
        {
            sb.Append(k.PadRight(w)).Append("  ").Append(v).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>An estimate; NA for an aliased coefficient (NaN, as R prints it).</summary>
    private static string Estimate(double b) => double.IsNaN(b) ? "NA" : Numbers.Human(b);

    internal static string PValue(double? p) => p switch
    {
        null => "NA",
        0 => "<1e-308", // below the smallest double: the exact value underflows
        { } v => v.ToString(v < 1e-4 ? "0.##e+0" : "G4", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Json(FitReport report)
    {
        var fit = report.Fit;
        var stats = report.Statistics;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("method", fit.Method);
            w.WriteString("target", fit.Terms.ResponseName);
            w.WriteNumber("n", fit.Count);
            w.WriteNumber("p", fit.CoefficientCount);
            w.WriteStartArray("coefficients");
            foreach (var c in stats.Coefficients)
            {
                w.WriteStartObject();
                w.WriteString("term", c.Term);
                JsonFields.Number(w, "estimate", c.Estimate);
                JsonFields.Number(w, "std_error", c.StandardError);
                JsonFields.Number(w, "t", c.T);
                JsonFields.Number(w, "p_value", c.PValue);
                JsonFields.Number(w, "ci_low", c.ConfidenceLow);
                JsonFields.Number(w, "ci_high", c.ConfidenceHigh);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            JsonFields.Number(w, "mse", fit.MeanSquaredError);
            JsonFields.Number(w, "rmse", Math.Sqrt(fit.MeanSquaredError));
            JsonFields.Number(w, "r_squared", stats.RSquared);
            JsonFields.Number(w, "adj_r_squared", stats.AdjustedRSquared);
            JsonFields.Number(w, "residual_std_error", stats.ResidualStandardError);
            w.WriteNumber("df_residual", stats.ResidualDegreesOfFreedom);
            JsonFields.Number(w, "f_statistic", stats.FStatistic);
            JsonFields.Number(w, "f_p_value", stats.FPValue);
            JsonFields.Number(w, "log_likelihood", stats.LogLikelihood);
            JsonFields.Number(w, "aic", stats.Aic);
            JsonFields.Number(w, "bic", stats.Bic);
            JsonFields.Number(w, "condition_number", fit.ConditionNumber);
            w.WriteString("vcov_type", stats.CovarianceType);
            if (report.Weights is { } weights)
            {
                w.WriteString("weights", weights);
            }
            else
            {
                w.WriteNull("weights");
            }

            JsonFields.Integer(w, "iterations", fit.Iterations);
            if (fit.Penalty is { } penalty)
            {
                WritePenalty(w, fit, penalty);
            }

            w.WriteBoolean("converged", fit.Converged);
            w.WriteNumber("skipped_rows", report.SkippedRows);
            w.WriteStartArray("warnings");
            if (report.SkippedRows > 0)
            {
                w.WriteStringValue(CliMessages.SkippedRows(report.SkippedRows, null));
            }

            foreach (var warning in fit.Warnings)
            {
                w.WriteStringValue(CliMessages.Warning(warning));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>The header of the one-row-per-term csv/tsv.</summary>
    public static IReadOnlyList<string> CsvHeader(bool summary) =>
        summary ? ["term", "estimate", "std_error", "t", "p_value", "ci_low", "ci_high"] : ["term", "estimate"];

    /// <summary>One row per term, fields separated by <paramref name="separator"/> (',' for csv, tab for tsv).</summary>
    public static string Csv(FitReport report, char separator = ',')
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(separator, CsvHeader(report.Summary))).Append('\n');
        foreach (var row in CsvRows(report))
        {
            sb.Append(string.Join(separator, row.Select(f => Field(f, separator)))).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The rows of the one-row-per-term csv/tsv, as texts (empty for a value that is not finite).</summary>
    public static IEnumerable<string[]> CsvRows(FitReport report)
    {
        foreach (var c in report.Statistics.Coefficients)
        {
            yield return report.Summary
                ? [c.Term, Cell(c.Estimate), Cell(c.StandardError), Cell(c.T), Cell(c.PValue), Cell(c.ConfidenceLow), Cell(c.ConfidenceHigh)]
                : [c.Term, Cell(c.Estimate)];
        }
    }

    /// <summary>A field of csv (RFC 4180 quoting) or tsv (the same quoting when the text holds a tab, quote or line break).</summary>
    public static string Field(string text, char separator) =>
        text.AsSpan().IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    internal static string Cell(double? v) => v is { } x && double.IsFinite(x) ? Numbers.RoundTrip(x) : "";

    /// <summary>RFC 4180 quoting when the text needs it.</summary>
    public static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    /// <summary>The penalty's fields of the JSON output: its kind, λ, df, and with --lambda auto the cross-validated path.</summary>
    private static void WritePenalty(Utf8JsonWriter w, FitResult fit, LeastSquares.Loss.Penalty penalty)
    {
        w.WriteString("penalty", penalty.Kind);
        JsonFields.Number(w, "lambda", penalty.Lambda);
        JsonFields.Number(w, "l1_ratio", penalty.L1Ratio);
        w.WriteString("scale", penalty.Standardize ? "standard" : "none");
        JsonFields.Integer(w, "df", fit.NonZero);
        if (fit.CrossValidation is not { } cv)
        {
            return;
        }

        JsonFields.Number(w, "lambda_min", cv.LambdaMin);
        JsonFields.Number(w, "lambda_1se", cv.Lambda1Se);
        w.WriteNumber("folds", cv.Folds);
        w.WriteStartArray("path");
        foreach (var point in cv.Path)
        {
            w.WriteStartObject();
            JsonFields.Number(w, "lambda", point.Lambda);
            w.WriteNumber("df", point.NonZero);
            JsonFields.Number(w, "cv_mse", point.CvMse);
            JsonFields.Number(w, "cv_se", point.CvSe);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
