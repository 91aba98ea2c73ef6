using LeastSquares.Numerics;
using LeastSquares.Solvers;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Statistics;

/// <summary>One row of a sequential (type I) analysis of variance: a formula term, or "Residuals" (F and p null).</summary>
public sealed record AnovaTermRow(string Term, long Df, double SumSq, double MeanSq, double? F, double? PValue);

/// <summary>One model of a nested-model comparison; the test fields are null on the first.</summary>
public sealed record AnovaModelRow(string Model, long DfResidual, double Rss, long? Df, double? SumSq, double? F, double? PValue);

/// <summary>
/// Analysis of variance from the moments of the largest model, as R's <c>anova.lm</c> computes it:
/// every smaller model's moments are a sub-block of the larger one's (its features' means and
/// co-moments, the same rows and weights), so no row is read twice. Residual sums of squares come
/// from the normal-equation solver in double-double; F and p from <see cref="FDistribution"/>.
/// </summary>
public static class Anova
{
    /// <summary>
    /// R's <c>anova(m)</c>: one row per formula term, in formula order, whose sum of squares is
    /// the drop in residual sum of squares when the term joins the terms before it (its df: its
    /// number of columns), then the residuals of the full model.
    /// </summary>
    /// <remarks>
    /// With <paramref name="dropAliased"/>, a rank-deficient model is R's: each term's df is the
    /// number of its columns not aliased by the columns before them (the rise in rank), a term with
    /// none is left out of the table, and the residual df is n − rank.
    /// </remarks>
    /// <exception cref="SingularDesignException">A model along the way is rank-deficient (without <paramref name="dropAliased"/>).</exception>
    public static IReadOnlyList<AnovaTermRow> Sequential(Moments moments, Func<Term, string> label, bool dropAliased = false)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(label);
        var basis = InUserBasis(moments);
        var terms = basis.Terms;
        var options = new SolverOptions { DropAliased = dropAliased };
        var full = Solver.Fit(basis, options);
        double rssFull = full.SumOfSquaredErrors;
        long dfResidual = full.ResidualDegreesOfFreedom;
        double meanSquareResidual = rssFull / dfResidual;
        var rows = new List<AnovaTermRow>();
        double previous = Loss.Mse.TotalSumOfSquares(basis);
        var included = new List<Term>();
        var features = new List<int>();
        int first = 0;
        int rank = terms.Intercept ? 1 : 0;
        for (int t = 0; t < terms.TermList.Count; t++)
        {
            var term = terms.TermList[t];
            included.Add(term);
            for (int k = 0; k < term.FeatureCount; k++)
            {
                features.Add(first + k);
            }

            first += term.FeatureCount;
            var fit = t == terms.TermList.Count - 1
                ? full
                : Solver.Fit(Select(basis, new ModelTerms(terms.Target, terms.Intercept, [.. included]), features), options);
            double rss = fit.SumOfSquaredErrors;
            long df = fit.Rank - rank;
            rank = fit.Rank;
            if (df == 0)
            {
                continue; // every column aliased: R leaves the term out
            }

            double ss = Math.Max(previous - rss, 0);
            double ms = ss / df;
            double? f = dfResidual > 0 && rssFull > 0 ? ms / meanSquareResidual : null;
            double? p = f is { } fv ? FDistribution.UpperTail(fv, df, dfResidual) : null;
            rows.Add(new AnovaTermRow(label(term), df, ss, ms, f, p));
            previous = rss;
        }

