namespace LeastSquares.Tests.State;

/// <summary>
/// Values whose squares leave the double range cannot be summed in double-double: too large and
/// they overflow, too small and they underflow, when a varying column would pass for a constant
/// one. Both methods must say which column, and how to rescale it, instead of a wrong diagnosis.
/// </summary>
public sealed class ScaleLimitTests
{
    private static (double[][] X, double[] Y) Scaled(double scale)
    {
        var (x, y) = Synthetic.Linear(2, 50, [2, 3], sigma: 1, lo: 0, hi: 10);
        return (x.Select(r => r.Select(v => v * scale).ToArray()).ToArray(), y.Select(v => v * scale).ToArray());
    }

    [Theory]
    [InlineData(FitMethod.Normal, 1e-160)]
    [InlineData(FitMethod.Normal, 1e-200)]
    [InlineData(FitMethod.Qr, 1e-160)]
    [InlineData(FitMethod.Qr, 1e-200)]
    public void A_column_of_tiny_values_is_named_as_too_small_not_constant(FitMethod method, double scale)
    {
        var (x, y) = Scaled(scale);
        var e = Assert.Throws<OverflowException>(() => Synthetic.Fit(x, y, method));
        Assert.Contains("column 'x' varies by amounts too small to square", e.Message, StringComparison.Ordinal);
        Assert.Contains("multiply it by 1e150", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FitMethod.Normal)]
    [InlineData(FitMethod.Qr)]
    public void A_column_of_huge_values_is_named_as_too_large(FitMethod method)
    {
        var (x, y) = Scaled(1e153);
        var e = Assert.Throws<OverflowException>(() => Synthetic.Fit(x, y, method));
        Assert.Contains("the squares of column 'x' overflow", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FitMethod.Normal, 1e-140)]
    [InlineData(FitMethod.Qr, 1e-140)]
    [InlineData(FitMethod.Normal, 1e-150)]
    [InlineData(FitMethod.Qr, 1e-150)]
    [InlineData(FitMethod.Normal, 1e140)]
    [InlineData(FitMethod.Qr, 1e140)]
    public void Values_inside_the_limits_fit_as_well_as_at_unit_scale(FitMethod method, double scale)
    {
        var (x, y) = Scaled(1);
        var reference = Synthetic.Fit(x, y, method);
        var (xs, ys) = Scaled(scale);
        var fit = Synthetic.Fit(xs, ys, method);
        Assert.True(Synthetic.Digits(fit.Coefficients[1], reference.Coefficients[1]) >= 14, $"slope {fit.Coefficients[1]:R} vs {reference.Coefficients[1]:R}");
        Assert.True(Synthetic.Digits(fit.Coefficients[0], reference.Coefficients[0] * scale) >= 14, $"intercept {fit.Coefficients[0]:R} vs {reference.Coefficients[0] * scale:R}");
    }

    [Theory]
    [InlineData(FitMethod.Normal)]
    [InlineData(FitMethod.Qr)]
    public void A_column_of_zeros_with_a_few_tiny_values_fits(FitMethod method)
    {
        var (x, y) = Synthetic.Linear(4, 60, [1, 2, 3], sigma: 0.1);
        for (int i = 0; i < 60; i++)
        {
            x[i][1] = i % 20 == 0 ? 3e-150 : 0; // mostly zeros
        }

        var fit = Synthetic.Fit(x, y, method);
        Assert.All(fit.Coefficients, c => Assert.True(double.IsFinite(c)));
    }

    [Fact]
    public void A_constant_column_of_tiny_values_is_still_a_constant()
    {
        var x = Enumerable.Range(0, 20).Select(_ => new[] { 1e-200 }).ToArray();
        var y = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        Assert.Throws<SingularDesignException>(() => Synthetic.Fit(x, y, FitMethod.Normal));
    }
}
