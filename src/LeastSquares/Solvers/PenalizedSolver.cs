using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>How <see cref="PenalizedSolver.CrossValidate"/> chooses λ.</summary>
public enum LambdaSelection
{
    /// <summary>The λ with the smallest cross-validated MSE.</summary>
    Minimum,

    /// <summary>The largest λ whose cross-validated MSE is within one standard error of the smallest (glmnet's lambda.1se).</summary>
    OneStandardError,
}

/// <summary>Settings of a λ path.</summary>
/// <param name="Count">Number of λ values (100 by default).</param>
/// <param name="MinRatio">λ_min/λmax; null gives 1e-4, or 1e-2 when there are fewer rows than slopes (glmnet's rule).</param>
/// <param name="Selection">Which λ the final fit uses.</param>
public sealed record PathOptions(int Count = 100, double? MinRatio = null, LambdaSelection Selection = LambdaSelection.Minimum);

/// <summary>One λ of a path: the full-data fit and its cross-validated error.</summary>
/// <param name="Lambda">λ.</param>
/// <param name="NonZero">Non-zero slopes of the full-data fit (df).</param>
/// <param name="CvMse">Held-out squared error summed over the folds, divided by n.</param>
/// <param name="CvSe">The standard error of the folds' MSEs (weighted by fold size, as glmnet).</param>
/// <param name="Coefficients">The full-data fit in the user's units, intercept first.</param>
public sealed record PathPoint(double Lambda, int NonZero, double CvMse, double CvSe, IReadOnlyList<double> Coefficients);

/// <summary>A cross-validated λ path.</summary>
/// <param name="Path">The λ values from λmax down.</param>
/// <param name="Folds">Number of folds.</param>
/// <param name="Best">Index of the λ with the smallest cv_mse.</param>
/// <param name="OneSe">Index of the largest λ within one standard error of it.</param>
public sealed record CrossValidation(IReadOnlyList<PathPoint> Path, int Folds, int Best, int OneSe)
{
    /// <summary>λ with the smallest cv_mse.</summary>
    public double LambdaMin => Path[Best].Lambda;

    /// <summary>The largest λ within one standard error of the smallest cv_mse.</summary>
    public double Lambda1Se => Path[OneSe].Lambda;
}

