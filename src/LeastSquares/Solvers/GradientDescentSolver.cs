using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>
/// Batch gradient descent on <see cref="Mse"/>. The full-batch gradient is an exact function of
/// the moments, so an iteration costs O(p²) however many rows there are.
/// </summary>
/// <remarks>
/// <para>Scaling: with <see cref="FeatureScaling.Standard"/> the iteration runs on standardized
/// features; with <see cref="FeatureScaling.None"/> it is the textbook θ ← θ − α·∇MSE(θ) on the
/// raw features from θ = 0. Coefficients are always reported in the original units.</para>
/// <para>Step size: see <see cref="StepSizePolicy"/>; update rules: <see cref="OptimizerStep"/>.</para>
/// <para>Convergence (see <see cref="Yardstick"/>, <see cref="IterationLoop"/>): the slopes' part of ∇MSE must shrink to tol
/// times its size at the intercept-only fit, and the intercept's part to tol times its size at
/// θ = 0, in the basis the iteration runs in. Divergence: a loss that is not finite or exceeds a
/// million times the starting loss.</para>
/// </remarks>
internal static class GradientDescentSolver
{
    /// <summary>Runs gradient descent on the model of <paramref name="moments"/>.</summary>
    /// <exception cref="InsufficientDataException">Fewer rows than coefficients.</exception>
    /// <exception cref="SingularDesignException">Constant or collinear columns (the minimiser is not unique).</exception>
    /// <exception cref="DivergenceException">The iteration diverged.</exception>
    public static Solution Solve(Moments moments, SolverOptions options) => Solve(moments, options, null);

    /// <summary>
    /// Mini-batch stochastic gradient descent over <paramref name="rows"/> (each <c>[x₁, …, x_k, y]</c>,
    /// the rows the moments were accumulated from). Every epoch visits the rows in a fresh shuffle
    /// drawn from <see cref="SolverOptions.Seed"/>, in batches of <see cref="SolverOptions.BatchSize"/>.
    /// The reported estimate is the average of the iterates over the second half of the epochs
    /// (tail averaging), which removes most of the noise a constant step leaves. Convergence and
    /// divergence are judged on the exact full-batch loss and gradient from the moments, once per epoch.
    /// </summary>
    public static Solution SolveStochastic(Moments moments, ReadOnlyMemory<double> rows, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(moments);
        if (rows.Length != moments.Count * moments.Terms.RowWidth)
        {
            throw new ArgumentException($"Expected {moments.Count} rows of {moments.Terms.RowWidth} values.", nameof(rows));
        }

        return Solve(moments, options, rows);
    }

    private static Solution Solve(Moments moments, SolverOptions options, ReadOnlyMemory<double>? rows)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var terms = moments.Terms;
        Solution.CheckRows(moments);

        bool intercept = terms.Intercept;
        var work = intercept ? moments : moments.Recentre(0);
        var system = WorkingSystem.Create(work, intercept, terms.FeatureNames); // rank check, and covariance for the summary
        var basis = IterationBasis(work, options.Scaling);
        var quadratic = new MseQuadratic(work.Transform(basis.L, basis.S, work.Centre), intercept);
        var warnings = new List<FitWarning>();
        var steps = StepSizePolicy.Choose(quadratic, work, options, rows is not null, warnings);
        int q = terms.FeatureCount;
        var theta = StartingPoint(options, work, basis, BasisMap.For(work), q, intercept);
        var yardstick = Yardstick.For(quadratic);
        var run = rows is { } data
            ? IterateStochastic(quadratic, theta, steps.Rate, options, new RowFeatures(work, basis), data, yardstick)
            : Iterate(quadratic, theta, steps, options, yardstick);
        if (run.Diverged)
        {
            // Under a schedule the rate at the end, not the starting one, is what diverged.
            double last = StepSizePolicy.At(steps.Rate, options.Schedule, StepSizePolicy.Decay(options), Math.Max(run.Iterations - 1, 0));
            throw new DivergenceException(steps.Rate, last, steps.Limit, run.Iterations, options.Scaling, rows is not null);
        }

        if (!run.Converged)
        {
            warnings.Add(new NotConverged(run.Iterations, steps.Rate, run.RelativeGradient, options));
        }

        // Back from the iteration basis to the working one; the builder maps that to the user's.
        var slopes = new DoubleDouble[q];
        for (int j = 0; j < q; j++)
        {
            slopes[j] = theta[j + 1];
        }

