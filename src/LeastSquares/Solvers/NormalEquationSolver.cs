using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>
/// The closed-form least-squares solution from the normal equations, solved by Cholesky in
/// double-double on the centred, equilibrated moments (never an explicit inverse for the
/// solution). Accurate to about 12–15 digits even on NIST's hardest sets.
/// </summary>
public static class NormalEquationSolver
{
    /// <summary>Fits the model of <paramref name="moments"/>.</summary>
    /// <exception cref="InsufficientDataException">Fewer rows than coefficients.</exception>
    /// <exception cref="SingularDesignException">Constant or collinear columns.</exception>
    public static FitResult Solve(Moments moments, string method = "normal")
    {
        ArgumentNullException.ThrowIfNull(moments);
        var terms = moments.Terms;
        if (moments.Count < terms.CoefficientCount)
        {
            throw new InsufficientDataException(moments.Count, terms.CoefficientCount);
        }

        if (!terms.Intercept)
        {
            return SolveWithoutIntercept(moments, method);
        }

        var work = moments;
        var system = WorkingSystem.Create(work, terms.Intercept, terms.FeatureNames);
        var (intercept, slopes) = system.Solve();
        var sse = Mse.SumOfSquares(work, intercept, slopes);
        var map = BasisMap.For(work);
        var user = map.Coefficients(intercept, slopes);
        var covariance = map.Covariance(system.UnscaledCovariance(), terms.Intercept);
        return Assemble(moments, method, user, sse, covariance, system, work);
    }

    // Without an intercept the Gram matrix of the raw columns (the powers xʲ of a polynomial) can
    // be far worse conditioned than the centred one: x in [1000, 1006] with degree 4 loses 9 digits
    // that way even in double-double. Instead the triangular factor of [1, g, y] is built from the
    // centred moments, moved to the raw basis (R·T, still triangular) and the column of ones is
    // rotated out, so the error grows with the condition of the raw design, not its square.
    private static FitResult SolveWithoutIntercept(Moments moments, string method)
    {
        int q = moments.FeatureCount;
        var factor = TriangularFactor.FromMoments(moments).Rebase(0, new double[q + 1]);
        var work = moments.Recentre(0);
        var (_, slopes, inverse) = QrSolver.SolveTriangular(factor, work);
        var sse = Mse.SumOfSquares(work, DoubleDouble.Zero, slopes);
        var map = BasisMap.For(work);
        var user = map.Coefficients(DoubleDouble.Zero, slopes);
        return Assemble(moments, method, user, sse, map.Covariance(inverse, false), null, work);
    }

    internal static FitResult Assemble(Moments moments, string method, DoubleDouble[] user, DoubleDouble sse,
        DoubleDouble[,]? covariance, WorkingSystem? system, Moments? work)
    {
        var terms = moments.Terms;
        var coefficients = new List<double>();
        for (int i = terms.Intercept ? 0 : 1; i < user.Length; i++)
        {
            coefficients.Add(user[i].ToDouble());
        }

        double[,]? cov = null;
        if (covariance is not null)
        {
            int p = covariance.GetLength(0);
            cov = new double[p, p];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    cov[i, j] = covariance[i, j].ToDouble();
                }
            }
        }

        double? condition = null;
        var warnings = new List<FitWarning>();
        try
        {
            condition = ConditionNumber(moments, system, work);
        }
        catch (SingularDesignException)
        {
            condition = double.PositiveInfinity;
        }

        if (condition > IllConditioned.Threshold)
        {
            warnings.Add(new IllConditioned(condition.Value, terms.IsPolynomial ? terms.Predictors[0] : null));
        }

        return new FitResult
        {
            Terms = terms,
            Method = method,
            Count = moments.Count,
            Coefficients = coefficients,
            SumOfSquaredErrors = sse.ToDouble(),
            TotalSumOfSquares = TotalSumOfSquares(moments),
            UnscaledCovariance = cov,
            ConditionNumber = condition,
            Warnings = warnings,
        };
    }

    /// <summary>Σ(y − ȳ)² with an intercept, Σy² without.</summary>
    public static double TotalSumOfSquares(Moments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        int q = moments.FeatureCount;
        var sst = moments.Co[q, q];
        if (!moments.Terms.Intercept)
        {
            sst += moments.Mean[q] * moments.Mean[q] * (double)moments.Count;
        }

        return sst.ToDouble();
    }

    /// <summary>Condition number of the design in the user's basis (see <see cref="FitResult.ConditionNumber"/>).</summary>
    internal static double ConditionNumber(Moments moments, WorkingSystem? system, Moments? work)
    {
        var user = moments.Recentre(0);
        if (system is not null && ReferenceEquals(user, work))
        {
            return system.ConditionNumber();
        }

        return WorkingSystem.Create(user, moments.Terms.Intercept, moments.Terms.FeatureNames).ConditionNumber();
    }
}
