using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>The learning rate and momentum a gd/sgd run starts with, and the stability limit 2/λmax it is judged against.</summary>
internal readonly record struct StepSizes(double Rate, double Momentum, double Limit);

/// <summary>
/// How gd and sgd choose their step. The loss is quadratic with Hessian H = (2/n)XᵀX, so plain
/// gradient descent converges exactly when α &lt; 2/λmax(H). Without an explicit rate plain gd takes
/// α = 2/(λmax + λmin), the rate with the fastest guaranteed contraction, but at most 1.5/λmax:
/// when λmin ≪ λmax the former sits at the edge of stability, where the stiffest direction (on
/// correlated features, the one that carries most of the loss) flips sign each step and barely
/// shrinks; at 1.5/λmax it halves each step, and the slow directions lose at most a quarter of
/// their speed. Momentum gd is Polyak's heavy ball tuned to the spectrum; sgd and Adam have
/// their own rules below. A schedule then changes the rate from iteration to iteration.
/// </summary>
internal static class StepSizePolicy
{
    /// <summary>The starting step of a run on <paramref name="quadratic"/> (the iteration basis's loss).</summary>
    /// <param name="quadratic">The loss in the basis the iteration runs in.</param>
    /// <param name="work">The moments in the working basis (for Adam's response scale).</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="stochastic">True for mini-batch sgd.</param>
    /// <param name="warnings">Where a warning about an explicit rate goes.</param>
    public static StepSizes Choose(MseQuadratic quadratic, Moments work, SolverOptions options, bool stochastic, List<FitWarning> warnings)
    {
        var hessian = quadratic.Hessian();
        double lambdaMax = DdMatrix.LargestEigenvalue(hessian);
        double lambdaMin = SmallestEigenvalue(hessian, lambdaMax);
        double limit = 2 / lambdaMax;
        double momentum = OptimizerStep.DefaultMomentum;
        if (options.LearningRate is { } given)
        {
            if (options.Optimizer == Optimizer.Plain && given >= limit)
            {
                warnings.Add(new RateAboveStabilityLimit(given, limit));
            }

            return new StepSizes(given, momentum, limit);
        }

        // Adam moves each coordinate by about α per step whatever the gradient's size, so its
        // rate is set relative to the size of the response; plain and momentum use the Hessian.
        double alpha = options.Optimizer == Optimizer.Adam ? 0.01 * ResponseScale(work)
            : !stochastic ? Math.Min(2 / (lambdaMax + lambdaMin), 1.5 / lambdaMax)
            : 0.1 / (lambdaMax + (Trace(hessian) / Math.Min(options.BatchSize, work.Count))); // a batch's curvature can exceed the mean's; a tenth keeps the noise small
        if (options.Optimizer == Optimizer.Momentum && !stochastic)
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

        return new StepSizes(alpha, momentum, limit);
    }

    /// <summary>The learning rate at iteration k (0-based) under a schedule.</summary>
    public static double At(double alpha, LearningRateSchedule schedule, double decay, int k) => schedule switch
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

    /// <summary>The decay of <paramref name="options"/>' schedule.</summary>
    public static double Decay(SolverOptions options) => options.Decay ?? DefaultDecay(options.Schedule);

    private static double Trace(double[,] h)
    {
        double t = 0;
        for (int i = 0; i < h.GetLength(0); i++)
        {
            t += h[i, i];
        }

        return t;
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