        var (theta0, beta) = basis.ToBase(new DoubleDouble(theta[0]), slopes);
        return new Solution(rows is null ? "gd" : "sgd", moments, work, theta0, beta, Mse.SumOfSquares(work, theta0, beta), system.UnscaledCovariance())
        {
            System = system,
            Iterations = run.Iterations,
            Converged = run.Converged,
            Warnings = warnings,
            Trace = options.RecordTrace ? run.Trace : null,
        };
    }

    private static double[] StartingPoint(SolverOptions options, Moments work, AffineBasis basis, BasisMap map, int q, bool intercept)
    {
        var theta = new double[q + 1];
        if (options.InitialCoefficients is not { } init)
        {
            // The textbook start θ = 0 in the user's basis is θ = 0 in every basis used here.
            return theta;
        }

        int p = q + (intercept ? 1 : 0);
        if (init.Count != p)
        {
            throw new ArgumentException($"The starting coefficients have {init.Count} values; this model has {p}.", nameof(options));
        }

        var userTheta = new DoubleDouble[q + 1];
        for (int j = 0; j < p; j++)
        {
            userTheta[j + (intercept ? 0 : 1)] = init[j];
        }

        var (t0, b) = map.FromUser(userTheta);
        var (g0, gb) = basis.FromBase(t0, b);
        theta[0] = intercept ? g0.ToDouble() : 0;
        for (int j = 0; j < q; j++)
        {
            theta[j + 1] = gb[j].ToDouble();
        }

        return theta;
    }

    private static AffineBasis IterationBasis(Moments work, FeatureScaling scaling)
    {
        int q = work.FeatureCount;
        bool intercept = work.Terms.Intercept;
        if (scaling == FeatureScaling.None)
        {
            return work.Centre != 0 && work.Terms.Recentre(new DoubleDouble(work.Centre)) is { } map
                ? new AffineBasis(map.L, map.S)
                : AffineBasis.Identity(q);
        }

        var l = new DoubleDouble[q, q];
        var s = new DoubleDouble[q];
        for (int j = 0; j < q; j++)
        {
            // Standardize with an intercept; without one a shift would add an intercept, so scale by the root mean square.
            var second = intercept ? work.Co[j, j] : work.Co[j, j] + work.Mean[j] * work.Mean[j] * (double)work.Count;
            double sd = Math.Sqrt((second / work.Count).ToDouble());
            if (!(sd > 0))
            {
                sd = 1;
            }

            l[j, j] = 1 / sd;
            s[j] = intercept ? -(work.Mean[j] / sd) : DoubleDouble.Zero;
        }

        return new AffineBasis(l, s);
    }

    private static RunOutcome Iterate(MseQuadratic quadratic, double[] theta, StepSizes steps, SolverOptions options, Yardstick yardstick)
    {
        var grad = new double[theta.Length];
        var optimizer = OptimizerStep.Create(options.Optimizer, theta.Length, steps.Momentum);
        double loss = Mse.ValueAndGradient(quadratic, theta, grad);
        var loop = new IterationLoop(options, loss);
        var floor = new LossFloor(quadratic);
        double decay = StepSizePolicy.Decay(options);
        int k = 0;
        double rel = yardstick.Relative(grad);
        while (true)
        {
            double last = k == 0 ? 0 : StepSizePolicy.At(steps.Rate, options.Schedule, decay, k - 1);
            bool atLimit = k >= options.MaxIterations;
            bool atFloor = atLimit && floor.Reached(grad, loss);
            if (loop.Judge(new IterationRecord(k, loss, IterationLoop.Norm(grad), last), rel, atLimit, atFloor) is { } outcome)
            {
                return outcome;
            }

            double step = StepSizePolicy.At(steps.Rate, options.Schedule, decay, k);
            k++;
            if ((k & 1023) == 0)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                options.Progress?.Report(new IterationRecord(k, loss, IterationLoop.Norm(grad), step));
            }

            optimizer.Apply(theta, grad, step, quadratic.Intercept);
            loss = Mse.ValueAndGradient(quadratic, theta, grad);
            rel = yardstick.Relative(grad);
        }
    }

    private static RunOutcome IterateStochastic(MseQuadratic quadratic, double[] theta, double alpha, SolverOptions options,
        RowFeatures features, ReadOnlyMemory<double> rows, Yardstick yardstick)
    {
        int m = theta.Length;
        int q = m - 1;
        int n = features.Count(rows.Length);
        int batch = Math.Min(options.BatchSize, n);
        var grad = new double[m];
        var full = new double[m];
        var optimizer = OptimizerStep.Create(options.Optimizer, m, OptimizerStep.DefaultMomentum);
        var average = new double[m];
        var x = new double[batch * q];
        var y = new double[batch];
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Random(options.Seed);
        double initialLoss = Mse.ValueAndGradient(quadratic, theta, full);
        var loop = new IterationLoop(options, initialLoss);
        var floor = new LossFloor(quadratic);
        loop.Record(new IterationRecord(0, initialLoss, IterationLoop.Norm(full), 0)); // epoch 0 is the starting point, as iterate 0 is in a gd trace
        double decay = StepSizePolicy.Decay(options);
        int averageFrom = options.MaxIterations / 2;
        long averaged = 0;
        for (int epoch = 1; epoch <= options.MaxIterations; epoch++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            double step = StepSizePolicy.At(alpha, options.Schedule, decay, epoch - 1);
            rng.Shuffle(order);
            for (int start = 0; start < n; start += batch)
            {
                int count = Math.Min(batch, n - start);
                for (int r = 0; r < count; r++)
                {
                    y[r] = features.Fill(rows.Span, order[start + r], x.AsSpan(r * q, q));
                }

                Mse.ValueAndGradient(x, y, count, theta, grad, quadratic.Intercept);

                // A short last batch takes a proportionally shorter step, so that every row weighs
                // the same in an epoch; otherwise its few rows would pull the fixed point towards them.
                optimizer.Apply(theta, grad, step * count / batch, quadratic.Intercept);
                if (epoch > averageFrom)
                {
                    // Weighted by the rows in the batch, so a short last batch counts for less.
                    averaged += count;
                    double w = (double)count / averaged;
                    for (int j = 0; j < m; j++)
                    {
                        average[j] += (theta[j] - average[j]) * w;
                    }
                }
            }

            var estimate = averaged > 0 ? average : theta;
            double loss = Mse.ValueAndGradient(quadratic, estimate, full);
            double rel = yardstick.Relative(full);
            var record = new IterationRecord(epoch, loss, IterationLoop.Norm(full), step);
            options.Progress?.Report(record);
            bool atLimit = epoch == options.MaxIterations;
            bool atFloor = atLimit && floor.Reached(full, loss);
            if (loop.Judge(record, rel, atLimit, atFloor) is { } outcome)
            {
                if (!outcome.Diverged)
                {
                    estimate.CopyTo(theta, 0);
                }

                return outcome;
            }
        }

        return loop.Exhausted();
    }
}
