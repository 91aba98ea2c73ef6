using System.Globalization;
using System.Text.Json;
using LeastSquares.Statistics;

namespace LeastSquares.Tests.Statistics;

/// <summary>
/// t and F quantiles and tail probabilities against values computed in 90-digit arithmetic
/// (tests/reference/quantiles.json and tails.json, with the scripts that made them). A confidence
/// interval is only as good as its quantile, and the summary's p-values as their tails.
/// </summary>
public sealed class DistributionTests
{
    private static JsonElement Reference(string file)
    {
        var path = Path.Combine(TestData.RepoRoot(), "tests", "reference", file);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static double Exact(JsonElement row) => double.Parse(row.GetProperty("exact").GetString()!, CultureInfo.InvariantCulture);

    private static double Digits(double value, double exact) =>
        value == exact ? 17 : -Math.Log10(Math.Abs(value - exact) / Math.Abs(exact));

    /// <summary>
    /// 14 digits down to 1e-30; beyond, log P (−69 and below) is a double whose last bit alone is
    /// worth 1e-14 of P, so 12.5 digits (the documented accuracy of the far tails).
    /// </summary>
    private static double Expected(double exact) => exact >= 1e-30 ? 14 : 12.5;

    [Fact]
    public void Every_t_quantile_has_14_correct_digits()
    {
        foreach (var row in Reference("quantiles.json").GetProperty("t").EnumerateArray())
        {
            double p = row.GetProperty("p").GetDouble(), df = row.GetProperty("df").GetDouble();
            double exact = Exact(row);
            double q = StudentTDistribution.Quantile(p, df);
            if (exact == 0)
            {
                Assert.Equal(0, q);
                continue;
            }

            Assert.True(Digits(q, exact) >= 14, $"qt({p:R}, {df}) = {q:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void Every_f_quantile_has_14_correct_digits()
    {
        foreach (var row in Reference("quantiles.json").GetProperty("f").EnumerateArray())
        {
            double p = row.GetProperty("p").GetDouble();
            double df1 = row.GetProperty("df1").GetDouble(), df2 = row.GetProperty("df2").GetDouble();
            double exact = Exact(row);
            double q = FDistribution.Quantile(p, df1, df2);
            Assert.True(Digits(q, exact) >= 14, $"qf({p:R}, {df1}, {df2}) = {q:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void Two_sided_t_p_values_have_14_correct_digits()
    {
        foreach (var row in Reference("tails.json").GetProperty("t_two_sided").EnumerateArray())
        {
            double t = row.GetProperty("t").GetDouble(), df = row.GetProperty("df").GetDouble();
            double exact = Exact(row);
            double p = StudentTDistribution.TwoSidedP(t, df);
            Assert.True(Digits(p, exact) >= Expected(exact), $"2·P(T > {t:R}; {df}) = {p:R}, exact {exact:R}");
            Assert.Equal(StudentTDistribution.TwoSidedP(-t, df), p);
        }
    }

    [Fact]
    public void F_upper_tails_have_14_correct_digits()
    {
        foreach (var row in Reference("tails.json").GetProperty("f_upper").EnumerateArray())
        {
            double f = row.GetProperty("f").GetDouble();
            double df1 = row.GetProperty("df1").GetDouble(), df2 = row.GetProperty("df2").GetDouble();
            double exact = Exact(row);
            double p = FDistribution.UpperTail(f, df1, df2);
            Assert.True(Digits(p, exact) >= Expected(exact), $"P(F > {f:R}; {df1}, {df2}) = {p:R}, exact {exact:R}");
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(7.0)]
    [InlineData(250.0)]
    public void Quantile_and_tail_are_inverses(double df)
    {
        foreach (double p in new[] { 1e-12, 0.01, 0.3, 0.5, 0.8, 0.975, 1 - 1e-9 })
        {
            double t = StudentTDistribution.Quantile(p, df);
            double back = StudentTDistribution.UpperTail(-t, df); // P(T > −t) = P(T ≤ t)
            Assert.True(Math.Abs(back - p) <= 1e-14 * Math.Max(p, 1 - p), $"df {df}, p {p:R}: back {back:R}");
        }
    }

    [Fact]
    public void Edges_are_the_limits_and_bad_arguments_are_refused()
    {
        Assert.Equal(double.PositiveInfinity, StudentTDistribution.Quantile(1, 5));
        Assert.Equal(double.NegativeInfinity, StudentTDistribution.Quantile(0, 5));
        Assert.Equal(0, StudentTDistribution.Quantile(0.5, 5));
        Assert.Equal(0, StudentTDistribution.TwoSidedP(double.PositiveInfinity, 5));
        Assert.Equal(1, StudentTDistribution.TwoSidedP(0, 5));
        Assert.Equal(1, FDistribution.UpperTail(0, 2, 5));
        Assert.Equal(0, FDistribution.UpperTail(double.PositiveInfinity, 2, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentTDistribution.Quantile(1.5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentTDistribution.Quantile(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FDistribution.Quantile(0.5, 1, -1));
    }
}
