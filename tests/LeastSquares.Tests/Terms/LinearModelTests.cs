namespace LeastSquares.Tests.Terms;

public sealed class LinearModelTests
{
    [Fact]
    public void Linear_model_with_intercept()
    {
        var terms = new ModelTerms(["a", "b"], "y");
        var model = new LinearModel(terms, [1.5, 2.0, -0.25]);
        // By hand: 1.5 + 2·3 − 0.25·8 = 5.5
        Assert.Equal(5.5, model.Predict([3.0, 8.0]));
    }

    [Fact]
    public void Model_through_the_origin()
    {
        var model = new LinearModel(new ModelTerms(["a", "b"], "y", intercept: false), [2.0, -1.0]);
        // By hand: 2·4 − 1·3 = 5
        Assert.Equal(5.0, model.Predict([4.0, 3.0]));
    }

    [Fact]
    public void Polynomial_uses_powers_of_the_single_predictor()
    {
        var model = new LinearModel(new ModelTerms(["x"], "y", degree: 3), [1.0, -2.0, 0.5, 0.25]);
        // By hand: 1 − 2·2 + 0.5·4 + 0.25·8 = 1
        Assert.Equal(1.0, model.Predict([2.0]));
        Assert.Equal(1.0, model.Predict([0.0]));
    }

    [Fact]
    public void Cancelling_terms_are_summed_exactly()
    {
        // 1e16 + 1·1 − 1e16: plain left-to-right double arithmetic gives 0 (1e16 + 1 rounds to 1e16).
        var model = new LinearModel(new ModelTerms(["a", "b"], "y"), [1e16, 1.0, -1.0]);
        Assert.Equal(1.0, model.Predict([1.0, 1e16]));
    }

    [Fact]
    public void Products_are_formed_exactly()
    {
        // (1 + 2⁻³⁰)² = 1 + 2⁻²⁹ + 2⁻⁶⁰; minus (1 + 2⁻²⁹) leaves exactly 2⁻⁶⁰. A rounded product
        // (1 + 2⁻²⁹) would give 0.
        double a = 1 + Math.ScaleB(1, -30);
        var model = new LinearModel(new ModelTerms(["x"], "y"), [-(1 + Math.ScaleB(1, -29)), a]);
        Assert.Equal(Math.ScaleB(1, -60), model.Predict([a]));
    }

    [Fact]
    public void From_fit_takes_terms_and_coefficients()
    {
        var terms = new ModelTerms(["x"], "y");
        var fit = new FitResult
        {
            Terms = terms,
            Method = "normal",
            Count = 3,
            Coefficients = [0.5, 2.0],
            SumOfSquaredErrors = 0,
            TotalSumOfSquares = 1,
        };
        var model = LinearModel.FromFit(fit);
        Assert.Same(terms, model.Terms);
        Assert.Equal(4.5, model.Predict([2.0]));
    }

    [Fact]
    public void Wrong_coefficient_count_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new LinearModel(new ModelTerms(["x"], "y", degree: 2), [1.0, 2.0]));
        Assert.Contains("3 terms ((intercept), x, x^2) but 2 coefficients", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_coefficient_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new LinearModel(new ModelTerms(["x"], "y"), [1.0, double.NaN]));
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_number_of_predictor_values_is_refused()
    {
        var model = new LinearModel(new ModelTerms(["a", "b"], "y"), [0.0, 1.0, 1.0]);
        Assert.Throws<ArgumentException>(() => model.Predict([1.0]));
    }
}
