namespace LeastSquares.Tests.Statistics;

/// <summary>The core's side of issue 16's two defects: the level of the intervals, and no inference from an unconverged iterate.</summary>
public sealed class WithheldInferenceTests
{
    private static FitResult SeededFit()
    {
        var rng = new Random(16);
        var x = Enumerable.Range(0, 30).Select(_ => new[] { 10 * rng.NextDouble() }).ToArray();
        var y = x.Select(r => 3 + (0.5 * r[0]) + Synthetic.Normal(rng)).ToArray();
        return Synthetic.Fit(x, y, FitMethod.Normal);
    }

    [Fact]
    public void An_unconverged_fit_has_no_standard_errors_t_p_intervals_or_F()
    {
        var stats = RegressionStatistics.Compute(SeededFit() with { Converged = false });
        Assert.All(stats.Coefficients, c =>
        {
            Assert.Null(c.StandardError);
            Assert.Null(c.T);
            Assert.Null(c.PValue);
            Assert.Null(c.ConfidenceLow);
            Assert.Null(c.ConfidenceHigh);
        });
        Assert.Null(stats.FStatistic);
        Assert.Null(stats.FPValue);
        Assert.NotNull(stats.RSquared); // a description of the iterate, not inference
    }

    [Fact]
    public void The_interval_half_width_is_the_t_quantile_at_the_level_times_the_standard_error()
    {
        var fit = SeededFit();
        foreach (double level in new[] { 0.5, 0.8, 0.9, 0.95, 0.99, 0.999 })
        {
            var stats = RegressionStatistics.Compute(fit, level);
            Assert.Equal(level, stats.ConfidenceLevel);
            double q = StudentTDistribution.Quantile(0.5 + (level / 2), 28);
            foreach (var c in stats.Coefficients)
            {
                Assert.Equal(c.Estimate - (q * c.StandardError!.Value), c.ConfidenceLow!.Value, 1e-12);
                Assert.Equal(c.Estimate + (q * c.StandardError!.Value), c.ConfidenceHigh!.Value, 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_level_outside_0_1_is_refused(double level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionStatistics.Compute(SeededFit(), level));
}
