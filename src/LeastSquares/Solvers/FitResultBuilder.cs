using LeastSquares.Loss;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>
/// Turns any solver's <see cref="Solution"/> into a <see cref="FitResult"/>: the coefficients and
/// their covariance mapped to the user's basis (J·V·Jᵀ, <see cref="BasisMap"/>), the total sum of
/// squares, the condition number and its warning.
/// </summary>
internal static class FitResultBuilder
{
    public static FitResult Build(Solution solution)
    {
        var moments = solution.Moments;
        var terms = moments.Terms;
        var map = BasisMap.For(solution.Work);
        var user = map.Coefficients(solution.Intercept, solution.Slopes);
        var coefficients = new List<double>();
        for (int i = terms.Intercept ? 0 : 1; i < user.Length; i++)
        {
            coefficients.Add(user[i].ToDouble());
        }

        double[,]? cov = null;
        if (solution.Covariance is { } working)
        {
            var covariance = map.Covariance(working, terms.Intercept);
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

        // A penalized fit is well posed however collinear (or wide) the design: no condition number, no warning.
        double? condition = null;
        if (solution.Penalty is null)
        {
            try
            {
                condition = solution.Condition ?? ConditionNumber(moments, solution.System, solution.Work, fromInverse: solution.Covariance is not null);
            }
            catch (SingularDesignException)
            {
                condition = double.PositiveInfinity;
            }
        }

        var warnings = solution.Warnings.ToList();
        double sse = solution.SumOfSquares.ToDouble();
        double sst = Mse.TotalSumOfSquares(moments);
        if (solution.Penalty is null && solution.Converged && PerfectFit(moments, sse, sst, coefficients.Count))
        {
            warnings.Add(new EssentiallyPerfectFit());
        }

        if (condition is { } c && c > IllConditioned.Threshold)
        {
            warnings.Add(new IllConditioned(c, terms.TermList.OfType<PowerTerm>().FirstOrDefault(p => p.Degree > 1)?.Column));
        }

        return new FitResult
        {
            Terms = terms,
            Method = solution.Method,
            Count = moments.Count,
            Coefficients = coefficients,
            SumOfSquaredErrors = sse,
            TotalSumOfSquares = sst,
            UnscaledCovariance = cov,
            ConditionNumber = condition,
            Iterations = solution.Iterations,
            Converged = solution.Converged,
            Warnings = warnings,
            Trace = solution.Trace,
            Penalty = solution.Penalty,
            NonZero = solution.NonZero,
            WeightLogSum = moments.Weights?.LogSum,
        };
    }

    /// <summary>
    /// R's test in summary.lm: σ̂² = SSE/(n − p) below 1e-30 times mean(f)² + var(f), f the fitted
    /// values, whose sum of squares is SST − SSE about their mean ȳ with an intercept, and about 0
    /// without (where mean(f)² + var(f) is then at most Σf²/(n − 1)).
    /// </summary>
    private static bool PerfectFit(Moments moments, double sse, double sst, int p)
    {
        long n = moments.Count;
        if (n - p <= 0 || n < 2)
        {
            return false;
        }

        double resvar = sse / (n - p);
        double explained = Math.Max(sst - sse, 0);
        double scale = moments.Terms.Intercept
            ? (Math.Pow(moments.GetMean(moments.FeatureCount).ToDouble(), 2) + (explained / (n - 1)))
            : explained / (n - 1);
        return resvar < scale * 1e-30;
    }

    /// <summary>
    /// Condition number of the design in the user's basis (see <see cref="FitResult.ConditionNumber"/>):
    /// <paramref name="fromInverse"/> when the fit formed the covariance, so its numbers are those
    /// of the explicit inverse; else from solves with the factor, no p³ step beyond the factorisation.
    /// </summary>
    private static double ConditionNumber(Moments moments, WorkingSystem? system, Moments work, bool fromInverse)
    {
        if (moments.Terms.FeatureCount == 0)
        {
            return 1; // the intercept alone: one column of ones
        }

        var user = moments.Recentre(0);
        if (system is not null && ReferenceEquals(user, work))
        {
            return system.ConditionNumber(fromInverse);
        }

        return WorkingSystem.Create(user, moments.Terms.Intercept, moments.Terms.FeatureNames).ConditionNumber(fromInverse);
    }
}
