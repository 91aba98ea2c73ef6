using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Statistics;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>
/// R's answer to a rank-deficient design (<see cref="SolverOptions.DropAliased"/>): the columns
/// that are combinations of the columns before them are aliased, in the design's order (as
/// <c>lm</c>'s pivoting moves them out, later columns aliased by earlier ones), the others are
/// fitted as a model of their own, and the fit is given back over every coefficient, the aliased
/// ones NaN with zero rows and columns of the covariance.
/// </summary>
internal static class AliasedSolver
{
    /// <summary>
    /// The fit of <paramref name="moments"/> without its aliased columns, by <paramref name="method"/>
    /// (normal or qr); null when no column is aliased (the failure was something else).
    /// </summary>
    public static FitResult? Fit(Moments moments, SolverOptions options, FitMethod method)
    {
        // In the user's basis (a polynomial's raw powers), so that each feature is one coefficient.
        var user = moments.Centre == 0 ? moments : moments.Recentre(0);
        var terms = moments.Terms;
        var aliased = AliasedFeatures(user, terms.Intercept);
        if (aliased.Count == 0 || (aliased.Count == user.FeatureCount && !terms.Intercept))
        {
            return null;
        }

        var kept = Enumerable.Range(0, user.FeatureCount).Where(j => !aliased.Contains(j)).ToArray();
        var names = terms.FeatureNames;
        var keptTerms = new ModelTerms(terms.Target, terms.Intercept, [.. kept.Select(j => (Term)new ColumnTerm(names[j]))]);
        var reduced = Anova.Select(user, keptTerms, kept);
        var solution = method == FitMethod.Qr
            ? QrSolver.Solve(TriangularFactor.FromMoments(reduced), options.Covariance)
            : NormalEquationSolver.Solve(reduced, options.Covariance);
        var fit = FitResultBuilder.Build(solution);

        // Back to every coefficient: position j of the reduced fit is coefficient at[j] of the model.
        int offset = terms.Intercept ? 1 : 0;
        int p = terms.CoefficientCount;
        var at = new int[fit.CoefficientCount];
        if (terms.Intercept)
        {
            at[0] = 0;
        }

        for (int j = 0; j < kept.Length; j++)
        {
            at[j + offset] = kept[j] + offset;
        }

        var coefficients = Enumerable.Repeat(double.NaN, p).ToArray();
        for (int j = 0; j < at.Length; j++)
        {
            coefficients[at[j]] = fit.Coefficients[j];
        }

        double[,]? covariance = null;
        if (fit.UnscaledCovariance is { } v)
        {
            covariance = new double[p, p];
            for (int i = 0; i < at.Length; i++)
            {
                for (int j = 0; j < at.Length; j++)
                {
                    covariance[at[i], at[j]] = v[i, j];
                }
            }
        }

        var positions = aliased.Select(j => j + offset).ToArray();
        return fit with
        {
            Terms = terms,
            Coefficients = coefficients,
            UnscaledCovariance = covariance,
            Aliased = positions,
            Warnings = [new AliasedCoefficients([.. positions.Select(j => terms.TermNames[j])]), .. fit.Warnings],
        };
    }

    /// <summary>
    /// The features that are combinations of the features before them (and the intercept), in
    /// order: the Cholesky factorisation of the equilibrated normal equations (as
    /// <see cref="WorkingSystem"/> forms them) stops at the first such column, which is taken out
    /// before it goes on.
    /// </summary>
    private static List<int> AliasedFeatures(Moments m, bool intercept)
    {
        int q = m.FeatureCount;
        DoubleDouble n = m.Weight;
        DoubleDouble Entry(int i, int j) => intercept ? m.Co[i, j] : m.Co[i, j] + (m.Mean[i] * m.Mean[j] * n);
        var aliased = new List<int>();
        var keep = new List<int>();
        var scale = new double[q];
        for (int j = 0; j < q; j++)
        {
            var diagonal = Entry(j, j);
            if (diagonal.Hi > 0)
            {
                keep.Add(j);
                scale[j] = DdMatrix.InverseSqrtPowerOfTwo(diagonal.Hi);
            }
            else
            {
                aliased.Add(j); // constant (with an intercept) or zero
            }
        }

        while (keep.Count > 0)
        {
            int k = keep.Count;
            var scaled = new DoubleDouble[k, k];
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    scaled[i, j] = Entry(keep[i], keep[j]) * (scale[keep[i]] * scale[keep[j]]);
                }
            }

            int bad = DdMatrix.Cholesky(scaled, DdMatrix.RankTolerance, out _);
            if (bad < 0)
            {
                break;
            }

            aliased.Add(keep[bad]);
            keep.RemoveAt(bad);
        }

        aliased.Sort();
        return aliased;
    }
}
