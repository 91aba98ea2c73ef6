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
/// <para>Step size: the loss is quadratic with Hessian H = (2/n)XᵀX, so plain gradient descent
/// converges exactly when α &lt; 2/λmax(H). Without an explicit rate the solver takes
/// α = 2/(λmax + λmin), the rate with the fastest guaranteed contraction, but at most 1.5/λmax:
/// when λmin ≪ λmax the former sits at the edge of stability, where the stiffest direction (on
/// correlated features, the one that carries most of the loss) flips sign each step and barely
/// shrinks; at 1.5/λmax it halves each step, and the slow directions lose at most a quarter of
/// their speed.</para>
/// <para>Convergence (see <see cref="Yardstick"/>): the slopes' part of ∇MSE must shrink to tol
/// times its size at the intercept-only fit, and the intercept's part to tol times its size at
/// θ = 0, in the basis the iteration runs in. Divergence: a loss that is not finite or exceeds a
/// million times the starting loss.</para>
/// </remarks>
internal static class GradientDescentSolver
{
    private const double DivergenceFactor = 1e6;

    /// <summary>The heavy ball's momentum with an explicit --alpha, and in sgd.</summary>
    private const double DefaultMomentum = 0.9;

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
        var iterMoments = work.Transform(basis.L, basis.S, work.Centre);
        var quadratic = new MseQuadratic(iterMoments, intercept);
        var hessian = quadratic.Hessian();
        double lambdaMax = DdMatrix.LargestEigenvalue(hessian);
        double lambdaMin = SmallestEigenvalue(hessian, lambdaMax);
        double limit = 2 / lambdaMax;
        var warnings = new List<FitWarning>();
        double alpha;
        double momentum = DefaultMomentum;
        if (options.LearningRate is { } a)
        {
            alpha = a;
            if (options.Optimizer == Optimizer.Plain && alpha >= limit)
            {
                warnings.Add(new RateAboveStabilityLimit(alpha, limit));
            }
        }
        else
        {
            // Adam moves each coordinate by about α per step whatever the gradient's size, so its
            // rate is set relative to the size of the response; plain and momentum use the Hessian.
            alpha = options.Optimizer == Optimizer.Adam ? 0.01 * ResponseScale(work)
                : rows is null ? Math.Min(2 / (lambdaMax + lambdaMin), 1.5 / lambdaMax)
                : 0.1 / (lambdaMax + (Trace(hessian) / Math.Min(options.BatchSize, moments.Count))); // a batch's curvature can exceed the mean's; a tenth keeps the noise small
            if (options.Optimizer == Optimizer.Momentum && rows is null)
            {
                // Polyak's heavy ball tuned to the spectrum, the fastest fixed-parameter method on a
                // quadratic: about √κ iterations where plain steps need κ. λmax is taken 20% high,
                // as the edge of stability is near at a momentum close to 1 and the power
                // iteration's estimate can fall short of the true value.
                double top = Math.Sqrt(1.2 * lambdaMax);
                double bottom = Math.Sqrt(lambdaMin);
                alpha = 4 / ((top + bottom) * (top + bottom));
                momentum = Math.Pow((top - bottom) / (top + bottom), 2);
            }
            else if (options.Optimizer == Optimizer.Momentum)
            {
                alpha *= 0.1; // heavy ball with momentum 0.9 needs (1 − μ) times the plain step to stay stable
            }
        }

        int q = terms.FeatureCount;
        var map = BasisMap.For(work);
        var theta = StartingPoint(options, work, basis, map, q, intercept);
        var yardstick = Yardstick.For(quadratic);
        var run = rows is { } data
            ? IterateStochastic(quadratic, theta, alpha, options, new RowFeatures(work, basis), data, yardstick)
            : Iterate(quadratic, theta, alpha, momentum, options, yardstick);
        if (run.Diverged)
        {
            // Under a schedule the rate at the end, not the starting one, is what diverged.
            double last = StepSize(alpha, options.Schedule, options.Decay ?? DefaultDecay(options.Schedule), Math.Max(run.Iterations - 1, 0));
            throw new DivergenceException(alpha, last, limit, run.Iterations, options.Scaling, rows is not null);
        }

        if (!run.Converged)
        {
            warnings.Add(new NotConverged(run.Iterations, alpha, run.RelativeGradient, options));
        }

        var thetaG0 = new DoubleDouble(theta[0]);
        var slopesG = new DoubleDouble[q];
        for (int j = 0; j < q; j++)
        {
            slopesG[j] = theta[j + 1];
        }

