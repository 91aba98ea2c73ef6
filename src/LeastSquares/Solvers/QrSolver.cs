using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Solvers;

/// <summary>
/// The closed-form least-squares solution from the triangular factor R of the augmented design
/// (<see cref="TriangularFactor"/>), accumulated by Householder reflections in double-double: the
/// normal equations are never formed, so the error grows with the condition number of X rather
/// than its square. β solves the triangular system of the centred block of R; the residual sum of
/// squares is R²_yy; (XᵀX)⁻¹ = R⁻¹R⁻ᵀ.
/// </summary>
public static class QrSolver
{
    /// <summary>Fits the model of <paramref name="factor"/>.</summary>
    /// <exception cref="InsufficientDataException">Fewer rows than coefficients.</exception>
    /// <exception cref="SingularDesignException">Constant or collinear columns (named).</exception>
    public static FitResult Solve(TriangularFactor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        var terms = factor.Terms;
        if (factor.Count < terms.CoefficientCount)
        {
            throw new InsufficientDataException(factor.Count, terms.CoefficientCount);
        }

        var moments = factor.ToMoments();

        var (intercept, beta, covariance) = SolveTriangular(factor, moments);
        var sse = Mse.SumOfSquares(factor, intercept, beta);
        var map = BasisMap.For(moments);
        var user = map.Coefficients(intercept, beta);
        return NormalEquationSolver.Assemble(moments, "qr", user, sse, map.Covariance(covariance, terms.Intercept), null, null);
    }

    /// <summary>
    /// The solution (θ₀, β) and (XᵀX)⁻¹ in the working basis of <paramref name="factor"/>, whose
    /// moments are <paramref name="moments"/>. With an intercept, rows 1… of R over [g, y] are the
    /// factor of the centred problem; without one, the column of ones is rotated out of R.
    /// </summary>
    internal static (DoubleDouble Intercept, DoubleDouble[] Slopes, DoubleDouble[,] Covariance) SolveTriangular(
        TriangularFactor factor, Moments moments)
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
        var beta = new DoubleDouble[q];
        for (int i = q - 1; i >= 0; i--)
        {
            var s = block[i, q];
            for (int k = i + 1; k < q; k++)
            {
                s -= block[i, k] * beta[k];
            }

            beta[i] = s / block[i, i];
        }

        var intercept = DoubleDouble.Zero;
        if (terms.Intercept)
        {
            intercept = moments.Mean[q];
            for (int j = 0; j < q; j++)
            {
                intercept -= moments.Mean[j] * beta[j];
            }
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
                throw WorkingSystem.DegenerateColumn(moments, k, terms.Intercept, names);
            }

            double pivot = block[k, k].Hi;
            if (pivot * pivot > WorkingSystem.PivotTolerance * norm2)
            {
                continue;
            }

            // Column k ≈ Σ wᵢ·column i: solve the leading triangle against the column's top part.
            var w = new DoubleDouble[k];
            for (int i = k - 1; i >= 0; i--)
            {
                var s = block[i, k];
                for (int j = i + 1; j < k; j++)
                {
                    s -= block[i, j] * w[j];
                }

                w[i] = s / block[i, i];
            }

            var weights = w.Select(v => v.ToDouble()).ToArray();
            var contributions = weights.Select((v, i) => Math.Abs(v) * norms[i] / norms[k]).ToArray();
            throw WorkingSystem.Collinear(moments, k, weights, contributions, terms.Intercept, names);
        }
    }
}
