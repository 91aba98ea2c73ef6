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
    /// the rows the moments were accumulated from), read again block by block every epoch.
    /// Each epoch visits the blocks in a fresh seeded permutation and the rows of each block in a
    /// fresh seeded shuffle (<see cref="SolverOptions.Seed"/>), in batches of <see cref="SolverOptions.BatchSize"/>
    /// that run on across blocks; with a single block this is a full shuffle of the rows.
    /// The reported estimate is the average of the iterates over the second half of the epochs
    /// (tail averaging), which removes most of the noise a constant step leaves. Convergence and
    /// divergence are judged on the exact full-batch loss and gradient from the moments, once per epoch.
    /// </summary>
    public static Solution SolveStochastic(Moments moments, IRowBlocks rows, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count != moments.Count || rows.Width != moments.Terms.RowWidth)
        {
            throw new ArgumentException($"Expected {moments.Count} rows of {moments.Terms.RowWidth} values; got {rows.Count} of {rows.Width}.", nameof(rows));
        }

        return Solve(moments, options, rows);
    }

    private static Solution Solve(Moments moments, SolverOptions options, IRowBlocks? rows)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var terms = moments.Terms;
        Solution.CheckRows(moments);
        if (options.Penalty is not null && (!terms.Intercept || !terms.AllPlainColumns))
        {
            throw new NotSupportedException("A penalized gradient descent needs an intercept and plain columns (the penalty falls on the columns as they are).");
        }

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
        return new Solution(rows is null ? "gd" : "sgd", moments, work, theta0, beta, Mse.SumOfSquares(work, theta0, beta),
            options.Penalty is null && options.Covariance ? system.UnscaledCovariance() : null)
        {
            Penalty = options.Penalty,
            NonZero = options.Penalty is null ? null : theta.Skip(1).Count(v => v != 0),
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
        var mapped = new double[theta.Length];
        var optimizer = OptimizerStep.Create(options.Optimizer, theta.Length, steps.Momentum);
        double loss = Mse.ValueAndGradient(quadratic, theta, grad);
        var loop = new IterationLoop(options, loss);
        var floor = new LossFloor(quadratic);
        double decay = StepSizePolicy.Decay(options);
        int k = 0;
        double rel = yardstick.Relative(Mapping(options.Penalty, theta, grad, steps.Rate, mapped));
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
            Proximal(options.Penalty, theta, step);
            loss = Mse.ValueAndGradient(quadratic, theta, grad);
            rel = yardstick.Relative(Mapping(options.Penalty, theta, grad, step, mapped));
        }
    }

    /// <summary>
    /// The proximal step of a penalized descent on the slopes: MSE/2 + P is minimised as MSE + 2P,
    /// so after a gradient step α on the MSE each slope goes through the proximal map of 2α·P.
    /// </summary>
    private static void Proximal(Penalty? penalty, double[] theta, double step)
    {
        if (penalty is null)
        {
            return;
        }

        for (int j = 1; j < theta.Length; j++)
        {
            theta[j] = penalty.Proximal(theta[j], 2 * step);
        }
    }

    /// <summary>
    /// What the stopping rule measures: the gradient, or for a penalized descent the gradient
    /// mapping (θ − prox(θ − α∇))/α, which is 0 exactly at the penalized minimum.
    /// </summary>
    private static double[] Mapping(Penalty? penalty, double[] theta, double[] grad, double step, double[] mapped)
    {
        if (penalty is null || !(step > 0))
        {
            return grad;
        }

        mapped[0] = grad[0];
        for (int j = 1; j < theta.Length; j++)
        {
            mapped[j] = (theta[j] - penalty.Proximal(theta[j] - (step * grad[j]), 2 * step)) / step;
        }

        return mapped;
    }

    private static RunOutcome IterateStochastic(MseQuadratic quadratic, double[] theta, double alpha, SolverOptions options,
        RowFeatures features, IRowBlocks rows, Yardstick yardstick)
    {
        int m = theta.Length;
        int q = m - 1;
        long n = rows.Count;
        int batch = (int)Math.Min(options.BatchSize, n);
        int blockRows = (int)Math.Min(rows.BlockRows, n);
        var grad = new double[m];
        var full = new double[m];
        var mapped = new double[m];
        var optimizer = OptimizerStep.Create(options.Optimizer, m, OptimizerStep.DefaultMomentum);
        var average = new double[m];
        var x = new double[batch * q];
        var y = new double[batch];
        var block = new double[blockRows * rows.Width];
        var blockOrder = Enumerable.Range(0, rows.BlockCount).ToArray();

        // The order inside a block is shuffled again every epoch from where it was left, as a
        // whole-data shuffle was before blocks: with one block the two are the same draw.
        var orders = new Dictionary<int, int[]>();
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
            rng.Shuffle(blockOrder);
            int filled = 0;
            foreach (int b in blockOrder)
            {
                int count = rows.Read(b, block);
                if (!orders.TryGetValue(count, out var order))
                {
                    order = Enumerable.Range(0, count).ToArray();
                    orders[count] = order;
                }

                rng.Shuffle(order);
                for (int r = 0; r < count; r++)
                {
                    y[filled] = features.Fill(block, order[r], x.AsSpan(filled * q, q));
                    if (++filled == batch)
                    {
                        Step(filled);
                        filled = 0;
                    }
                }

                options.Cancellation.ThrowIfCancellationRequested();
            }

            if (filled > 0)
            {
                Step(filled);
            }

            var estimate = averaged > 0 ? average : theta;
            double loss = Mse.ValueAndGradient(quadratic, estimate, full);
            double rel = yardstick.Relative(Mapping(options.Penalty, estimate, full, step, mapped));
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

            void Step(int count)
            {
                Mse.ValueAndGradient(x, y, count, theta, grad, quadratic.Intercept);

                // A short last batch takes a proportionally shorter step, so that every row weighs
                // the same in an epoch; otherwise its few rows would pull the fixed point towards them.
                optimizer.Apply(theta, grad, step * count / batch, quadratic.Intercept);
                Proximal(options.Penalty, theta, step * count / batch);
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
        }

        return loop.Exhausted();
    }
}