        var (theta0F, betaF) = basis.ToBase(thetaG0, slopesG);
        return new Solution(rows is null ? "gd" : "sgd", moments, work, theta0F, betaF, Mse.SumOfSquares(work, theta0F, betaF), system.UnscaledCovariance())
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

    private sealed record RunOutcome(int Iterations, bool Converged, bool Diverged, double RelativeGradient, List<IterationRecord> Trace);

    /// <summary>
    /// What --tol measures the gradient against. ∇MSE at θ = 0 would not do: its intercept part is
    /// 2ȳ, so for a response with a large mean (prices, counts, offsets) it dwarfs the slopes' part,
    /// and a run would stop long before the slopes settle. So the two parts are judged apart: the
    /// slopes' part against its size at the intercept-only fit (θ₀ = ȳ, slopes 0), which is
    /// −2·cov(features, y) whatever ȳ is; the intercept's part against its size at θ = 0 (2|ȳ|),
    /// or 2·sd(y) when larger.
    /// </summary>
    private readonly record struct Yardstick(double Intercept, double Slopes)
    {
        public static Yardstick For(MseQuadratic quadratic)
        {
            int m = quadratic.FeatureCount + 1;
            var theta = new double[m];
            var grad = new double[m];
            Mse.ValueAndGradient(quadratic, theta, grad);
            double atZeroIntercept = Math.Abs(grad[0]);
            double atZeroSlopes = SlopeNorm(grad);
            if (quadratic.Intercept)
            {
                theta[0] = quadratic.MeanY;
                Mse.ValueAndGradient(quadratic, theta, grad);
            }

            double slopes = SlopeNorm(grad) is > 0 and var s ? s : atZeroSlopes is > 0 ? atZeroSlopes : 1; // y ≡ ȳ: any other size will do

            // The intercept's part is 2|ȳ − θ₀ − …|: measured against 2|ȳ|, or against 2·sd(y)
            // when that is larger, so that a response centred near 0 (z-scores, residuals) is
            // not held to a size below the rounding of its own gradient.
            double spread = 2 * Math.Sqrt(Math.Max(quadratic.Cyy, 0));
            double intercept = Math.Max(atZeroIntercept, spread) is > 0 and var i ? i : slopes;
            return new Yardstick(intercept, slopes);
        }

        /// <summary>How far the gradient still is from convergence: 1 at the yardstick, tol when converged.</summary>
        public double Relative(double[] grad) =>
            Math.Max(Intercept > 0 ? Math.Abs(grad[0]) / Intercept : 0, SlopeNorm(grad) / Slopes);

        private static double SlopeNorm(double[] grad) => Norm(grad.AsSpan(1));
    }

