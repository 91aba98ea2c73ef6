using System.Globalization;

namespace LeastSquares.Tests.Solvers;

/// <summary>
/// The second stopping rule of gd: converged once the loss can no longer fall by more than a unit
/// in its last place (issue 20: the design card's own command ran 1000 iterations, matched the
/// closed form to 8 digits and still said "did not converge").
/// </summary>
public sealed class LossFloorTests
{
    /// <summary>samples/tutorial.csv, the gradient-descent tutorial's data (numpy legacy seed 0).</summary>
    private static Moments Tutorial()
    {
        var rows = File.ReadAllLines(Path.Combine(TestData.RepoRoot(), "samples", "tutorial.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return Synthetic.Moments([.. rows.Select(r => new[] { r[0] })], [.. rows.Select(r => r[1])]);
    }

    // The exact least-squares fit of the file's doubles (tests/reference/README.md).
    private const double ExactIntercept = 4.222151077447229;
    private const double ExactSlope = 2.968467510701019;

    [Fact]
    public void The_design_cards_command_converges_and_says_so()
    {
        // lsq fit samples/tutorial.csv --method gd --alpha 0.01. Before: 1000 iterations, converged no.
        var gd = Solver.Fit(Tutorial(), new SolverOptions { Method = FitMethod.GradientDescent, LearningRate = 0.01 });
        Assert.True(gd.Converged);
        Assert.Equal(1000, gd.Iterations);
        Assert.DoesNotContain(gd.Warnings, w => w is NotConverged);
        Assert.Equal(ExactIntercept, gd.Coefficients[0], ExactIntercept * 1e-8);
        Assert.Equal(ExactSlope, gd.Coefficients[1], ExactSlope * 1e-8);
        Assert.Equal(99.24386487246481, gd.SumOfSquaredErrors, 1e-12);
    }

    [Fact]
    public void A_run_short_of_the_floor_at_the_limit_still_says_it_did_not_converge()
    {
        var gd = Solver.Fit(Tutorial(), new SolverOptions { Method = FitMethod.GradientDescent, LearningRate = 0.01, MaxIterations = 900 });
        Assert.False(gd.Converged);
        Assert.Contains(gd.Warnings, w => w is NotConverged { Iterations: 900 });
    }

    [Fact]
    public void The_textbook_trajectory_is_unchanged()
    {
        // α = 0.01, 100 steps from θ = 0 on the raw feature: numpy's loop on the file gives these.
        var gd = Solver.Fit(Tutorial(), new SolverOptions { Method = FitMethod.GradientDescent, LearningRate = 0.01, MaxIterations = 100, Scaling = FeatureScaling.None });
        Assert.False(gd.Converged);
        Assert.Equal(100, gd.Iterations);
        Assert.Equal(3.529452829429813, gd.Coefficients[0], 1e-12);
        Assert.Equal(3.484327882329522, gd.Coefficients[1], 1e-12);
    }

    [Fact]
    public void Remaining_decrease_is_the_loss_above_the_minimum()
    {
        var rng = new Random(20);
        var beta = new[] { 1.0, -2.0, 0.5, 3.0 };
        var (x, y) = Synthetic.Linear(20, 500, beta, sigma: 1, lo: -1, hi: 2);
        var m = Synthetic.Moments(x, y);
        var quadratic = new LeastSquares.Loss.MseQuadratic(m, intercept: true);
        var floor = new LossFloor(quadratic);
        var best = Minimum(quadratic);
        double bestLoss = LeastSquares.Loss.Mse.Value(quadratic, best);
        var g = new double[4];
        for (int trial = 0; trial < 20; trial++)
        {
            double size = Math.Pow(10, -trial / 3.0);
            var theta = best.Select(v => v + (size * (rng.NextDouble() - 0.5))).ToArray();
            double loss = LeastSquares.Loss.Mse.ValueAndGradient(quadratic, theta, g);
            double excess = loss - bestLoss;
            Assert.Equal(excess, floor.RemainingDecrease(g), Math.Max(1e-13, excess * 1e-6));
        }
    }

    /// <summary>The minimiser of the quadratic by Newton's step from 0 (exact on a quadratic).</summary>
    private static double[] Minimum(LeastSquares.Loss.MseQuadratic quadratic)
    {
        int n = quadratic.FeatureCount + 1;
        var g = new double[n];
        LeastSquares.Loss.Mse.ValueAndGradient(quadratic, new double[n], g);
        var h = quadratic.Hessian();
        // Solve H d = g by Gaussian elimination; θ* = 0 − d.
        var a = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = h[i, j];
            }

            a[i, n] = g[i];
        }

        for (int k = 0; k < n; k++)
        {
            for (int i = k + 1; i < n; i++)
            {
                double f = a[i, k] / a[k, k];
                for (int j = k; j <= n; j++)
                {
                    a[i, j] -= f * a[k, j];
                }
            }
        }

        var d = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = a[i, n];
            for (int j = i + 1; j < n; j++)
            {
                s -= a[i, j] * d[j];
            }

            d[i] = s / a[i, i];
        }

        return [.. d.Select(v => -v)];
    }

    [Fact]
    public void A_loss_of_zero_never_stops_by_the_floor()
    {
        var quadratic = new LeastSquares.Loss.MseQuadratic(Synthetic.Moments([[1.0], [2.0], [3.0]], [2.0, 4.0, 6.0]), intercept: true);
        Assert.False(new LossFloor(quadratic).Reached([0.0, 0.0], 0));
    }
}
