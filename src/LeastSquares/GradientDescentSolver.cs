using System.Globalization;
using LeastSquares.Numerics;

namespace LeastSquares;

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
/// α = 2/(λmax + λmin), the rate with the fastest guaranteed contraction.</para>
/// <para>Convergence: stop when ‖∇MSE(θ)‖₂ ≤ tol·‖∇MSE(0)‖₂, in the basis the iteration runs in.
/// Divergence: a loss that is not finite or exceeds a million times the starting loss.</para>
/// </remarks>
public static class GradientDescentSolver
{
    private const double DivergenceFactor = 1e6;

    /// <summary>Runs gradient descent on the model of <paramref name="moments"/>.</summary>
    /// <exception cref="InsufficientDataException">Fewer rows than coefficients.</exception>
    /// <exception cref="SingularDesignException">Constant or collinear columns (the minimiser is not unique).</exception>
    /// <exception cref="DivergenceException">The iteration diverged.</exception>
    public static FitResult Solve(Moments moments, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var terms = moments.Terms;
        if (moments.Count < terms.CoefficientCount)
        {
            throw new InsufficientDataException(moments.Count, terms.CoefficientCount);
        }

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
        var warnings = new List<string>();
        double alpha;
        if (options.LearningRate is { } a)
        {
            alpha = a;
            if (options.Optimizer == Optimizer.Plain && alpha >= limit)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"--alpha {alpha:G6} is above the stability limit 2/λmax = {limit:G6} of this problem; plain gradient descent will diverge."));
            }
        }
        else
        {
            alpha = options.Optimizer == Optimizer.Adam ? 0.01 : 2 / (lambdaMax + lambdaMin);
            if (options.Optimizer == Optimizer.Momentum)
            {
                alpha *= 0.1; // heavy ball with momentum 0.9 needs (1 − μ) times the plain step to stay stable
            }
        }

        int q = terms.FeatureCount;
        var map = BasisMap.For(work);
        var theta = StartingPoint(options, work, basis, map, q, intercept);
        var run = Iterate(quadratic, theta, alpha, options, limit);
        if (run.Diverged)
        {
            throw new DivergenceException(Messages.Diverged(alpha, limit, run.Iterations, options.Scaling), limit);
        }

        if (!run.Converged)
        {
            warnings.Add(Messages.NotConverged(options, alpha, run.Iterations, run.RelativeGradient));
        }

        var thetaG0 = new DoubleDouble(theta[0]);
        var slopesG = new DoubleDouble[q];
        for (int j = 0; j < q; j++)
        {
            slopesG[j] = theta[j + 1];
        }

        var (theta0F, betaF) = basis.ToBase(thetaG0, slopesG);
        var sse = Mse.SumOfSquares(work, theta0F, betaF);
        var user = map.Coefficients(theta0F, betaF);
        var covariance = map.Covariance(system.UnscaledCovariance(), intercept);
        var result = NormalEquationSolver.Assemble(moments, "gd", user, sse, covariance, system, work);
        return result with
        {
            Iterations = run.Iterations,
            Converged = run.Converged,
            Warnings = [.. warnings, .. result.Warnings],
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
            if (!work.Terms.IsPolynomial || work.Centre == 0)
            {
                return AffineBasis.Identity(q);
            }

            var (pl, ps) = Moments.PowerShift(q, new DoubleDouble(work.Centre));
            return new AffineBasis(pl, ps);
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

    private static RunOutcome Iterate(MseQuadratic quadratic, double[] theta, double alpha, SolverOptions options, double limit)
    {
        int m = theta.Length;
        var grad = new double[m];
        var velocity = new double[m];
        var second = new double[m];
        var trace = new List<IterationRecord>();
        var zero = new double[m];
        Mse.ValueAndGradient(quadratic, zero, grad);
        double reference = Norm(grad);
        if (reference == 0)
        {
            reference = 1; // y ≡ 0 fits exactly at θ = 0
        }

        double loss = Mse.ValueAndGradient(quadratic, theta, grad);
        double startLoss = Math.Max(loss, double.Epsilon);
        double decay = options.Decay ?? DefaultDecay(options.Schedule);
        int k = 0;
        double rel = Norm(grad) / reference;
        while (true)
        {
            if (options.RecordTrace)
            {
                trace.Add(new IterationRecord(k, loss, rel * reference, k == 0 ? 0 : StepSize(alpha, options.Schedule, decay, k - 1)));
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
            switch (options.Optimizer)
            {
                case Optimizer.Plain:
                    for (int j = 0; j < m; j++)
                    {
                        theta[j] -= step * grad[j];
                    }

                    break;
                case Optimizer.Momentum:
                    for (int j = 0; j < m; j++)
                    {
                        velocity[j] = (0.9 * velocity[j]) - (step * grad[j]);
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
            }

            if (!quadratic.Intercept)
            {
                theta[0] = 0;
            }

            loss = Mse.ValueAndGradient(quadratic, theta, grad);
            rel = Norm(grad) / reference;
        }
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

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (var x in v)
        {
            s += x * x;
        }

        return Math.Sqrt(s);
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
