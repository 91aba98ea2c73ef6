using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// A text column of 1,000 levels (issue 18): <c>y ~ x1 + x2 + store</c> on 3,000 rows against R's
/// <c>summary(lm())</c> (tests/reference/r/factor1000.json, made by make-factor1000.R), read whole
/// and in parallel parts that each meet the levels in another order; the same model weighted
/// (rows of weight 0 among them), whole and as partial fits merged in another order; the sandwich
/// errors, predict's leverages, intervals and Cook's distances, and anova's tables. The rows follow an integer
/// rule, written here byte for byte as the R script writes them (the file's MD5 is checked first).
/// </summary>
public sealed class ThousandLevelsAgainstRTests
{
    private static readonly Lazy<JsonElement> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "factor1000.json"))).RootElement.Clone());

    /// <summary>k/den written exactly with <paramref name="digits"/> decimals (den divides 10^digits), as the R script's dec().</summary>
    private static string Decimal(int k, int den, int digits)
    {
        int pow = (int)Math.Pow(10, digits);
        int scaled = Math.Abs(k) * (pow / den);
        return (k < 0 ? "-" : "") + (scaled / pow).ToString(CultureInfo.InvariantCulture) + "."
            + (scaled % pow).ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Csv()
    {
        var sb = new StringBuilder("x1,x2,store,w,cl,y\n");
        for (int i = 1; i <= 3000; i++)
        {
            int s = i * 7919 % 1000;
            int a = (i * 37 % 101) - 50;
            int b = (i * 53 % 97) - 48;
            int noise = (((i * i * 7) + (i * 3)) % 23) - 11;
            int y = (8 * a) - (10 * b) + (10 * (s * 31 % 17)) + (5 * noise);
            int w = i * 13 % 7;
            int cl = i * 11 % 40;
            sb.Append(CultureInfo.InvariantCulture, $"{Decimal(a, 10, 1)},{Decimal(b, 4, 2)},s{s:D3},{Decimal(w, 4, 2)},{cl},{Decimal(y, 40, 3)}\n");
        }

        return sb.ToString();
    }

    /// <summary>The rows, checked against the MD5 of the file R read.</summary>
    private static string CheckedCsv()
    {
        var csv = Csv();
#pragma warning disable CA5351 // a checksum of the data, the one R's tools::md5sum gives, not a security measure
        Assert.Equal(Reference.Value.GetProperty("csv_md5").GetString(), Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(csv))));
