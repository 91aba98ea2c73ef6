using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>Models stated as R formulas: against R's lm() (tests/reference/r/lm.json), each operator end to end, errors, files.</summary>
public sealed class FormulaModelTests
{
    /// <summary>The unweighted cases of lm.json that lsq fits today (no factors).</summary>
    public static TheoryData<string> RunnableCases => new()
    {
        "mtcars_wt_hp", "mtcars_wt_x_hp", "mtcars_poly2_raw", "mtcars_dot", "airquality_ozone", "chickweight_time_diet_numeric",
        "orange_age", "longley_dot", "cars_quadratic", "swiss_dot", "stackloss_dot", "women_weight", "faithful_eruptions",
        "mtcars_poly3", "cars_poly5", "trees_poly_girth_height", "longley_poly_year5", "mtcars_poly2_noint", "mtcars_log", "trees_loglog",
    };

    /// <summary>The cases above with new rows: lsq predict with the saved model against R's predict().</summary>
    public static TheoryData<string> PredictCases => new()
    {
        "mtcars_poly3", "cars_poly5", "trees_poly_girth_height", "mtcars_log", "trees_loglog", "mtcars_wt_x_hp",
    };

    [Theory]
    [MemberData(nameof(RunnableCases))]
    public void Matches_r_lm_to_at_least_ten_digits(string id) => MatchesR(id, null);

    /// <summary>The same data as R's other writers write it: write.table (row names under no header field, by ',' or by space) and write.csv2.</summary>
    [Theory]
    [InlineData("mtcars_wt_hp", "mtcars.write-table.csv")]
    [InlineData("mtcars_dot", "mtcars.write-table.csv")]
    [InlineData("mtcars_poly3", "mtcars.write-csv2.csv", "--decimal", ",")]
    [InlineData("mtcars_dot", "mtcars.write-csv2.csv", "--decimal", ",")]
    [InlineData("trees_loglog", "trees.write-table.txt", "--delimiter", " ")]
    public void Files_of_rs_other_writers_match_r_lm(string id, string file, params string[] options) => MatchesR(id, file, options);

