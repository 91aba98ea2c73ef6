namespace LeastSquares.Tests.Solvers;

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
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Optimizer = optimizer, Tolerance = 1e-13, MaxIterations = 100_000 });
        Assert.True(gd.Converged, $"{optimizer}: {gd.Iterations} iterations, {WorstDigits(gd, exact):F1} digits");
        Assert.True(WorstDigits(gd, exact) >= digits, $"{optimizer}: {WorstDigits(gd, exact):F1} digits");
    }

    [Fact]
    public void Adding_a_constant_to_y_changes_only_the_intercept()
    {
        // --tol must not measure the gradient against the mean of y: with 1e6 added to y, a
        // yardstick that counted ȳ (‖∇MSE(0)‖ ≈ 2ȳ) would stop while the weaker slopes were
        // still off in their fourth digit.
        var rng = new Random(8);
        var x = new double[1000][];
        var y = new double[1000];
        for (int i = 0; i < 1000; i++)
        {
            double x1 = Synthetic.Normal(rng);
            x[i] = [x1, (0.6 * x1) + (0.8 * Synthetic.Normal(rng)), Synthetic.Normal(rng)]; // correlated, so gd takes many steps
            y[i] = 2 + (1000 * x[i][0]) + (0.5 * x[i][1]) + (0.01 * x[i][2]) + Synthetic.Normal(rng);
        }

        var options = new SolverOptions { Method = FitMethod.GradientDescent };
        var shifted = y.Select(v => v + 1e6).ToArray();
        var near = Solver.Fit(Synthetic.Moments(x, y), options);
        var far = Solver.Fit(Synthetic.Moments(x, shifted), options);
        var exact = Solver.Fit(Synthetic.Moments(x, shifted), new SolverOptions());
        Assert.True(near.Converged && far.Converged);
        for (int j = 1; j <= 3; j++)
        {
            // Within 1e-8 of the largest effect (1000): the accuracy --tol 1e-10 gives on this design.
            Assert.True(Math.Abs(far.Coefficients[j] - exact.Coefficients[j]) <= 1e-5, $"β{j}: {far.Coefficients[j]:R} vs {exact.Coefficients[j]:R}");
            Assert.True(Math.Abs(far.Coefficients[j] - near.Coefficients[j]) <= 1e-5, $"β{j}: {far.Coefficients[j]:R} vs {near.Coefficients[j]:R} without the shift");
        }

        Assert.True(Math.Abs(far.Coefficients[0] - 1e6 - near.Coefficients[0]) <= 1e-4);
    }

    [Theory]
    [InlineData(Optimizer.Plain)]
    [InlineData(Optimizer.Momentum)]
    public void A_response_centred_near_zero_converges(Optimizer optimizer)
    {
        // z-scores: ȳ ≈ 1e-8, so 2|ȳ| is no yardstick for the intercept's gradient (tol times it
        // would lie below the rounding of the gradient itself); 2·sd(y) is.
        var rng = new Random(12);
        var x = Enumerable.Range(0, 500).Select(_ => new[] { Math.Round(10 * rng.NextDouble(), 4) }).ToArray();
        var raw = x.Select(r => (2 * r[0]) + (3 * Synthetic.Normal(rng))).ToArray();
        double mean = raw.Average(), sd = Math.Sqrt(raw.Select(v => (v - mean) * (v - mean)).Average());
        var y = raw.Select(v => Math.Round((v - mean) / sd, 6)).ToArray();
        var m = Synthetic.Moments(x, y);
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Optimizer = optimizer, Scaling = FeatureScaling.None, MaxIterations = 100_000 });
        Assert.True(gd.Converged, $"{gd.Iterations} iterations: {string.Join(" ", gd.Warnings)}");
        Assert.True(Synthetic.Digits(gd.Coefficients[1], exact.Coefficients[1]) >= 8, $"slope {gd.Coefficients[1]:R} vs {exact.Coefficients[1]:R}");
    }

    [Fact]
    public void Strongly_correlated_predictors_still_lose_their_loss_within_the_default_iterations()
    {
        // Correlation 0.99995: the Hessian's condition number is about 40,000, far beyond what
        // 1000 plain steps can resolve along the difference of the two columns. But the loss lies
        // along their sum, and the default step must remove it there (2/(λmax + λmin) ≈ 2/λmax
        // would flip it from side to side and leave the loss near its start), and say it stopped short.
        var m = Correlated();
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent });
        Assert.False(gd.Converged);
        Assert.Contains(gd.Warnings, w => w is NotConverged { Iterations: 1000, Settings.Optimizer: Optimizer.Plain, Settings.Method: FitMethod.GradientDescent });
        Assert.True(gd.SumOfSquaredErrors <= 1.001 * exact.SumOfSquaredErrors, $"SSE {gd.SumOfSquaredErrors:R} against {exact.SumOfSquaredErrors:R} at the optimum");
    }

    [Fact]
    public void The_tuned_heavy_ball_converges_on_strongly_correlated_predictors_in_about_root_kappa_iterations()
    {
        // κ ≈ 40,000: plain steps would need hundreds of thousands of iterations; the heavy ball
        // tuned to the spectrum needs a few thousand.
        var m = Correlated();
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Optimizer = Optimizer.Momentum, MaxIterations = 5000 });
        Assert.True(gd.Converged, $"{gd.Iterations} iterations");
        Assert.True(WorstDigits(gd, exact) >= 7, $"{WorstDigits(gd, exact):F1} digits after {gd.Iterations} iterations");
    }

    private static Moments Correlated()
    {
        var rng = new Random(5);
        var x = new double[100][];
        var y = new double[100];
        for (int i = 0; i < 100; i++)
        {
            double a = Synthetic.Normal(rng);
            x[i] = [a, a + (0.01 * Synthetic.Normal(rng))];
            y[i] = a + Synthetic.Normal(rng);
        }

        return Synthetic.Moments(x, y);
    }

    [SkippableTheory]
    [MemberData(nameof(Optimizers))]
    public void Longley(Optimizer optimizer, double digits)
    {
        var m = NistTests.Accumulate(TestData.LoadNist("Longley"), FitMethod.Normal).ToMoments();
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Optimizer = optimizer, Tolerance = 1e-14, MaxIterations = 2_000_000 });
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
        var exact = Solver.Fit(m, new SolverOptions());
        var sgd = Solver.FitRows(m, rows, new SolverOptions { Method = FitMethod.StochasticGradientDescent, Seed = 7 });
        Assert.Equal("sgd", sgd.Method);
        for (int j = 0; j < 2; j++)
        {
            Assert.True(Math.Abs(sgd.Coefficients[j] - exact.Coefficients[j]) <= 1e-3, $"β{j}: {sgd.Coefficients[j]} vs {exact.Coefficients[j]}");
        }
    }

    [Fact]
    public void Sgd_on_a_response_with_a_large_mean_does_not_claim_convergence_far_from_the_optimum()
    {
        // y ≈ 1e12 + 3x: measured against ‖∇MSE(0)‖ ≈ 2e12, sgd used to report convergence after
        // a few epochs with the slope off by 3%.
        var (x, y) = Synthetic.Linear(1, 300, [1e12, 3], sigma: 1e-3, lo: 0, hi: 10);
        var rows = x.Zip(y, (r, v) => r.Append(v)).SelectMany(r => r).ToArray();
        var m = Synthetic.Moments(x, y);
        var exact = Solver.Fit(m, new SolverOptions());
        var sgd = Solver.FitRows(m, rows, new SolverOptions { Method = FitMethod.StochasticGradientDescent });
        Assert.True(!sgd.Converged || Synthetic.Digits(sgd.Coefficients[1], exact.Coefficients[1]) >= 5,
            $"converged after {sgd.Iterations} epochs with slope {sgd.Coefficients[1]:R} against {exact.Coefficients[1]:R}");
        Assert.True(Synthetic.Digits(sgd.Coefficients[1], exact.Coefficients[1]) >= 3, $"slope {sgd.Coefficients[1]:R} against {exact.Coefficients[1]:R}");
    }

    [Fact]
    public void Sgd_with_a_seed_is_reproducible_and_the_seed_matters()
    {
        var (m, rows) = Data();
        var options = new SolverOptions { Method = FitMethod.StochasticGradientDescent, Seed = 3, MaxIterations = 50 };
        var a = Solver.FitRows(m, rows, options);
        var b = Solver.FitRows(m, rows, options);
        var c = Solver.FitRows(m, rows, options with { Seed = 4 });
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.NotEqual(a.Coefficients, c.Coefficients);
    }

    [Theory]
    [InlineData(Optimizer.Momentum, 6)]
    [InlineData(Optimizer.Adam, 4)]
    public void Sgd_optimizers_reach_the_closed_form_with_a_decaying_rate(Optimizer optimizer, double digits)
    {
        // x near 1e6, so the intercept (about −3e6) and the slope (3) are strongly coupled. At a
        // constant rate minibatch noise holds sgd at a floor (after 1000 epochs, seeds 1–7: slope
        // within 8e-6–3e-5 of the closed form with momentum, 5e-4–4e-3 with Adam). A rate decaying as
        // α/(1 + decay·k) goes on converging: with seed 1 and 20,000 epochs momentum is within 4.7e-9
        // (seed 2: 1.0e-7) and Adam within 3.5e-5 (seed 2: 3.6e-5), relative to the closed form,
        // for both coefficients. The bounds keep a factor of about 3–10 above the worst seen.
        var (m, rows) = Data(offset: 1e6);
        var exact = Solver.Fit(m, new SolverOptions());
        var sgd = Solver.FitRows(m, rows, new SolverOptions
        {
            Method = FitMethod.StochasticGradientDescent,
            Optimizer = optimizer,
            Schedule = LearningRateSchedule.InverseTime,
            MaxIterations = 20_000,
            Seed = 1,
        });
        for (int j = 0; j < 2; j++)
        {
            Assert.True(Synthetic.Digits(sgd.Coefficients[j], exact.Coefficients[j]) >= digits,
                $"{optimizer}: β{j} {sgd.Coefficients[j]:R} against the closed form {exact.Coefficients[j]:R} ({Synthetic.Digits(sgd.Coefficients[j], exact.Coefficients[j]):F1} digits)");
        }
    }
}
