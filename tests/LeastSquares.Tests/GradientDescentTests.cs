namespace LeastSquares.Tests;

/// <summary>Gradient descent reaches the closed form on well-posed problems, whatever the optimizer.</summary>
public sealed class GradientDescentTests
{
    private static double WorstDigits(FitResult a, FitResult b) =>
        a.Coefficients.Zip(b.Coefficients, Synthetic.Digits).Min();

    public static TheoryData<Optimizer, double> Optimizers => new()
    {
        { Optimizer.Plain, 8 },
        { Optimizer.Momentum, 6 },
        { Optimizer.Adam, 6 },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Ten_predictor_problem(Optimizer optimizer, double digits)
    {
        var beta = Enumerable.Range(0, 11).Select(j => 1.0 + (0.5 * j)).ToArray();
        var (x, y) = Synthetic.Linear(21, 2000, beta, sigma: 1, lo: -1, hi: 3);
        var m = Synthetic.Moments(x, y);
        var exact = Solvers.Fit(m, new SolverOptions());
        var gd = Solvers.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Optimizer = optimizer, Tolerance = 1e-13, MaxIterations = 100_000 });
        Assert.True(gd.Converged, $"{optimizer}: {gd.Iterations} iterations, {WorstDigits(gd, exact):F1} digits");
        Assert.True(WorstDigits(gd, exact) >= digits, $"{optimizer}: {WorstDigits(gd, exact):F1} digits");
    }

    [SkippableTheory]
    [MemberData(nameof(Optimizers))]
    public void Longley(Optimizer optimizer, double digits)
    {
        var m = NistTests.Accumulate(TestData.LoadNist("Longley"), FitMethod.Normal).ToMoments();
        var exact = Solvers.Fit(m, new SolverOptions());
        var gd = Solvers.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Optimizer = optimizer, Tolerance = 1e-14, MaxIterations = 2_000_000 });
        Assert.True(gd.Converged, $"{optimizer}: {gd.Iterations} iterations, {WorstDigits(gd, exact):F1} digits");
        Assert.True(WorstDigits(gd, exact) >= digits, $"{optimizer}: {WorstDigits(gd, exact):F1} digits after {gd.Iterations} iterations");
    }
}

public sealed class StochasticGradientDescentTests
{
    private static (Moments Moments, double[] Rows) Data(int seed = 42, double offset = 0)
    {
        var (x, y) = Synthetic.Linear(seed, 100, [4, 3], sigma: 1, offset: offset);
        var rows = x.Zip(y, (r, v) => r.Append(v)).SelectMany(r => r).ToArray();
        return (Synthetic.Moments(x, y), rows);
    }

    [Fact]
    public void Sgd_is_within_1e_3_of_the_closed_form_on_y_4_plus_3x()
    {
        var (m, rows) = Data();
        var exact = Solvers.Fit(m, new SolverOptions());
        var sgd = Solvers.FitRows(m, rows, new SolverOptions { Method = FitMethod.StochasticGradientDescent, Seed = 7 });
        Assert.Equal("sgd", sgd.Method);
        for (int j = 0; j < 2; j++)
        {
            Assert.True(Math.Abs(sgd.Coefficients[j] - exact.Coefficients[j]) <= 1e-3, $"β{j}: {sgd.Coefficients[j]} vs {exact.Coefficients[j]}");
        }
    }

    [Fact]
    public void Sgd_with_a_seed_is_reproducible_and_the_seed_matters()
    {
        var (m, rows) = Data();
        var options = new SolverOptions { Method = FitMethod.StochasticGradientDescent, Seed = 3, MaxIterations = 50 };
        var a = Solvers.FitRows(m, rows, options);
        var b = Solvers.FitRows(m, rows, options);
        var c = Solvers.FitRows(m, rows, options with { Seed = 4 });
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.NotEqual(a.Coefficients, c.Coefficients);
    }

    [Theory]
    [InlineData(Optimizer.Momentum)]
    [InlineData(Optimizer.Adam)]
    public void Sgd_optimizers_get_close(Optimizer optimizer)
    {
        var (m, rows) = Data(offset: 1e6);
        var exact = Solvers.Fit(m, new SolverOptions());
        var sgd = Solvers.FitRows(m, rows, new SolverOptions { Method = FitMethod.StochasticGradientDescent, Optimizer = optimizer });
        Assert.True(Math.Abs(sgd.Coefficients[1] - exact.Coefficients[1]) <= 1e-2, $"{optimizer}: slope {sgd.Coefficients[1]} vs {exact.Coefficients[1]}");
    }
}
