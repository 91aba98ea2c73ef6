using LeastSquares.Solvers;
using LeastSquares.State;
using LeastSquares.Statistics;
using LeastSquares.Terms;

namespace LeastSquares.Tests.Statistics;

/// <summary>
/// The plain-double leverage (<see cref="LeverageForm"/>, what <see cref="Influence.Leverage"/>
/// uses when a row's bound allows) against the double-double quadratic form of the same
/// covariance, on designs where xᵀCx cancels badly: a column shifted by 1e4 to 1e9, and the NIST
/// sets (Longley's collinear columns, Filip's degree-10 polynomial, Wampler's powers).
/// </summary>
public sealed class LeverageFormTests
{
    /// <summary>The bound the tests hold the fast value to: <see cref="LeverageForm.RelativeBound"/> against the exact form, plus the double-double value's own rounding.</summary>
    private const double Bound = 2e-11;

    private static FitResult Fit(ModelTerms terms, IEnumerable<double[]> rows)
    {
        var accumulator = MomentAccumulator.Create(terms);
        foreach (var row in rows)
        {
            accumulator.Add(row);
        }

        return Solver.Fit(accumulator, new SolverOptions());
    }

    /// <summary>Fast and double-double leverages of the rows; returns how many took the fast path.</summary>
    private static int Compare(Influence influence, LeverageForm form, IEnumerable<double[]> predictorRows)
    {
        var features = new double[influence.Parameters];
        int fast = 0;
        foreach (var x in predictorRows)
        {
            influence.Features(x, features);
            double reference = influence.CompensatedLeverage(features);
            if (form.TryLeverage(features, out double h))
            {
                fast++;
                Assert.True(Math.Abs(h - reference) <= Bound * reference, $"fast {h:R} against double-double {reference:R} at ({string.Join(", ", x)})");
            }

            // Influence.Leverage takes the fast value when there is one, else the double-double one.
            Assert.Equal(form.TryLeverage(features, out double again) ? Math.Max(again, 0) : reference, influence.Leverage(features));
        }

        return fast;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e4)]
    [InlineData(1e6)]
    [InlineData(1e9)]
    public void A_column_far_from_zero_keeps_the_fast_leverage_within_the_bound(double shift)
    {
        var random = new Random(7);
        var terms = new ModelTerms(["a", "b", "c"], "y");
        var rows = new List<double[]>();
        for (int i = 0; i < 300; i++)
        {
            double a = shift + random.NextDouble();
            double b = random.NextDouble() * 10;
            double c = b + (0.01 * random.NextDouble()); // nearly collinear with b
            rows.Add([a, b, c, 1 + (2 * a) - b + (3 * c) + random.NextDouble()]);
        }

        var fit = Fit(terms, rows);
        var influence = Influence.Of(fit)!;
        var form = LeverageForm.Of(fit.UnscaledCovariance!, intercept: true)!;
        Assert.NotNull(form);
        // The fitted rows, then new rows near the data and far from it.
        var fitted = rows.Select(r => r[..3]).ToList();
        var fresh = Enumerable.Range(0, 300).Select(i => new[] { shift + (3 * random.NextDouble()) - 1, 20 * random.NextDouble(), 20 * random.NextDouble() }).ToList();
        int fast = Compare(influence, form, fitted) + Compare(influence, form, fresh);
        Assert.True(fast >= 590, $"only {fast} of 600 rows took the fast path");
    }

    [Theory]
    [InlineData("Longley")]
    [InlineData("Norris")]
    [InlineData("Pontius")]
    [InlineData("NoInt1")]
    [InlineData("NoInt2")]
    [InlineData("Filip")]
    [InlineData("Wampler1")]
    [InlineData("Wampler4")]
    [InlineData("Wampler5")]
    public void Nist_designs_give_the_double_double_leverage_or_fall_back_to_it(string name)
    {
        var set = TestData.LoadNist(name);
        var fit = Solver.Fit(NistTests.Accumulate(set, FitMethod.Normal), new SolverOptions());
        var influence = Influence.Of(fit)!;
        var form = LeverageForm.Of(fit.UnscaledCovariance!, set.Intercept);
        var rows = set.Rows.Select(r => r[1..]).ToList();
        if (form is null)
        {
            return; // not positive definite in double-double: every row in double-double
        }

        int fast = Compare(influence, form, rows);
        if (name is "Longley" or "Norris" or "Pontius" or "NoInt1" or "NoInt2")
        {
            Assert.Equal(rows.Count, fast);
        }
    }

    [Fact]
    public void A_row_whose_first_feature_is_not_the_intercepts_one_is_left_to_double_double()
    {
        var form = LeverageForm.Of(new double[,] { { 2, 0.5 }, { 0.5, 1 } }, intercept: true)!;
        Assert.False(form.TryLeverage([2, 3], out _));
        Assert.True(form.TryLeverage([1, 3], out double h));
        Assert.Equal(2 + (2 * 0.5 * 3) + 9, h, 1e-13 * 14);
    }
}
