using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// The committed R values (tests/reference/r/lm.json, made by make-reference.R): the tests read
/// them, so neither CI nor a developer needs R.
/// </summary>
internal static class RReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "lm.json"))));

    /// <summary>The case with this id.</summary>
    public static JsonElement Case(string id) =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>The data file of a case, as a full path.</summary>
    public static string DataFile(JsonElement c) => Path.Combine(Lsq.RepoRoot, c.GetProperty("data_file").GetString()!);

    /// <summary>The numbers of an array field (null entries as NaN).</summary>
    public static double[] Numbers(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble())];

    /// <summary>Significant digits on which <paramref name="actual"/> agrees with <paramref name="expected"/> (LRE, 17 when equal).</summary>
    public static double Digits(double expected, double actual)
    {
        if (expected == actual)
        {
            return 17;
        }

        double error = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
        return -Math.Log10(error);
    }

    /// <summary>Asserts agreement to at least <paramref name="digits"/> significant digits.</summary>
    public static void Agrees(double expected, double? actual, double digits, string what)
    {
        Assert.True(actual is not null, $"{what}: lsq gave null, R gave {expected:R}");
        double got = Digits(expected, actual!.Value);
        Assert.True(got >= digits, $"{what}: R {expected:R}, lsq {actual.Value:R}: {got:F1} digits, want {digits}");
    }

    /// <summary>
    /// Asserts columns of R's coefficient table (<paramref name="table"/>: <c>estimate</c>,
    /// <c>std_error</c>, <c>t_value</c>, <c>p_value</c>) against lsq's JSON coefficients, one per
    /// coefficient, to 10 digits.
    /// </summary>
    public static void AgreesTable(JsonElement table, JsonElement[] coefficients, string id, params string[] fields)
    {
        foreach (var field in fields)
        {
            var ours = field == "t_value" ? "t" : field;
            var expected = Numbers(table.GetProperty(field));
            Assert.Equal(expected.Length, coefficients.Length);
            for (int j = 0; j < expected.Length; j++)
            {
                Agrees(expected[j], coefficients[j].GetProperty(ours).GetDouble(), 10, $"{id} {ours}[{j}]");
            }
        }
    }

    /// <summary>Asserts R's confidence interval (<c>lower</c>, <c>upper</c>) against lsq's <c>ci_low</c> and <c>ci_high</c>.</summary>
    public static void AgreesInterval(JsonElement confint, JsonElement[] coefficients, double digits, string what)
    {
        var lower = Numbers(confint.GetProperty("lower"));
        var upper = Numbers(confint.GetProperty("upper"));
        for (int j = 0; j < lower.Length; j++)
        {
            Agrees(lower[j], coefficients[j].GetProperty("ci_low").GetDouble(), digits, $"{what} lower[{j}]");
            Agrees(upper[j], coefficients[j].GetProperty("ci_high").GetDouble(), digits, $"{what} upper[{j}]");
        }
    }

    /// <summary>
    /// Asserts the fit's statistics against R's <c>summary.lm</c>, <c>logLik</c>, <c>AIC</c> and
    /// <c>BIC</c>: σ̂, R², adjusted R², F and its p-value, log-likelihood, AIC and BIC to 10 digits,
    /// the residual degrees of freedom exactly.
    /// </summary>
    public static void AgreesFit(JsonElement c, JsonElement fit, string id)
    {
        Agrees(c.GetProperty("sigma").GetDouble(), fit.GetProperty("residual_std_error").GetDouble(), 10, id + " sigma");
        Assert.Equal(c.GetProperty("df_residual").GetInt64(), fit.GetProperty("df_residual").GetInt64());
        Agrees(c.GetProperty("r_squared").GetDouble(), fit.GetProperty("r_squared").GetDouble(), 10, id + " R²");
        Agrees(c.GetProperty("adj_r_squared").GetDouble(), fit.GetProperty("adj_r_squared").GetDouble(), 10, id + " adjusted R²");
        var f = c.GetProperty("fstatistic");
        Agrees(f.GetProperty("value").GetDouble(), fit.GetProperty("f_statistic").GetDouble(), 10, id + " F");
        Agrees(f.GetProperty("p_value").GetDouble(), fit.GetProperty("f_p_value").GetDouble(), 10, id + " F p");
        Agrees(c.GetProperty("loglik").GetDouble(), fit.GetProperty("log_likelihood").GetDouble(), 10, id + " logLik");
        Agrees(c.GetProperty("aic").GetDouble(), fit.GetProperty("aic").GetDouble(), 10, id + " AIC");
        Agrees(c.GetProperty("bic").GetDouble(), fit.GetProperty("bic").GetDouble(), 10, id + " BIC");
    }
}