    private static RunOutcome Iterate(MseQuadratic quadratic, double[] theta, double alpha, double momentum, SolverOptions options, Yardstick yardstick)
    {
        int m = theta.Length;
        var grad = new double[m];
        var velocity = new double[m];
        var second = new double[m];
        var trace = new List<IterationRecord>();
        double loss = Mse.ValueAndGradient(quadratic, theta, grad);
        double startLoss = Math.Max(loss, double.Epsilon);
        double decay = options.Decay ?? DefaultDecay(options.Schedule);
        int k = 0;
        double rel = yardstick.Relative(grad);
        while (true)
        {
            if (options.RecordTrace)
            {
                trace.Add(new IterationRecord(k, loss, Norm(grad), k == 0 ? 0 : StepSize(alpha, options.Schedule, decay, k - 1)));
            }

            if (!double.IsFinite(loss) || loss > DivergenceFactor * startLoss)
            {
                return new RunOutcome(k, false, true, rel, trace);
            }

            if (rel <= options.Tolerance)
            {
                return new RunOutcome(k, true, false, rel, trace);
            }

            if (k >= options.MaxIterations)
            {
                return new RunOutcome(k, false, false, rel, trace);
            }

            double step = StepSize(alpha, options.Schedule, decay, k);
            k++;
            if ((k & 1023) == 0)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                options.Progress?.Report(new IterationRecord(k, loss, Norm(grad), step));
            }

            Update(options.Optimizer, theta, grad, velocity, second, step, momentum, k, quadratic.Intercept);
            loss = Mse.ValueAndGradient(quadratic, theta, grad);
            rel = yardstick.Relative(grad);
        }
    }

    // One optimizer step at iteration k (1-based), in place.
    private static void Update(Optimizer optimizer, double[] theta, double[] grad, double[] velocity, double[] second, double step, double momentum, int k, bool intercept)
    {
        int m = theta.Length;
        switch (optimizer)
        {
            case Optimizer.Momentum:
                for (int j = 0; j < m; j++)
                {
                    velocity[j] = (momentum * velocity[j]) - (step * grad[j]);
                    theta[j] += velocity[j];
                }

                break;
            case Optimizer.Adam:
                double c1 = 1 - Math.Pow(0.9, k);
                double c2 = 1 - Math.Pow(0.999, k);
                for (int j = 0; j < m; j++)
                {
                    velocity[j] = (0.9 * velocity[j]) + (0.1 * grad[j]);
                    second[j] = (0.999 * second[j]) + (0.001 * grad[j] * grad[j]);
                    theta[j] -= step * (velocity[j] / c1) / (Math.Sqrt(second[j] / c2) + 1e-8);
                }

                break;
            default:
                for (int j = 0; j < m; j++)
                {
                    theta[j] -= step * grad[j];
                }

                break;
        }

        if (!intercept)
        {
            theta[0] = 0;
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
        var velocity = new double[m];
        var second = new double[m];
        var average = new double[m];
        var x = new double[batch * q];
        var y = new double[batch];
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Random(options.Seed);
        var trace = new List<IterationRecord>();
        double initialLoss = Mse.ValueAndGradient(quadratic, theta, full);
        double startLoss = Math.Max(initialLoss, double.Epsilon);
        if (options.RecordTrace)
        {
            // Epoch 0 is the starting point, as iterate 0 is in a gd trace.
            trace.Add(new IterationRecord(0, initialLoss, Norm(full), 0));
        }

        double decay = options.Decay ?? DefaultDecay(options.Schedule);
        int averageFrom = options.MaxIterations / 2;
        long averaged = 0;
        int steps = 0;
        for (int epoch = 1; epoch <= options.MaxIterations; epoch++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            double step = StepSize(alpha, options.Schedule, decay, epoch - 1);
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
                Update(options.Optimizer, theta, grad, velocity, second, step * count / batch, DefaultMomentum, ++steps, quadratic.Intercept);
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
            options.Progress?.Report(new IterationRecord(epoch, loss, Norm(full), step));
            if (options.RecordTrace)
            {
                trace.Add(new IterationRecord(epoch, loss, Norm(full), step));
            }

            if (!double.IsFinite(loss) || loss > DivergenceFactor * startLoss)
            {
                return new RunOutcome(epoch, false, true, rel, trace);
            }

            if (rel <= options.Tolerance || epoch == options.MaxIterations)
            {
                estimate.CopyTo(theta, 0);
                return new RunOutcome(epoch, rel <= options.Tolerance, false, rel, trace);
            }
        }

        return new RunOutcome(options.MaxIterations, false, false, double.NaN, trace);
    }

    private static double Trace(double[,] h)
    {
        double t = 0;
        for (int i = 0; i < h.GetLength(0); i++)
        {
            t += h[i, i];
        }

        return t;
    }

    /// <summary>The learning rate at iteration k (0-based) under a schedule.</summary>
    public static double StepSize(double alpha, LearningRateSchedule schedule, double decay, int k) => schedule switch
    {
        LearningRateSchedule.Step => alpha * Math.Pow(decay, k / 100),
        LearningRateSchedule.Exponential => alpha * Math.Pow(decay, k),
        LearningRateSchedule.InverseTime => alpha / (1 + (decay * k)),
        _ => alpha,
    };

    /// <summary>The decay a schedule uses when none is given.</summary>
    public static double DefaultDecay(LearningRateSchedule schedule) => schedule switch
    {
        LearningRateSchedule.Step => 0.5,
        LearningRateSchedule.Exponential => 0.999,
        LearningRateSchedule.InverseTime => 0.01,
        _ => 0,
    };

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var x in v)
        {
            s += x * x;
        }

        return Math.Sqrt(s);
    }

    private static double ResponseScale(Moments m)
    {
        int q = m.FeatureCount;
        var second = m.Co[q, q] / m.Count;
        if (!m.Terms.Intercept)
        {
            second += m.Mean[q] * m.Mean[q];
        }

        double scale = Math.Sqrt(second.ToDouble());
        return scale > 0 && double.IsFinite(scale) ? scale : 1;
    }

    private static double SmallestEigenvalue(double[,] h, double lambdaMax)
    {
        int n = h.GetLength(0);
        var shifted = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                shifted[i, j] = (i == j ? lambdaMax : 0) - h[i, j];
            }
        }

        return Math.Max(0, lambdaMax - DdMatrix.LargestEigenvalue(shifted));
    }
}
