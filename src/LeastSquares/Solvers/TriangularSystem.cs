using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>
/// The least-squares problem of a <see cref="TriangularFactor"/> R of the augmented design [1, g, y]:
/// β by back substitution on the centred block of R, or, without an intercept, on R with the
/// column of ones rotated out; (XᵀX)⁻¹ = R⁻¹R⁻ᵀ. Shared by the QR solver and by the normal
/// equations of a model without intercept, which build R from the moments.
/// </summary>
internal static class TriangularSystem
{
    /// <summary>
    /// The solution (θ₀, β) and (XᵀX)⁻¹ in the working basis of <paramref name="factor"/>, whose
    /// moments are <paramref name="moments"/>. With an intercept, rows 1… of R over [g, y] are the
    /// factor of the centred problem; without one, the column of ones is rotated out of R. Without
    /// <paramref name="covariance"/> the inverse is not formed (null).
    /// </summary>
    public static (DoubleDouble Intercept, DoubleDouble[] Slopes, DoubleDouble[,]? Covariance) Solve(
        TriangularFactor factor, Moments moments, bool covariance = true)
    {
        var terms = factor.Terms;
        int q = terms.FeatureCount;
        DoubleDouble[,] block;
        if (terms.Intercept)
        {
            block = new DoubleDouble[q + 1, q + 1];
            for (int i = 0; i <= q; i++)
            {
                for (int j = i; j <= q; j++)
                {
                    block[i, j] = factor.R[i + 1, j + 1];
                }
            }
        }
        else
        {
            block = Householder.DropFirstColumn(factor.R);
        }

        CheckRank(block, moments, terms);
        var beta = DdMatrix.SolveUpper(block, DdMatrix.Column(block, q, q), q);

        var intercept = DoubleDouble.Zero;
        if (terms.Intercept)
        {
            intercept = moments.Mean[q];
            for (int j = 0; j < q; j++)
            {
                intercept -= moments.Mean[j] * beta[j];
            }
        }

        if (!covariance)
        {
            return (intercept, beta, null);
        }

        var features = new DoubleDouble[q, q];
        for (int i = 0; i < q; i++)
        {
            for (int j = i; j < q; j++)
            {
                features[i, j] = block[i, j];
            }
        }

        var inverse = DdMatrix.InverseFromCholesky(features);
        return (intercept, beta, terms.Intercept ? WorkingSystem.WithIntercept(inverse, moments) : inverse);
    }

    /// <summary>
    /// The condition number <see cref="FitResult.ConditionNumber"/> reports, from R itself: the
    /// design in the user's basis, centred with an intercept (rows 1… of R over g, which is the
    /// Cholesky factor of the centred co-moments), the raw columns without one (R with the column
    /// of ones rotated out). The same number as the Cholesky of those moments gives, to the
    /// digits the power iteration keeps, without forming RᵀR (p³/6 double-double steps) or its
    /// factor again. A column R leaves without a pivot makes it infinite.
    /// </summary>
    public static double ConditionNumber(TriangularFactor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        int q = factor.Terms.FeatureCount;
        if (q == 0)
        {
            return 1; // the intercept alone: one column of ones
        }

        // The user's basis: a polynomial's raw powers. A shift only touches row 0 of R.
        var user = factor.Centre == 0 ? factor : factor.Rebase(0, new double[q + 1]);
        var source = factor.Terms.Intercept ? user.R : Householder.DropFirstColumn(user.R);
        int from = factor.Terms.Intercept ? 1 : 0;
        var r = new DoubleDouble[q, q];
        for (int i = 0; i < q; i++)
        {
            for (int j = i; j < q; j++)
            {
                r[i, j] = source[i + from, j + from];
            }

            if (r[i, i].Hi == 0)
            {
                return double.PositiveInfinity;
            }
        }

        return WorkingSystem.ConditionFromFactor(r);
    }

    // The same test as the Cholesky of the normal equations: column k is a combination of the
    // earlier ones when R_kk² falls below 1e-26 of its squared norm Σᵢ R_ik².
    private static void CheckRank(DoubleDouble[,] block, Moments moments, ModelTerms terms)
    {
        int q = terms.FeatureCount;
        var names = terms.FeatureNames;
        var norms = new double[q];
        for (int k = 0; k < q; k++)
        {
            double norm2 = 0;
            for (int i = 0; i <= k; i++)
            {
                norm2 += block[i, k].Hi * block[i, k].Hi;
            }

            norms[k] = Math.Sqrt(norm2);
            if (!(norm2 > 0))
            {
                throw RankDefects.DegenerateColumn(moments, k, terms.Intercept, names);
            }

            double pivot = block[k, k].Hi;
            if (pivot * pivot > DdMatrix.RankTolerance * norm2)
            {
                continue;
            }

            // Column k ≈ Σ wᵢ·column i: solve the leading triangle against the column's top part.
            var w = DdMatrix.SolveUpper(block, DdMatrix.Column(block, k, k), k);

            var weights = w.Select(v => v.ToDouble()).ToArray();
            var contributions = weights.Select((v, i) => Math.Abs(v) * norms[i] / norms[k]).ToArray();
            throw RankDefects.Collinear(moments, k, weights, contributions, terms.Intercept, names);
        }
    }
}