    private static void MatchesR(string id, string? file, params string[] options)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "lm.json")));
        var c = reference.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        var data = file is null ? Path.Combine(Lsq.RepoRoot, c.GetProperty("data_file").GetString()!) : Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", file);
        var r = Lsq.Run(["fit", data, c.GetProperty("formula").GetString()!, "-f", "json", "--missing", "skip", .. options]);
        Assert.True(r.Code == 0, r.Err);
        using var mine = JsonDocument.Parse(r.Out);
        var m = mine.RootElement;
        var rc = c.GetProperty("coefficients");
        var names = rc.GetProperty("names").EnumerateArray().Select(n => n.GetString() == "(Intercept)" ? "(intercept)" : n.GetString()).ToArray();
        var coefficients = m.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(names, coefficients.Select(e => e.GetProperty("term").GetString()).ToArray());
        double worst = 17;
        void Check(double actual, double expected, string what)
        {
            double digits = actual == expected ? 17 : -Math.Log10(Math.Abs(actual - expected) / Math.Abs(expected));
            Assert.True(digits >= 10, $"{id} {what}: {actual:R} against R's {expected:R} ({digits:F1} digits)");
            worst = Math.Min(worst, digits);
        }

        for (int k = 0; k < names.Length; k++)
        {
            Check(coefficients[k].GetProperty("estimate").GetDouble(), rc.GetProperty("estimate")[k].GetDouble(), names[k] + " estimate");
            Check(coefficients[k].GetProperty("std_error").GetDouble(), rc.GetProperty("std_error")[k].GetDouble(), names[k] + " std error");
            Check(coefficients[k].GetProperty("t").GetDouble(), rc.GetProperty("t_value")[k].GetDouble(), names[k] + " t");
            Check(coefficients[k].GetProperty("p_value").GetDouble(), rc.GetProperty("p_value")[k].GetDouble(), names[k] + " p");
        }

        foreach (var (a, b) in new[] { ("residual_std_error", "sigma"), ("r_squared", "r_squared"), ("adj_r_squared", "adj_r_squared"), ("log_likelihood", "loglik"), ("aic", "aic"), ("bic", "bic") })
        {
            Check(m.GetProperty(a).GetDouble(), c.GetProperty(b).GetDouble(), a);
        }

        Check(m.GetProperty("f_statistic").GetDouble(), c.GetProperty("fstatistic").GetProperty("value").GetDouble(), "F");
        Assert.Equal(c.GetProperty("n").GetInt64(), m.GetProperty("n").GetInt64());
    }

    [Theory]
    [MemberData(nameof(PredictCases))]
    public void Saved_models_predict_new_rows_as_r_predict_does(string id)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "lm.json")));
        var c = reference.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        var data = Path.Combine(Lsq.RepoRoot, c.GetProperty("data_file").GetString()!);
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", data, c.GetProperty("formula").GetString()!, "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var predict = c.GetProperty("predict");
        var p = Lsq.Run("predict", "--model", model, Path.Combine(Lsq.RepoRoot, predict.GetProperty("newdata_file").GetString()!));
        Assert.True(p.Code == 0, p.Err);
        var lines = p.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = predict.GetProperty("fit").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var rowNames = predict.GetProperty("row_names").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(expected.Length + 1, lines.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(rowNames[i], cells[0].Trim('"'));
            double actual = double.Parse(cells[^1], CultureInfo.InvariantCulture);
            double digits = actual == expected[i] ? 17 : -Math.Log10(Math.Abs(actual - expected[i]) / Math.Abs(expected[i]));
            Assert.True(digits >= 10, $"{id} row {i + 1}: {actual:R} against R's {expected[i]:R} ({digits:F1} digits)");
        }
    }

    private const string Data = "x1,x2,y\n1,2,3.5\n2,3,4.1\n3,5,7.9\n4,4,8.2\n5,7,12.8\n6,6,13.1\n7,9,17.6\n8,8,18.9\n";

    /// <summary>The coefficients of a formula fit, by name.</summary>
    private static Dictionary<string, double> Fit(string csv, params string[] args)
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", csv);
        var r = Lsq.Run(["fit", file, .. args, "-f", "json"]);
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.GetProperty("coefficients").EnumerateArray()
            .ToDictionary(e => e.GetProperty("term").GetString()!, e => e.GetProperty("estimate").GetDouble());
    }

    /// <summary>The same fit through precomputed columns and -x, the reference for each operator.</summary>
    private static void SameAsColumns(string formula, string[] names, Func<double, double, double[]> features)
    {
        var lines = Data.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        var csv = "c" + string.Join(",c", Enumerable.Range(0, names.Length)) + ",y\n"
            + string.Concat(lines.Select(v => string.Join(",", features(v[0], v[1]).Append(v[2]).Select(d => d.ToString("R", CultureInfo.InvariantCulture))) + "\n"));
        var expected = Fit(csv, "-y", "y");
        var actual = Fit(Data, formula);
        Assert.Equal(["(intercept)", .. names], actual.Keys.ToArray());
        Assert.Equal(expected["(intercept)"], actual["(intercept)"], 1e-9);
        for (int j = 0; j < names.Length; j++)
        {
            Assert.Equal(expected["c" + j.ToString(CultureInfo.InvariantCulture)], actual[names[j]], 1e-9);
        }
    }

    [Fact]
    public void Plus_and_columns() => SameAsColumns("y ~ x1 + x2", ["x1", "x2"], (a, b) => [a, b]);

    [Fact]
    public void Colon_and_star() => SameAsColumns("y ~ x1 * x2", ["x1", "x2", "x1:x2"], (a, b) => [a, b, a * b]);

    [Fact]
    public void Transforms() => SameAsColumns("y ~ log(x1) + sqrt(x2) + exp(x1 / 10)", ["log(x1)", "sqrt(x2)", "exp(x1/10)"], (a, b) => [Math.Log(a), Math.Sqrt(b), Math.Exp(a / 10)]);

    [Fact]
    public void I_expressions() => SameAsColumns("y ~ x1 + I(x1^2) + I(x2 - 1)", ["x1", "I(x1^2)", "I(x2 - 1)"], (a, b) => [a, a * a, b - 1]);

    [Fact]
    public void Raw_poly_and_its_interaction() => SameAsColumns("y ~ poly(x1, 2, raw = TRUE):x2", ["poly(x1, 2, raw = TRUE)1:x2", "poly(x1, 2, raw = TRUE)2:x2"], (a, b) => [a * b, a * a * b]);

    [Fact]
    public void Dot_minus_and_no_intercept()
    {
        var dot = Fit(Data, "y ~ . - x2");
        Assert.Equal(["(intercept)", "x1"], dot.Keys.ToArray());
        var none = Fit(Data, "-F", "y ~ x1 + x2 - 1");
        var options = Fit(Data, "-x", "x1,x2", "-y", "y", "--no-intercept");
        Assert.Equal(options, none);
        Assert.Equal(none, Fit(Data, "y ~ 0 + x1 + x2"));
    }

    [Fact]
    public void A_formula_of_columns_gives_the_same_numbers_as_the_options()
    {
        Assert.Equal(Fit(Data, "-x", "x1,x2", "-y", "y"), Fit(Data, "y ~ x1 + x2"));
        Assert.Equal(Fit(Data, "-x", "x1", "-y", "y", "--degree", "2"), Fit(Data, "y ~ poly(x1, 2, raw = TRUE)")
            .Values.Zip(["(intercept)", "x1", "x1^2"]).ToDictionary(p => p.Second, p => p.First));
    }

    [Fact]
    public void Qr_fits_a_formula_model_as_normal_does()
    {
        var normal = Fit(Data, "y ~ x1 * x2 + log(x2)");
        var qr = Fit(Data, "y ~ x1 * x2 + log(x2)", "-m", "qr");
        foreach (var (name, value) in normal)
        {
            Assert.Equal(value, qr[name], 1e-9);
        }
    }

    [Fact]
    public void A_syntax_error_is_exit_1_with_a_caret()
    {
        var r = Lsq.Run("fit", Lsq.Sample("r/mtcars.csv"), "mpg ~ wt + (hp");
        Assert.Equal(1, r.Code);
        Assert.Equal("lsq: error: formula: unbalanced parentheses: this '(' is never closed:\nmpg ~ wt + (hp\n           ^\n", r.Err.Split("lsq: run")[0]);
    }

    [Fact]
    public void An_unknown_column_is_exit_1_with_a_caret()
    {
        var r = Lsq.Run("fit", Lsq.Sample("r/mtcars.csv"), "mpg ~ wt + hpp");
        Assert.Equal(1, r.Code);
        Assert.Contains("\nmpg ~ wt + hpp\n           ^", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_formula_with_column_options_is_a_usage_error()
    {
        var r = Lsq.Run("fit", Lsq.Sample("r/mtcars.csv"), "mpg ~ wt", "-y", "mpg");
        Assert.Equal(1, r.Code);
        Assert.Contains("--target cannot be combined with a formula", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transform_outside_its_domain_is_an_input_error()
    {
        using var dir = new TempDir();
        var r = Lsq.Run("fit", dir.File("d.csv", "x,y\n1,2\n-1,3\n2,4\n"), "y ~ log(x)");
        Assert.Equal(2, r.Code);
        Assert.Contains("log(x) is NaN on data row 2", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_formula_is_read_from_standard_input_data_too()
    {
        var r = Lsq.RunWithInput(Data, "fit", "y ~ x1:x2");
        Assert.Equal(0, r.Code);
        Assert.Contains("x1:x2", r.Out, StringComparison.Ordinal);
        Assert.StartsWith("y ~ x1:x2", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_formula_models_predict_with_their_transforms_and_old_models_still_load()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", file, "y ~ log(x1) * x2", "--save", model).Code);
        Assert.Contains("\"formula\": \"y ~ log(x1) \\u002B x2 \\u002B log(x1):x2\"", File.ReadAllText(model), StringComparison.Ordinal);
        var coefficients = Fit(Data, "y ~ log(x1) * x2");
        var p = Lsq.Run("predict", "--model", model, dir.File("new.csv", "x2,x1\n3,2\n"));
        Assert.Equal(0, p.Code);
        double expected = coefficients["(intercept)"] + coefficients["log(x1)"] * Math.Log(2) + coefficients["x2"] * 3 + coefficients["log(x1):x2"] * Math.Log(2) * 3;
        Assert.Equal(expected, double.Parse(p.Out.Split('\n')[1].Split(',')[^1], CultureInfo.InvariantCulture), 1e-12);
        Assert.Equal(0, Lsq.Run("predict", "--model", Lsq.Sample("linear-model.json"), Lsq.Sample("linear.csv")).Code);
    }

    [Fact]
    public void Partials_of_a_formula_model_merge_to_the_whole_fit()
    {
        using var dir = new TempDir();
        var lines = Data.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = dir.File("a.csv", string.Join("\n", lines.Take(5)) + "\n");
        var b = dir.File("b.csv", lines[0] + "\n" + string.Join("\n", lines.Skip(5)) + "\n");
        var pa = Lsq.Run("fit", a, "y ~ x1 * x2", "--partial");
        var pb = Lsq.Run("fit", b, "y ~ x1 * x2", "--partial");
        Assert.Contains("\"formula\":\"y ~ x1 \\u002B x2 \\u002B x1:x2\"", pa.Out, StringComparison.Ordinal);
        var merged = Lsq.Run("merge", dir.File("a.partial", pa.Out), dir.File("b.partial", pb.Out), "-f", "json");
        Assert.Equal(0, merged.Code);
        var whole = Fit(Data, "y ~ x1 * x2");
        using var doc = JsonDocument.Parse(merged.Out);
        foreach (var e in doc.RootElement.GetProperty("coefficients").EnumerateArray())
        {
            Assert.Equal(whole[e.GetProperty("term").GetString()!], e.GetProperty("estimate").GetDouble(), 1e-9);
        }
    }

    [Fact]
    public void Na_cells_are_missing_and_the_first_one_on_the_line_is_named()
    {
        var r = Lsq.Run("fit", Lsq.Sample("r/airquality.csv"), "Ozone ~ Solar.R + Wind");
        Assert.Equal(2, r.Code);
        Assert.Contains("airquality.csv:6:2: column 'Ozone' is missing ('NA')", r.Err, StringComparison.Ordinal);
        Assert.Contains("--missing skip", r.Err, StringComparison.Ordinal);
        var skip = Lsq.Run("fit", Lsq.Sample("r/airquality.csv"), "Ozone ~ Solar.R + Wind", "--missing", "skip", "-f", "json");
        Assert.Equal(0, skip.Code);
        Assert.Contains("\"skipped_rows\":42,\"warnings\":[\"skipped 42 rows with missing values (--missing skip).\"]", skip.Out, StringComparison.Ordinal);
        Assert.Contains("lsq: warning: skipped 42 rows", skip.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Na_values_changes_the_spellings_of_missing()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", "x,y\n1,2\nn/a,3\n2,4\n3,7\n");
        var r = Lsq.Run("fit", file, "y ~ x", "--na-values", "n/a,NA", "--missing", "skip", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("\"skipped_rows\":1", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_name_column_is_not_a_default_predictor()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", "\"\",x,y\n\"a\",1,2\n\"b\",2,4.5\n\"c\",3,5.9\n");
        var r = Lsq.Run("fit", file, "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("\"term\":\"x\"", r.Out, StringComparison.Ordinal);
        var dot = Lsq.Run("fit", file, "y ~ .", "-f", "json");
        Assert.Equal(r.Out, dot.Out);
    }
}
