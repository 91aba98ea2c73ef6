namespace LeastSquares.Solvers;

/// <summary>
/// One update rule of gradient descent, applied in place once an iteration (once a batch in sgd).
/// Each keeps its own state (velocity, second moments, step count) for one run.
/// </summary>
internal abstract class OptimizerStep
{
    /// <summary>The heavy ball's momentum with an explicit rate, and in sgd.</summary>
    public const double DefaultMomentum = 0.9;

    /// <summary>The rule <paramref name="optimizer"/> for θ of <paramref name="size"/> entries.</summary>
    public static OptimizerStep Create(Optimizer optimizer, int size, double momentum) => optimizer switch
    {
        Optimizer.Momentum => new MomentumStep(size, momentum),
        Optimizer.Adam => new AdamStep(size),
        _ => new PlainStep(),
    };

    /// <summary>Moves θ by one step of size <paramref name="step"/> against <paramref name="gradient"/>; θ₀ stays 0 without an intercept.</summary>
    public void Apply(double[] theta, double[] gradient, double step, bool intercept)
    {
        Move(theta, gradient, step);
        if (!intercept)
        {
            theta[0] = 0;
        }
    }

    protected abstract void Move(double[] theta, double[] gradient, double step);
}

/// <summary>θ ← θ − α∇.</summary>
internal sealed class PlainStep : OptimizerStep
{
    protected override void Move(double[] theta, double[] gradient, double step)
    {
        for (int j = 0; j < theta.Length; j++)
        {
            theta[j] -= step * gradient[j];
        }
    }
}

/// <summary>Polyak's heavy ball: v ← μv − α∇, θ ← θ + v.</summary>
internal sealed class MomentumStep(int size, double momentum) : OptimizerStep
{
    private readonly double[] _velocity = new double[size];

    protected override void Move(double[] theta, double[] gradient, double step)
    {
        for (int j = 0; j < theta.Length; j++)
        {
            _velocity[j] = (momentum * _velocity[j]) - (step * gradient[j]);
            theta[j] += _velocity[j];
        }
    }
}

/// <summary>Adam (Kingma and Ba) with its published constants, bias-corrected by the step count.</summary>
internal sealed class AdamStep(int size) : OptimizerStep
{
    private const double Beta1 = 0.9;
    private const double OneMinusBeta1 = 0.1; // written out: 1 − 0.9 in doubles is not 0.1
    private const double Beta2 = 0.999;
    private const double OneMinusBeta2 = 0.001;
    private const double Epsilon = 1e-8;
    private readonly double[] _first = new double[size];
    private readonly double[] _second = new double[size];
    private int _steps;

    protected override void Move(double[] theta, double[] gradient, double step)
    {
        _steps++;
        double c1 = 1 - Math.Pow(Beta1, _steps);
        double c2 = 1 - Math.Pow(Beta2, _steps);
        for (int j = 0; j < theta.Length; j++)
        {
            _first[j] = (Beta1 * _first[j]) + (OneMinusBeta1 * gradient[j]);
            _second[j] = (Beta2 * _second[j]) + (OneMinusBeta2 * gradient[j] * gradient[j]);
            theta[j] -= step * (_first[j] / c1) / (Math.Sqrt(_second[j] / c2) + Epsilon);
        }
    }
}