#pragma warning restore CA5351
        return csv;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6 << 10)]
    public void A_thousand_level_factor_agrees_with_R_to_10_digits(int partBytes)
    {
        var c = Reference.Value;
        var csv = CheckedCsv();
        using var dir = new TempDir();
        var file = dir.File("stores.csv", csv);
        string[] args = ["fit", file, c.GetProperty("formula").GetString()!, "--summary", "-f", "json", "-q"];
        var r = partBytes == 0 ? Lsq.Run(args)
            : Lsq.RunWith("", context => context with { Parallel = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = partBytes } }, args);
        Assert.True(r.Code == 0, r.Err);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        AssertCoefficients(c.GetProperty("coefficients"), fit, "std_error", "std_error");

        RReference.Agrees(c.GetProperty("sigma").GetDouble(), fit.GetProperty("residual_std_error").GetDouble(), 10, "sigma");
        RReference.Agrees(c.GetProperty("r_squared").GetDouble(), fit.GetProperty("r_squared").GetDouble(), 10, "R²");
        RReference.Agrees(c.GetProperty("adj_r_squared").GetDouble(), fit.GetProperty("adj_r_squared").GetDouble(), 10, "adjusted R²");
        RReference.Agrees(c.GetProperty("fstatistic").GetProperty("value").GetDouble(), fit.GetProperty("f_statistic").GetDouble(), 10, "F");
    }

    [Fact]
    public void A_weighted_thousand_level_factor_agrees_with_R_whole_and_merged_from_parts()
    {
        // Weighted rows go through the sparse sums as unweighted ones do; one row in seven weighs 0.
        var c = Reference.Value.GetProperty("weighted");
        var lines = CheckedCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var dir = new TempDir();
        var file = dir.File("stores.csv", string.Join('\n', lines) + "\n");
        string formula = Reference.Value.GetProperty("formula").GetString()!;
        string[] model = [formula, "--weights", c.GetProperty("weights").GetString()!];
        var r = Lsq.Run(["fit", file, .. model, "--summary", "-f", "json", "-q"]);
        Assert.True(r.Code == 0, r.Err);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(c.GetProperty("n_positive").GetInt32(), fit.GetProperty("n").GetInt32());
        AssertCoefficients(c.GetProperty("coefficients"), fit, "std_error", "std_error");
        RReference.Agrees(c.GetProperty("sigma").GetDouble(), fit.GetProperty("residual_std_error").GetDouble(), 10, "sigma");
        RReference.Agrees(c.GetProperty("r_squared").GetDouble(), fit.GetProperty("r_squared").GetDouble(), 10, "R²");

        // Three parts, the last rows first: each meets the levels in another order, and they merge in yet another.
        var header = lines[0];
        var parts = new[] { lines[2001..], lines[1..1000], lines[1000..2001] }
            .Select((rows, k) => dir.File($"part{k}.csv", header + "\n" + string.Join('\n', rows) + "\n"))
            .Select(part => Lsq.Run(["fit", part, .. model, "--partial"]))
            .ToArray();
        Assert.All(parts, p => Assert.True(p.Code == 0, p.Err));
        var merged = Lsq.RunWithInput(parts[1].Out + parts[0].Out + parts[2].Out, "merge", "--summary", "-f", "json", "-q");
        Assert.True(merged.Code == 0, merged.Err);
        AssertCoefficients(c.GetProperty("coefficients"), JsonDocument.Parse(merged.Out).RootElement, "std_error", "std_error");
    }

    [Theory]
    [InlineData("hc0_std_error", "--vcov", "HC0")]
    [InlineData("hc3_std_error", "--vcov", "HC3")]
    [InlineData("cl_std_error", "--cluster", "cl")]
    public void Sandwich_errors_of_a_thousand_level_factor_agree_with_R(string field, string option, string value)
    {
        // The second pass touches each row's level only (SparseSandwich): 1,002 coefficients, at sandwich's 10 digits.
        var c = Reference.Value;
        using var dir = new TempDir();
        var file = dir.File("stores.csv", CheckedCsv());
        var r = Lsq.Run(["fit", file, c.GetProperty("formula").GetString()!, option, value, "--summary", "-f", "json", "-q"]);
        Assert.True(r.Code == 0, r.Err);
        AssertCoefficients(c.GetProperty("coefficients"), JsonDocument.Parse(r.Out).RootElement, field, "std_error");
    }

    [Fact]
    public void Weighted_HC1_errors_of_a_thousand_level_factor_agree_with_R()
    {
        var c = Reference.Value.GetProperty("weighted");
        using var dir = new TempDir();
        var file = dir.File("stores.csv", CheckedCsv());
        var r = Lsq.Run(["fit", file, Reference.Value.GetProperty("formula").GetString()!, "--weights", c.GetProperty("weights").GetString()!,
            "--vcov", "HC1", "--summary", "-f", "json", "-q"]);
        Assert.True(r.Code == 0, r.Err);
        AssertCoefficients(c.GetProperty("coefficients"), JsonDocument.Parse(r.Out).RootElement, "hc1_std_error", "std_error");
    }

    [Fact]
    public void Leverage_intervals_and_Cooks_distance_of_a_thousand_level_factor_agree_with_R()
    {
        // predict's --diagnostics and --interval touch each row's level only (1,002 coefficients):
        // R's hatvalues, rstandard, cooks.distance and predict.lm's intervals at every 7th row.
        var c = Reference.Value;
        var d = c.GetProperty("diagnostics");
        using var dir = new TempDir();
        var lines = CheckedCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = dir.File("stores.csv", lines[0] + "\n" + string.Concat(lines.Skip(1).Select(l => l + "\n")));
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", file, c.GetProperty("formula").GetString()!, "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var rows = RReference.Numbers(d.GetProperty("rows")).Select(r => (int)r).ToArray();
        var picked = dir.File("picked.csv", lines[0] + "\n" + string.Concat(rows.Select(r => lines[r] + "\n")));
        foreach (var (interval, lower, upper) in new[] { ("confidence", "confidence_lower", "confidence_upper"), ("prediction", "prediction_lower", "prediction_upper") })
        {
            var r = Lsq.Run("predict", "--model", model, picked, "--only", "--interval", interval, "--diagnostics");
            Assert.True(r.Code == 0, r.Err);
            var output = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("prediction,lower,upper,residual,leverage,std_residual,cooks_distance", output[0]);
            var values = output.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            Assert.Equal(rows.Length, values.Length);
            foreach (var (column, field) in new[] { (1, lower), (2, upper), (4, "hatvalues"), (5, "rstandard"), (6, "cooks_distance") })
            {
                var wanted = RReference.Numbers(d.GetProperty(field));
                for (int i = 0; i < rows.Length; i++)
                {
                    RReference.Agrees(wanted[i], values[i][column], 10, $"{field} of row {rows[i]}");
                }
            }
        }
    }

    [Fact]
    public void Anova_of_a_thousand_level_factor_agrees_with_R()
    {
        var c = Reference.Value;
        using var dir = new TempDir();
        var file = dir.File("stores.csv", CheckedCsv());
        string formula = c.GetProperty("formula").GetString()!;
        // The sequential table (R's anova(m)), then the F test against y ~ x1 + x2 (anova(m0, m)).
        var r = Lsq.Run("anova", file, formula, "-f", "json", "-q");
        Assert.True(r.Code == 0, r.Err);
        var got = JsonDocument.Parse(r.Out).RootElement.GetProperty("rows").EnumerateArray().ToArray();
        var wanted = c.GetProperty("anova");
        var terms = wanted.GetProperty("terms").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Equal(terms, got.Select(g => g.GetProperty("term").GetString()).ToArray());
        var df = RReference.Numbers(wanted.GetProperty("df"));
        var ss = RReference.Numbers(wanted.GetProperty("sum_sq"));
        var f = RReference.Numbers(wanted.GetProperty("f_value"));
        var p = RReference.Numbers(wanted.GetProperty("p_value"));
        for (int t = 0; t < terms.Length; t++)
        {
            Assert.Equal(df[t], got[t].GetProperty("df").GetDouble());
            RReference.Agrees(ss[t], got[t].GetProperty("sum_sq").GetDouble(), 10, $"sum of squares of {terms[t]}");
            if (t < f.Length)
            {
                RReference.Agrees(f[t], got[t].GetProperty("f").GetDouble(), 10, $"F of {terms[t]}");
                // R's p-values here are below its double range (0): lsq's must be too, or nearly.
                double pValue = got[t].GetProperty("p_value").GetDouble();
                Assert.True(p[t] == 0 ? pValue < 1e-300 : Math.Abs(pValue - p[t]) <= 1e-10 * p[t], $"p of {terms[t]}: R {p[t]:R}, lsq {pValue:R}");
            }
        }

        var nested = c.GetProperty("anova_nested");
        var n = Lsq.Run("anova", file, "y ~ x1 + x2", formula, "-f", "json", "-q");
        Assert.True(n.Code == 0, n.Err);
        var models = JsonDocument.Parse(n.Out).RootElement.GetProperty("rows").EnumerateArray().ToArray();
        var rss = RReference.Numbers(nested.GetProperty("rss"));
        var dfResidual = RReference.Numbers(nested.GetProperty("df_residual"));
        for (int m = 0; m < 2; m++)
        {
            Assert.Equal(dfResidual[m], models[m].GetProperty("df_residual").GetDouble());
            RReference.Agrees(rss[m], models[m].GetProperty("rss").GetDouble(), 10, $"RSS of model {m + 1}");
        }

        Assert.Equal(nested.GetProperty("df").GetDouble(), models[1].GetProperty("df").GetDouble());
        RReference.Agrees(nested.GetProperty("sum_sq").GetDouble(), models[1].GetProperty("sum_sq").GetDouble(), 10, "ΔRSS");
        RReference.Agrees(nested.GetProperty("f_value").GetDouble(), models[1].GetProperty("f").GetDouble(), 10, "F");
    }

    /// <summary>
    /// The fit's coefficients are R's, named alike, with estimates to 10 digits of themselves or of
    /// their standard error, whichever is larger, and R's <paramref name="rErrors"/> in the fit's <paramref name="lsqErrors"/> to 10 digits.
    /// </summary>
    private static void AssertCoefficients(JsonElement expected, JsonElement fit, string rErrors, string lsqErrors)
    {
        var names = expected.GetProperty("names").EnumerateArray().Select(n => n.GetString() == "(Intercept)" ? "(intercept)" : n.GetString()).ToArray();
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(1002, names.Length);
        Assert.Equal(names, coefficients.Select(e => e.GetProperty("term").GetString()).ToArray());
        // Estimates to 10 digits of themselves or of their standard error, whichever is larger: a
        // level whose effect is near 0 (8.7e-5, SE 0.6) is known only to R's rounding, about 1e-14 absolute.
        var estimates = RReference.Numbers(expected.GetProperty("estimate"));
        var errors = RReference.Numbers(expected.GetProperty("std_error"));
        var wanted = RReference.Numbers(expected.GetProperty(rErrors));
        for (int j = 0; j < estimates.Length; j++)
        {
            double got = coefficients[j].GetProperty("estimate").GetDouble();
            double digits = -Math.Log10(Math.Abs(got - estimates[j]) / Math.Max(Math.Abs(estimates[j]), errors[j]));
            Assert.True(digits >= 10, $"estimate[{names[j]}]: R {estimates[j]:R}, lsq {got:R}: {digits:F1} digits");
            RReference.Agrees(wanted[j], coefficients[j].GetProperty(lsqErrors).GetDouble(), 10, $"{rErrors}[{names[j]}]");
        }
    }
}
