namespace LeastSquares.Tests.Loss;

public sealed class MseTests
{
    private static (double[][] X, double[] Y) Data() => Synthetic.Linear(11, 60, [1.0, -2.0, 0.5, 3.0], 0.7, lo: -3, hi: 5);

    [Fact]
    public void Moment_form_equals_row_form_of_loss_and_gradient()
    {
        var (x, y) = Data();
        var moments = Synthetic.Moments(x, y);
        var quadratic = new MseQuadratic(moments, intercept: true);
        double[] theta = [0.3, 1.1, -0.4, 2.5];
        var g1 = new double[4];
        var g2 = new double[4];
        double l1 = Mse.ValueAndGradient(quadratic, theta, g1);
        var flat = x.SelectMany(r => r).ToArray();
        double l2 = Mse.ValueAndGradient(flat, y, y.Length, theta, g2, intercept: true);
        Assert.Equal(l2, l1, 1e-10 * l2);
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(g2[j], g1[j], 1e-9 * Math.Max(1, Math.Abs(g2[j])));
        }

        // The double-double evaluation from the moments agrees too.
        Assert.Equal(l2, Mse.Value(moments, theta[0], theta.AsSpan(1)), 1e-12 * l2);
    }

    [Fact]
    public void Gradient_matches_central_finite_differences()
    {
        var (x, y) = Data();
        var quadratic = new MseQuadratic(Synthetic.Moments(x, y), intercept: true);
        double[] theta = [0.3, 1.1, -0.4, 2.5];
        var g = new double[4];
        Mse.ValueAndGradient(quadratic, theta, g);
        for (int j = 0; j < 4; j++)
        {
            const double Step = 1e-5;
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += Step;
            minus[j] -= Step;
            double fd = (Mse.Value(quadratic, plus) - Mse.Value(quadratic, minus)) / (2 * Step);
            Assert.Equal(fd, g[j], 1e-6 * Math.Max(1, Math.Abs(fd)));
        }
    }

    [Fact]
    public void Loss_is_the_mean_not_the_sum()
    {
        // Two rows, θ = 0: MSE = (y₁² + y₂²)/2 by hand.
        var moments = Synthetic.Moments([[1.0], [2.0]], [3.0, 5.0]);
        Assert.Equal(17.0, Mse.Value(moments, 0, [0.0]), 12);
    }

    [Fact]
    public void Without_intercept_the_intercept_gradient_is_zero()
    {
        var (x, y) = Data();
        var quadratic = new MseQuadratic(Synthetic.Moments(x, y, intercept: false), intercept: false);
        double[] theta = [0, 1, 1, 1];
        var g = new double[4];
        Mse.ValueAndGradient(quadratic, theta, g);
        Assert.Equal(0, g[0]);

        // The slopes' gradient is that of the model through the origin, (2/n)·Xᵀ(Xβ − y), by rows.
        var expected = new double[4];
        var flat = x.SelectMany(r => r).ToArray();
        Mse.ValueAndGradient(flat, y, y.Length, theta, expected, intercept: false);
        for (int j = 1; j < 4; j++)
        {
            double byHand = 0;
            for (int i = 0; i < y.Length; i++)
            {
                byHand += 2.0 / y.Length * (x[i][0] + x[i][1] + x[i][2] - y[i]) * x[i][j - 1];
            }

            Assert.Equal(byHand, expected[j], 1e-12 * Math.Max(1, Math.Abs(byHand)));
            Assert.Equal(byHand, g[j], 1e-9 * Math.Max(1, Math.Abs(byHand)));
        }
    }
}
