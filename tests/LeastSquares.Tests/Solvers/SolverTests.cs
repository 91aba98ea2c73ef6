namespace LeastSquares.Tests.Solvers;

public sealed class SolverTests
{
    public static TheoryData<FitMethod> Methods => [FitMethod.Normal, FitMethod.Qr, FitMethod.GradientDescent];

    public static TheoryData<FitMethod> ClosedForm => [FitMethod.Normal, FitMethod.Qr];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Recovers_known_coefficients_of_noise_free_data(FitMethod method)
    {
        double[] beta = [4, 3, -1.5, 0.25];
        var (x, y) = Synthetic.Linear(5, 200, beta, sigma: 0, lo: -2, hi: 6);
        var acc = MomentAccumulator.Create(new ModelTerms(["x1", "x2", "x3"], "y"), method);
        for (int i = 0; i < y.Length; i++)
        {
            acc.Add([.. x[i], y[i]]);
        }

        var fit = Solver.Fit(acc, new SolverOptions { Method = method, Tolerance = 1e-14, MaxIterations = 100000 });
        for (int j = 0; j < beta.Length; j++)
        {
            Assert.True(Synthetic.Digits(fit.Coefficients[j], beta[j]) >= 8, $"{method} β{j}: {fit.Coefficients[j]} vs {beta[j]}");
        }

        Assert.True(fit.Converged);
    }