/// <summary>
/// Ridge, lasso and elastic net (<see cref="Penalty"/>) on the moments of the rows: coordinate
/// descent on the centred, optionally standardized quadratic (<see cref="PenalizedProblem"/>);
/// a λ path with warm starts; k-fold cross-validation with each training set the total minus
/// its fold (<see cref="Moments.Subtract"/>), so no row is read twice.
/// </summary>
public static class PenalizedSolver
{
    /// <summary>Fits <paramref name="moments"/> with <paramref name="penalty"/>.</summary>
    public static FitResult Fit(Moments moments, Penalty penalty)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        penalty.Validate();
        var problem = PenalizedProblem.Create(moments, penalty.Standardize);
        var b = problem.Solve(penalty, null, out int sweeps, out bool converged);
        return Result(problem, penalty, b, sweeps, converged, null);
    }

    /// <summary>The λ sequence of a path: <paramref name="options"/>.Count values evenly spaced in log from λmax down.</summary>
    public static double[] Lambdas(Moments moments, double l1Ratio, bool standardize, PathOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problem = PenalizedProblem.Create(moments, standardize);
        return Lambdas(problem, moments, l1Ratio, options);
    }

    /// <summary>
    /// Cross-validates a λ path: the full data's λ sequence, a warm-started path on every
    /// training set (total − fold), held-out error from each fold's own moments. The returned fit
    /// is the full data's at the selected λ, with <see cref="FitResult.CrossValidation"/> set.
    /// </summary>
    /// <param name="total">The moments of all rows.</param>
    /// <param name="folds">The moments of each fold (disjoint, together all rows).</param>
    /// <param name="l1Ratio">R.</param>
    /// <param name="standardize">Whether the penalty is on standardized coefficients.</param>
    /// <param name="options">The path and the selection rule.</param>
    public static FitResult CrossValidate(Moments total, IReadOnlyList<Moments> folds, double l1Ratio, bool standardize, PathOptions options)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(options);
        new Penalty(0, l1Ratio, standardize).Validate();
        if (folds.Count < 2)
        {
            throw new ArgumentException("Cross-validation needs at least 2 folds.", nameof(folds));
        }

        var full = PenalizedProblem.Create(total, standardize);
        var lambdas = Lambdas(full, total, l1Ratio, options);
        int m = lambdas.Length;
        var sse = new double[folds.Count, m];
        for (int k = 0; k < folds.Count; k++)
        {
            var train = PenalizedProblem.Create(Moments.Subtract(total, folds[k]), standardize);
            double[]? warm = null;
            for (int i = 0; i < m; i++)
            {
                warm = train.Solve(new Penalty(lambdas[i], l1Ratio, standardize), warm, out _, out _);
                var (b0, b) = train.ToUser(warm);
                sse[k, i] = folds[k].Count == 0 ? 0 : Mse.SumOfSquares(folds[k].Recentre(0), b0, b).ToDouble();
            }
        }

        var path = new List<PathPoint>(m);
        double[]? start = null;
        int best = 0;
        for (int i = 0; i < m; i++)
        {
            var penalty = new Penalty(lambdas[i], l1Ratio, standardize);
            start = full.Solve(penalty, start, out _, out _);
            var (b0, b) = full.ToUser(start);
            var coefficients = new double[b.Length + 1];
            coefficients[0] = b0.ToDouble();
            for (int j = 0; j < b.Length; j++)
            {
                coefficients[j + 1] = b[j].ToDouble();
            }

            double held = 0;
            for (int k = 0; k < folds.Count; k++)
            {
                held += sse[k, i];
            }

            double cvm = held / total.Count;
            double spread = 0;
            for (int k = 0; k < folds.Count; k++)
            {
                if (folds[k].Count > 0)
                {
                    double d = (sse[k, i] / folds[k].Count) - cvm;
                    spread += folds[k].Count * d * d;
                }
            }

            double cvse = Math.Sqrt(spread / total.Count / (folds.Count - 1));
            path.Add(new PathPoint(lambdas[i], start.Count(v => v != 0), cvm, cvse, coefficients));
            if (cvm < path[best].CvMse)
            {
                best = i;
            }
        }

        double limit = path[best].CvMse + path[best].CvSe;
        int oneSe = path.FindIndex(pt => pt.CvMse <= limit);
        var cv = new CrossValidation(path, folds.Count, best, oneSe);
        int chosen = options.Selection == LambdaSelection.Minimum ? best : oneSe;

        // The chosen fit from a cold start at its own λ, as a fixed-λ run would give it.
        var chosenPenalty = new Penalty(lambdas[chosen], l1Ratio, standardize);
        var final = full.Solve(chosenPenalty, null, out int sweeps, out bool converged);
        return Result(full, chosenPenalty, final, sweeps, converged, cv);
    }

    private static double[] Lambdas(PenalizedProblem problem, Moments moments, double l1Ratio, PathOptions options)
    {
        if (options.Count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Count, "A path needs at least one λ.");
        }

        double ratio = options.MinRatio ?? (moments.Count < moments.FeatureCount ? 1e-2 : 1e-4);
        double max = problem.LambdaMax(l1Ratio);
        if (max == 0)
        {
            max = 1; // y constant or uncorrelated with every column: every λ gives the same fit
        }

        var lambdas = new double[options.Count];
        for (int i = 0; i < lambdas.Length; i++)
        {
            lambdas[i] = options.Count == 1 ? max : max * Math.Pow(ratio, (double)i / (options.Count - 1));
        }

        return lambdas;
    }

    private static FitResult Result(PenalizedProblem problem, Penalty penalty, double[] b, int sweeps, bool converged, CrossValidation? cv)
    {
        var (b0, slopes) = problem.ToUser(b);
        var user = problem.User;
        var warnings = new List<FitWarning>();
        if (!converged)
        {
            warnings.Add(new CoordinateDescentNotConverged(sweeps));
        }

        // No covariance: standard errors of a penalized fit would not be valid.
        var solution = new Solution(penalty.Kind, user, user, b0, slopes, Mse.SumOfSquares(user, b0, slopes), null)
        {
            Iterations = penalty.L1Ratio == 0 && sweeps == 0 ? null : sweeps,
            Converged = converged,
            Warnings = warnings,
            Penalty = penalty,
            NonZero = b.Count(v => v != 0),
        };
        return FitResultBuilder.Build(solution) with { CrossValidation = cv };
    }
}
