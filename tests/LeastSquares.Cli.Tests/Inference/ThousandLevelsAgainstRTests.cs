using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// A text column of 1,000 levels (issue 18): <c>y ~ x1 + x2 + store</c> on 3,000 rows against R's
/// <c>summary(lm())</c> (tests/reference/r/factor1000.json, made by make-factor1000.R), read whole
/// and in parallel parts that each meet the levels in another order. The rows follow an integer
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
        var sb = new StringBuilder("x1,x2,store,y\n");
        for (int i = 1; i <= 3000; i++)
        {
            int s = i * 7919 % 1000;
            int a = (i * 37 % 101) - 50;
            int b = (i * 53 % 97) - 48;
            int noise = (((i * i * 7) + (i * 3)) % 23) - 11;
            int y = (8 * a) - (10 * b) + (10 * (s * 31 % 17)) + (5 * noise);
            sb.Append(CultureInfo.InvariantCulture, $"{Decimal(a, 10, 1)},{Decimal(b, 4, 2)},s{s:D3},{Decimal(y, 40, 3)}\n");
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6 << 10)]
    public void A_thousand_level_factor_agrees_with_R_to_10_digits(int partBytes)
    {
        var c = Reference.Value;
        var csv = Csv();
#pragma warning disable CA5351 // a checksum of the data, the one R's tools::md5sum gives, not a security measure
        Assert.Equal(c.GetProperty("csv_md5").GetString(), Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(csv))));
#pragma warning restore CA5351
        using var dir = new TempDir();
        var file = dir.File("stores.csv", csv);
        string[] args = ["fit", file, c.GetProperty("formula").GetString()!, "--summary", "-f", "json", "-q"];
        var r = partBytes == 0 ? Lsq.Run(args)
            : Lsq.RunWith("", context => context with { Parallel = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = partBytes } }, args);
        Assert.True(r.Code == 0, r.Err);
        var fit = JsonDocument.Parse(r.Out).RootElement;

        var expected = c.GetProperty("coefficients");
        var names = expected.GetProperty("names").EnumerateArray().Select(n => n.GetString() == "(Intercept)" ? "(intercept)" : n.GetString()).ToArray();
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(1002, names.Length);
        Assert.Equal(names, coefficients.Select(e => e.GetProperty("term").GetString()).ToArray());
        // Estimates to 10 digits of themselves or of their standard error, whichever is larger: a
        // level whose effect is near 0 (8.7e-5, SE 0.6) is known only to R's rounding, about 1e-14 absolute.
        var estimates = RReference.Numbers(expected.GetProperty("estimate"));
        var errors = RReference.Numbers(expected.GetProperty("std_error"));
        for (int j = 0; j < estimates.Length; j++)
        {
            double got = coefficients[j].GetProperty("estimate").GetDouble();
            double digits = -Math.Log10(Math.Abs(got - estimates[j]) / Math.Max(Math.Abs(estimates[j]), errors[j]));
            Assert.True(digits >= 10, $"estimate[{names[j]}]: R {estimates[j]:R}, lsq {got:R}: {digits:F1} digits");
            RReference.Agrees(errors[j], coefficients[j].GetProperty("std_error").GetDouble(), 10, $"std_error[{names[j]}]");
        }

        RReference.Agrees(c.GetProperty("sigma").GetDouble(), fit.GetProperty("residual_std_error").GetDouble(), 10, "sigma");
        RReference.Agrees(c.GetProperty("r_squared").GetDouble(), fit.GetProperty("r_squared").GetDouble(), 10, "R²");
        RReference.Agrees(c.GetProperty("adj_r_squared").GetDouble(), fit.GetProperty("adj_r_squared").GetDouble(), 10, "adjusted R²");
        RReference.Agrees(c.GetProperty("fstatistic").GetProperty("value").GetDouble(), fit.GetProperty("f_statistic").GetDouble(), 10, "F");
    }
}