    [Fact]
    public void Gradient_descent_agrees_with_closed_form_to_8_digits_on_y_4_plus_3x()
    {
        var (x, y) = Synthetic.Linear(42, 100, [4, 3], sigma: 1);
        var m = Synthetic.Moments(x, y);
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent });
        for (int j = 0; j < 2; j++)
        {
            Assert.True(Synthetic.Digits(gd.Coefficients[j], exact.Coefficients[j]) >= 8);
        }

        Assert.True(gd.Converged);
        Assert.Equal(exact.MeanSquaredError, gd.MeanSquaredError, 1e-12 * exact.MeanSquaredError);
    }

    [Fact]
    public void Unscaled_gradient_descent_is_the_textbook_iteration()
    {
        var (x, y) = Synthetic.Linear(42, 100, [4, 3], sigma: 1);
        var fit = Solver.Fit(Synthetic.Moments(x, y), new SolverOptions
        {
            Method = FitMethod.GradientDescent,
            LearningRate = 0.01,
            MaxIterations = 100,
            Scaling = FeatureScaling.None,
        });

        // Hand computation over the rows: θ ← θ − α·(2/n)·Xᵀ(Xθ − y) from θ = 0.
        double t0 = 0, t1 = 0;
        for (int k = 0; k < 100; k++)
        {
            double g0 = 0, g1 = 0;
            for (int i = 0; i < y.Length; i++)
            {
                double r = t0 + (t1 * x[i][0]) - y[i];
                g0 += r;
                g1 += r * x[i][0];
            }

            t0 -= 0.01 * 2 * g0 / y.Length;
            t1 -= 0.01 * 2 * g1 / y.Length;
        }

        Assert.Equal(t0, fit.Coefficients[0], 1e-11);
        Assert.Equal(t1, fit.Coefficients[1], 1e-11);
        Assert.Equal(100, fit.Iterations);
        Assert.False(fit.Converged);
        Assert.Contains(fit.Warnings, w => w is NotConverged { Iterations: 100, Rate: 0.01 });
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(1e9)]
    [InlineData(1.7e12)]
    public void Shifted_predictor_matches_the_exact_solution_to_10_digits(double offset)
    {
        var (x, y) = Synthetic.Linear(3, 100, [4, 3], sigma: 1, offset: offset, lo: 0, hi: 10);
        var (theta, sse) = ExactLeastSquares.Solve(x, y, intercept: true);
        var fit = Solver.Fit(Synthetic.Moments(x, y), new SolverOptions());
        Assert.True(Synthetic.Digits(fit.Coefficients[0], theta[0]) >= 10, $"intercept {fit.Coefficients[0]} vs {theta[0]}");
        Assert.True(Synthetic.Digits(fit.Coefficients[1], theta[1]) >= 10, $"slope {fit.Coefficients[1]} vs {theta[1]}");
        Assert.True(Synthetic.Digits(fit.SumOfSquaredErrors, sse) >= 10);
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(1e9)]
    public void Gradient_descent_on_shifted_data_reaches_the_closed_form(double offset)
    {
        var (x, y) = Synthetic.Linear(3, 100, [4, 3], sigma: 1, offset: offset, lo: 0, hi: 10);
        var m = Synthetic.Moments(x, y);
        var exact = Solver.Fit(m, new SolverOptions());
        var gd = Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent, Tolerance = 1e-14 });
        Assert.True(gd.Converged);
        Assert.True(Synthetic.Digits(gd.Coefficients[1], exact.Coefficients[1]) >= 8);
        Assert.True(Synthetic.Digits(gd.Coefficients[0], exact.Coefficients[0]) >= 8);
    }

    [Fact]
    public void Too_large_learning_rate_diverges_with_the_stable_limit_in_the_message()
    {
        var (x, y) = Synthetic.Linear(42, 100, [4, 3], sigma: 1);
        var ex = Assert.Throws<DivergenceException>(() => Solver.Fit(Synthetic.Moments(x, y),
            new SolverOptions { Method = FitMethod.GradientDescent, LearningRate = 5, Scaling = FeatureScaling.None }));
        Assert.Contains("largest stable rate", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.LargestStableRate is > 0 and < 5);
    }

    [Fact]
    public void A_schedule_that_grows_the_rate_until_it_diverges_names_the_rate_it_reached()
    {
        var (x, y) = Synthetic.Linear(42, 100, [4, 3], sigma: 1);
        var ex = Assert.Throws<DivergenceException>(() => Solver.Fit(Synthetic.Moments(x, y),
            new SolverOptions { Method = FitMethod.GradientDescent, LearningRate = 1e-4, Schedule = LearningRateSchedule.Exponential, Decay = 2 }));
        Assert.Equal(1e-4, ex.Rate);
        Assert.Equal(1e-4 * Math.Pow(2, ex.Iterations - 1), ex.FinalRate, 1e-12 * ex.FinalRate);
        Assert.True(ex.FinalRate > ex.LargestStableRate, $"{ex.FinalRate} against {ex.LargestStableRate}");
    }

    [Theory]
    [MemberData(nameof(ClosedForm))]
    public void Constant_column_is_named(FitMethod method)
    {
        var x = Enumerable.Range(0, 10).Select(i => new double[] { i, 7 }).ToArray();
        var y = Enumerable.Range(0, 10).Select(i => (2.0 * i) + 1).ToArray();
        var ex = Assert.Throws<SingularDesignException>(() => Synthetic.Fit(x, y, method, names: ["a", "b"]));
        Assert.Equal(["b"], ex.Columns);
        var constant = Assert.IsType<ConstantColumn>(ex.Defect);
        Assert.Equal(7, constant.Value, 12);
    }

    [Theory]
    [MemberData(nameof(ClosedForm))]
    public void Collinear_columns_are_named_with_the_relation(FitMethod method)
    {
        var rng = new Random(1);
        var x = Enumerable.Range(0, 20).Select(i => { double a = rng.NextDouble(); double b = rng.NextDouble(); return new[] { a, b, a + (2 * b) }; }).ToArray();
        var y = x.Select(r => r[0] - r[1]).ToArray();
        var ex = Assert.Throws<SingularDesignException>(() => Synthetic.Fit(x, y, method, names: ["a", "b", "c"]));
        Assert.Equal(["c", "a", "b"], ex.Columns);
        var collinear = Assert.IsType<CollinearColumns>(ex.Defect);
        Assert.True(collinear.Intercept);
        Assert.Equal(1, collinear.Others[0].Weight, 6);
        Assert.Equal(2, collinear.Others[1].Weight, 6);
    }

    [Fact]
    public void Fewer_rows_than_coefficients_is_refused()
    {
        var ex = Assert.Throws<InsufficientDataException>(() => Solver.Fit(Synthetic.Moments([[1.0, 2.0], [2.0, 1.0]], [1.0, 2.0]), new SolverOptions()));
        Assert.Equal(2, ex.Rows);
        Assert.Equal(3, ex.Coefficients);
    }

    [Fact]
    public void Exact_fit_has_zero_residual_and_undefined_statistics_without_degrees_of_freedom()
    {
        var fit = Solver.Fit(Synthetic.Moments([[1.0], [3.0]], [2.0, 6.0]), new SolverOptions());
        Assert.Equal(0, fit.SumOfSquaredErrors);
        var stats = RegressionStatistics.Compute(fit);
        Assert.Null(stats.ResidualStandardError);
        Assert.Null(stats.Coefficients[1].StandardError);
        Assert.Equal(1, stats.RSquared);
    }

    [Fact]
    public void Moments_merge_like_one_pass()
    {
        var (x, y) = Synthetic.Linear(9, 300, [1, 2, 3], sigma: 0.5, offset: 1e7);
        var whole = Synthetic.Moments(x, y);
        var a = Synthetic.Moments(x[..100], y[..100]);
        var b = Synthetic.Moments(x[100..], y[100..]);
        var merged = Moments.Merge(b, a);
        var f1 = Solver.Fit(whole, new SolverOptions());
        var f2 = Solver.Fit(merged, new SolverOptions());
        for (int j = 0; j < 3; j++)
        {
            Assert.True(Synthetic.Digits(f2.Coefficients[j], f1.Coefficients[j]) >= 12);
        }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    public void Triangular_factors_merge_like_one_pass(bool intercept, int degree)
    {
        // Raw powers of x near 1e7 without an intercept would be numerically collinear; 10 is enough there.
        double offset = intercept || degree == 1 ? 1e7 : 10;
        var (x, y) = Synthetic.Linear(9, 300, degree == 1 ? [1, 2, 3] : [1, 2], sigma: 0.5, offset: offset);
        if (degree > 1)
        {
            y = x.Select((r, i) => y[i] + (0.5 * (r[0] - offset) * (r[0] - offset))).ToArray();
        }

        var terms = new ModelTerms(degree == 1 ? ["x1", "x2"] : ["x"], "y", degree, intercept);
        QrAccumulator Fold(Range range)
        {
            var acc = new QrAccumulator(terms);
            foreach (var i in Enumerable.Range(0, y.Length).Take(range))
            {
                acc.Add([.. x[i], y[i]]);
            }

            return acc;
        }

        var options = new SolverOptions { Method = FitMethod.Qr };
        var whole = Solver.Fit(Fold(..), options);
        var merged = Solver.Fit(TriangularFactor.Merge(Fold(200..).ToFactor(), Fold(..200).ToFactor()), options);
        var normal = Solver.Fit(Fold(..).ToMoments(), new SolverOptions());
        for (int j = 0; j < whole.CoefficientCount; j++)
        {
            Assert.True(Synthetic.Digits(merged.Coefficients[j], whole.Coefficients[j]) >= 12, $"merged θ{j}");
            Assert.True(Synthetic.Digits(normal.Coefficients[j], whole.Coefficients[j]) >= 12, $"moments of the factor θ{j}");
        }

        Assert.True(Synthetic.Digits(merged.SumOfSquaredErrors, whole.SumOfSquaredErrors) >= 12);
    }

    [Theory]
    [InlineData(FitMethod.Qr)]
    [InlineData(FitMethod.Normal)]
    public void Any_state_merges_with_its_kind_and_is_fitted_by_it(FitMethod method)
    {
        var (x, y) = Synthetic.Linear(4, 120, [1, 2, -3], sigma: 0.5);
        var terms = new ModelTerms(["a", "b"], "y");
        IModelState Fold(Range range)
        {
            var acc = MomentAccumulator.Create(terms, method);
            foreach (var i in Enumerable.Range(0, y.Length).Take(range))
            {
                acc.Add([.. x[i], y[i]]);
            }

            return acc.ToState();
        }

        var whole = Fold(..);
        Assert.IsType(method == FitMethod.Qr ? typeof(TriangularFactor) : typeof(Moments), whole);
        var merged = Fold(..50).Merge(Fold(50..));
        Assert.Equal(whole.Count, merged.Count);
        var options = new SolverOptions { Method = method };
        var a = Solver.Fit(whole, options);
        var b = Solver.Fit(merged, options);
        Assert.Equal(method == FitMethod.Qr ? "qr" : "normal", b.Method);
        for (int j = 0; j < a.CoefficientCount; j++)
        {
            Assert.True(Synthetic.Digits(b.Coefficients[j], a.Coefficients[j]) >= 12, $"θ{j}");
        }

        Assert.Throws<ArgumentException>(() => whole.Merge(method == FitMethod.Qr ? whole.ToMoments() : TriangularFactor.FromMoments(whole.ToMoments())));
    }

    [Fact]
    public void Qr_needs_the_factor_not_the_moments()
    {
        var (x, y) = Synthetic.Linear(9, 50, [1, 2], sigma: 0.5);
        var ex = Assert.Throws<NotSupportedException>(() => Solver.Fit(Synthetic.Moments(x, y), new SolverOptions { Method = FitMethod.Qr }));
        Assert.Contains("MomentAccumulator.Create(terms, FitMethod.Qr)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitting_does_not_change_the_moments()
    {
        var (x, y) = Synthetic.Linear(9, 50, [1, 2], sigma: 0.5);
        var m = Synthetic.Moments(x, y);
        var before = Enumerable.Range(0, 2).Select(m.GetMean).ToArray();
        Solver.Fit(m, new SolverOptions { Method = FitMethod.GradientDescent });
        Assert.Equal(before, Enumerable.Range(0, 2).Select(m.GetMean).ToArray());
    }
}
