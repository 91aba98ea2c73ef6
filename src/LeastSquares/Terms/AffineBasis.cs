using LeastSquares.Numerics;

namespace LeastSquares.Terms;

/// <summary>
/// A change of feature basis g = L·f + s with L lower triangular (diagonal for scaling, unit
/// lower for a polynomial shift), and the matching change of coefficients. A model
/// θ₀ + βᵀf equals θ₀' + β'ᵀg when β = Lᵀβ' and θ₀ = θ₀' + β'ᵀs.
/// </summary>
internal sealed class AffineBasis
{
    public AffineBasis(DoubleDouble[,] l, DoubleDouble[] s)
    {
        L = l;
        S = s;
    }

    public DoubleDouble[,] L { get; }

    public DoubleDouble[] S { get; }

    public static AffineBasis Identity(int q)
    {
        var l = new DoubleDouble[q, q];
        for (int i = 0; i < q; i++)
        {
            l[i, i] = DoubleDouble.One;
        }

        return new AffineBasis(l, new DoubleDouble[q]);
    }

    /// <summary>Coefficients in f from coefficients in g.</summary>
    public (DoubleDouble Intercept, DoubleDouble[] Slopes) ToBase(DoubleDouble intercept, DoubleDouble[] slopes)
    {
        int q = slopes.Length;
        var beta = new DoubleDouble[q];
        var theta0 = intercept;
        for (int i = 0; i < q; i++)
        {
            var acc = DoubleDouble.Zero;
            for (int k = i; k < q; k++)
            {
                acc += L[k, i] * slopes[k];
            }

            beta[i] = acc;
            theta0 += slopes[i] * S[i];
        }

        return (theta0, beta);
    }

    /// <summary>Coefficients in g from coefficients in f (solves Lᵀβ' = β).</summary>
    public (DoubleDouble Intercept, DoubleDouble[] Slopes) FromBase(DoubleDouble intercept, DoubleDouble[] slopes)
    {
        int q = slopes.Length;
        var beta = DdMatrix.SolveUpper(L, slopes, q, transposed: true);

        var theta0 = intercept;
        for (int i = 0; i < q; i++)
        {
            theta0 -= beta[i] * S[i];
        }

        return (theta0, beta);
    }
}
