namespace LeastSquares.Tests.Solvers;

/// <summary>gd and sgd with a penalty (proximal steps through the loss module's <see cref="Penalty"/>) reach coordinate descent's answer.</summary>
public sealed class PenalizedDescentTests
{
    [Theory]
    [InlineData("diabetes", 4.52, 1.0, true)]
    [InlineData("diabetes", 4.52, 0.0, true)]
    [InlineData("diabetes", 0.452, 0.5, true)]
    [InlineData("correlated", 0.234, 1.0, true)]
    public void Gradient_descent_reaches_the_coordinate_descent_answer(string dataset, double lambda, double ratio, bool standardize)
    {
        var moments = PenalizedReferenceTests.Load(dataset);
        var penalty = new Penalty(lambda, ratio, standardize);
        var exact = PenalizedSolver.Fit(moments, penalty);
        var gd = Solver.Fit(moments, new SolverOptions
        {
            Method = FitMethod.GradientDescent,
            Penalty = penalty,
            Scaling = standardize ? FeatureScaling.Standard : FeatureScaling.None,
            MaxIterations = 2_000_000,
            Tolerance = 1e-12,
        });
        Assert.True(gd.Converged);
        Assert.Null(gd.UnscaledCovariance);
        Assert.Equal(exact.NonZero, gd.NonZero);
        double scale = exact.Coefficients.Skip(1).Max(Math.Abs);
        for (int j = 0; j < exact.Coefficients.Count; j++)
        {
            double size = j == 0 ? Math.Abs(exact.Coefficients[0]) + scale : scale;
            Assert.True(Math.Abs(gd.Coefficients[j] - exact.Coefficients[j]) <= 1e-6 * size,
                $"coefficient {j}: gd {gd.Coefficients[j]} vs cd {exact.Coefficients[j]}");
            if (exact.Coefficients[j] == 0)
            {
                Assert.Equal(0.0, gd.Coefficients[j]); // the proximal step gives exact zeros too
            }
        }
    }

    [Fact]
    public void Stochastic_descent_comes_close_to_the_coordinate_descent_answer()
    {
        var lines = File.ReadAllLines(Path.Combine(PenalizedReferenceTests.Folder(), "diabetes.csv")).Skip(1).Where(l => l.Length > 0);
        var rows = lines.SelectMany(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var moments = PenalizedReferenceTests.Load("diabetes");
        var penalty = new Penalty(4.52, 1.0);
        var exact = PenalizedSolver.Fit(moments, penalty);
        var sgd = Solver.FitRows(moments, rows, new SolverOptions
        {
            Method = FitMethod.StochasticGradientDescent,
            Penalty = penalty,
            MaxIterations = 4000,
            BatchSize = 442,
        });
        double scale = exact.Coefficients.Skip(1).Max(Math.Abs);
        for (int j = 1; j < exact.Coefficients.Count; j++)
        {
            Assert.True(Math.Abs(sgd.Coefficients[j] - exact.Coefficients[j]) <= 1e-2 * scale,
                $"coefficient {j}: sgd {sgd.Coefficients[j]} vs cd {exact.Coefficients[j]}");
        }
    }

    [Fact]
    public void Options_refuse_a_penalty_with_momentum()
    {
        var options = new SolverOptions { Method = FitMethod.GradientDescent, Penalty = new Penalty(1, 1), Optimizer = Optimizer.Momentum };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }
}