        rows.Add(new AnovaTermRow("Residuals", dfResidual, rssFull, meanSquareResidual, null, null));
        return rows;
    }

    /// <summary>
    /// R's <c>anova(m1, m2)</c> for <paramref name="small"/> nested in the model of <paramref name="big"/>:
    /// each model's residual df and sum of squares, then for the second the df and sum of squares
    /// of the difference with F = (ΔRSS/Δdf)/(RSS₂/df₂).
    /// </summary>
    /// <exception cref="ArgumentException">The small model is not nested in the big one (see <see cref="NestedFeatures"/>).</exception>
    public static IReadOnlyList<AnovaModelRow> Nested(Moments big, ModelTerms small, string smallLabel, string bigLabel, bool dropAliased = false)
    {
        ArgumentNullException.ThrowIfNull(big);
        ArgumentNullException.ThrowIfNull(small);
        var basis = InUserBasis(big);
        var features = NestedFeatures(basis.Terms, small, out var missing)
            ?? throw new ArgumentException($"The model is not nested: {missing}.", nameof(small));
        var options = new SolverOptions { DropAliased = dropAliased };
        var fitBig = Solver.Fit(basis, options);
        var fitSmall = Solver.Fit(Select(basis, small, features), options);
        long df = fitSmall.ResidualDegreesOfFreedom - fitBig.ResidualDegreesOfFreedom;
        double ss = fitSmall.SumOfSquaredErrors - fitBig.SumOfSquaredErrors;
        double? f = df > 0 && fitBig.ResidualDegreesOfFreedom > 0 && fitBig.SumOfSquaredErrors > 0
            ? ss / df / (fitBig.SumOfSquaredErrors / fitBig.ResidualDegreesOfFreedom)
            : null;
        double? p = f is { } fv ? (fv <= 0 ? 1 : FDistribution.UpperTail(fv, df, fitBig.ResidualDegreesOfFreedom)) : null;
        return
        [
            new AnovaModelRow(smallLabel, fitSmall.ResidualDegreesOfFreedom, fitSmall.SumOfSquaredErrors, null, null, null, null),
            new AnovaModelRow(bigLabel, fitBig.ResidualDegreesOfFreedom, fitBig.SumOfSquaredErrors, df, ss, f, p),
        ];
    }

    /// <summary>
    /// The positions among <paramref name="big"/>'s features of each of <paramref name="small"/>'s,
    /// when small is nested in big: the same response, every feature of small one of big's (by
    /// name), an intercept only if big has one, and fewer coefficients. Null otherwise, with
    /// <paramref name="why"/> saying what breaks it.
    /// </summary>
    public static int[]? NestedFeatures(ModelTerms big, ModelTerms small, out string why)
    {
        ArgumentNullException.ThrowIfNull(big);
        ArgumentNullException.ThrowIfNull(small);
        why = "";
        if (big.Target != small.Target)
        {
            why = $"the responses differ ({small.Target}, {big.Target})";
            return null;
        }

        if (small.Intercept && !big.Intercept)
        {
            why = "the first model has an intercept and the second has none";
            return null;
        }

        var names = big.FeatureNames.ToList();
        var at = new int[small.FeatureCount];
        for (int j = 0; j < at.Length; j++)
        {
            at[j] = names.IndexOf(small.FeatureNames[j]);
            if (at[j] < 0)
            {
                why = $"the first model's term {small.FeatureNames[j]} is not in the second";
                return null;
            }
        }

        if (small.CoefficientCount >= big.CoefficientCount)
        {
            why = "the second model has no term that the first lacks";
            return null;
        }

        return at;
    }

    /// <summary>The moments of the features at <paramref name="features"/> (and the response), as the moments of <paramref name="terms"/>.</summary>
    public static Moments Select(Moments moments, ModelTerms terms, IReadOnlyList<int> features)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(features);
        int q = moments.FeatureCount;
        int[] index = [.. features, q];
        int m = index.Length;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            mean[i] = moments.GetMean(index[i]);
            for (int j = 0; j < m; j++)
            {
                co[i, j] = moments.GetComoment(index[i], index[j]);
            }
        }

        return new Moments(terms, 0, moments.Count, mean, co, moments.Weights);
    }

    /// <summary>Moments whose features are the user's (a polynomial's raw powers), so any sub-block is another model's.</summary>
    private static Moments InUserBasis(Moments moments) => moments.Centre == 0 ? moments : moments.Recentre(0);
}
