namespace LeastSquares;

/// <summary>The fitting methods.</summary>
public enum FitMethod
{
    /// <summary>Closed form: Cholesky of the normal equations in double-double.</summary>
    Normal,

    /// <summary>Closed form through an orthogonal (QR) factorisation.</summary>
    Qr,

    /// <summary>Batch gradient descent on the MSE.</summary>
    GradientDescent,

    /// <summary>Mini-batch stochastic gradient descent over the rows.</summary>
    StochasticGradientDescent,
}

/// <summary>How gradient descent scales the features internally.</summary>
public enum FeatureScaling
{
    /// <summary>Iterate on standardized features (mean 0, standard deviation 1); report original units.</summary>
    Standard,

    /// <summary>Iterate on the raw features: the textbook iteration.</summary>
    None,
}

/// <summary>Learning-rate schedules for gradient descent.</summary>
public enum LearningRateSchedule
{
    /// <summary>α at every iteration.</summary>
    Constant,

    /// <summary>α·decay^⌊k/100⌋: multiplied by the decay every 100 iterations.</summary>
    Step,

    /// <summary>α·decayᵏ.</summary>
    Exponential,

    /// <summary>α/(1 + decay·k).</summary>
    InverseTime,
}

/// <summary>Update rules for gradient descent.</summary>
public enum Optimizer
{
    /// <summary>θ ← θ − α∇.</summary>
    Plain,

    /// <summary>Heavy-ball momentum with coefficient 0.9.</summary>
    Momentum,

    /// <summary>Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).</summary>
    Adam,
}

/// <summary>Options of a fit; validated by the core as well as by the CLI.</summary>
public sealed record SolverOptions
{
    /// <summary>The method. Default: the closed-form normal equations, the fastest exact one.</summary>
    public FitMethod Method { get; init; } = FitMethod.Normal;

    /// <summary>Learning rate α for gd/sgd; null chooses it from the data (see the gradient-descent solver).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Iteration (epoch) limit for gd/sgd. 1000 is plenty for well-scaled problems with the automatic rate.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Convergence tolerance: stop when ‖∇MSE(θ)‖ ≤ tol·‖∇MSE(0)‖ (gd) — relative, so independent of units.</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>Internal feature scaling for gd/sgd. Standard by default: it makes the automatic rate near optimal.</summary>
    public FeatureScaling Scaling { get; init; } = FeatureScaling.Standard;

    /// <summary>Learning-rate schedule for gd/sgd.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Decay parameter of the schedule (its meaning depends on the schedule); null uses the schedule's default.</summary>
    public double? Decay { get; init; }

    /// <summary>Update rule for gd/sgd.</summary>
    public Optimizer Optimizer { get; init; } = Optimizer.Plain;

    /// <summary>Mini-batch size for sgd.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of the sgd shuffle, so runs are reproducible.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Warm start: coefficients in the user's basis (intercept first when present); null starts from θ = 0.</summary>
    public IReadOnlyList<double>? InitialCoefficients { get; init; }

    /// <summary>
    /// For gd and sgd: minimise MSE/2 + the elastic-net <see cref="Loss.Penalty"/> instead of the MSE,
    /// by proximal gradient steps (plain update rule only), on the iteration basis's slopes — the
    /// standardized ones with <see cref="FeatureScaling.Standard"/>, as the penalty's own scaling.
    /// Null for least squares.
    /// </summary>
    public Loss.Penalty? Penalty { get; init; }

    /// <summary>Whether to keep the per-iteration history.</summary>
    public bool RecordTrace { get; init; }

    /// <summary>
    /// Told of progress by the iterative solvers: every 1000th iteration of gd, every epoch of sgd.
    /// For a progress display; the solver does not wait on it.
    /// </summary>
    public IProgress<IterationRecord>? Progress { get; init; }

    /// <summary>Stops an iterative solver early (Ctrl-C); it then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Whether the fit forms (XᵀX)⁻¹, <see cref="FitResult.UnscaledCovariance"/>: what standard errors,
    /// intervals, a saved model's inference and a second pass need. Default true. Without it the
    /// closed-form methods skip the explicit inverse (p³/3 double-double steps) and the covariance is
    /// null; <see cref="FitResult.ConditionNumber"/> is then estimated from solves with the triangular
    /// factor (p² steps a power iteration step) and agrees with the one from the inverse to about
    /// nine digits.
    /// </summary>
    public bool Covariance { get; init; } = true;

    /// <summary>
    /// What a rank-deficient design does under the closed-form methods (normal, qr). False (the
    /// default): <see cref="SingularDesignException"/> naming the columns. True: R's <c>lm</c>
    /// (<c>singular.ok = TRUE</c>): each column that is a combination of the columns before it is
    /// aliased, in the design's order, the rest are fitted, and the aliased coefficients are NaN
    /// (<see cref="FitResult.Aliased"/>) with the residual degrees of freedom n − rank.
    /// </summary>
    public bool DropAliased { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (LearningRate is { } a && !(a > 0 && double.IsFinite(a)))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), a, "The learning rate must be a positive number.");
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "The iteration limit must be at least 1.");
        }

        if (!(Tolerance >= 0 && double.IsFinite(Tolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be zero or positive.");
        }

        if (Decay is { } d && !(d >= 0 && double.IsFinite(d)))
        {
            throw new ArgumentOutOfRangeException(nameof(Decay), d, "The decay must be zero or positive.");
        }

        if (Penalty is { } penalty)
        {
            penalty.Validate();
            if (Optimizer != Optimizer.Plain)
            {
                throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "A penalized gradient descent takes plain proximal steps.");
            }

            if ((Scaling == FeatureScaling.Standard) != penalty.Standardize)
            {
                throw new ArgumentException("The penalty's scaling and the iteration's scaling must agree.", nameof(Penalty));
            }
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        }
    }
}
