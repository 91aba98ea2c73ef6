using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Terms;

/// <summary>
/// Maps coefficients (θ₀, β) and their covariance from the working basis of some moments to the
/// user's basis. For a linear model the two coincide; for a polynomial the working features are
/// (x − c)ʲ and the user's are xʲ, related by the binomial theorem. All in double-double.
/// </summary>
internal sealed class BasisMap
{
    // Jacobian of the user coefficients with respect to the working ones, over (θ₀, β).
    private readonly DoubleDouble[,] _jacobian;

    private BasisMap(DoubleDouble[,] jacobian) => _jacobian = jacobian;

    /// <summary>The map for moments in the working basis of <paramref name="m"/>.</summary>
    public static BasisMap For(Moments m)
    {
        int q = m.FeatureCount;
        var j = new DoubleDouble[q + 1, q + 1];
        for (int i = 0; i <= q; i++)
        {
            j[i, i] = DoubleDouble.One;
        }

        if (m.Centre == 0 || m.Terms.Recentre(new DoubleDouble(m.Centre)) is not { } map)
        {
            return new BasisMap(j);
        }

        var (l, s) = map;
        // User features u = L·f + s; coefficients β_u = L⁻ᵀβ_f and θ₀_u = θ₀_f − sᵀβ_u.
        var linvT = InverseTransposeLowerUnit(l);
        for (int r = 0; r < q; r++)
        {
            for (int c = 0; c < q; c++)
            {
                j[r + 1, c + 1] = linvT[r, c];
            }
        }

        for (int c = 0; c < q; c++)
        {
            var acc = DoubleDouble.Zero;
            for (int r = 0; r < q; r++)
            {
                acc += s[r] * linvT[r, c];
            }

            j[0, c + 1] = -acc;
        }

        return new BasisMap(j);
    }

    /// <summary>User coefficients (θ₀, β) from working ones.</summary>
    public DoubleDouble[] Coefficients(DoubleDouble intercept, DoubleDouble[] slopes)
    {
        int m = slopes.Length + 1;
        var theta = new DoubleDouble[m];
        theta[0] = intercept;
        slopes.CopyTo(theta, 1);
        var result = new DoubleDouble[m];
        for (int r = 0; r < m; r++)
        {
            var acc = DoubleDouble.Zero;
            for (int c = 0; c < m; c++)
            {
                if (_jacobian[r, c].Hi != 0)
                {
                    acc += _jacobian[r, c] * theta[c];
                }
            }

            result[r] = acc;
        }

        return result;
    }

    /// <summary>Working coefficients (θ₀, β) from user ones (the inverse map; J is unit upper triangular).</summary>
    public (DoubleDouble Intercept, DoubleDouble[] Slopes) FromUser(DoubleDouble[] user)
    {
        var x = DdMatrix.SolveUpper(_jacobian, user, user.Length);
        return (x[0], x[1..]);
    }

    /// <summary>J·V·Jᵀ, with V over (θ₀, β) or, without intercept, over β alone.</summary>
    public DoubleDouble[,] Covariance(DoubleDouble[,] v, bool intercept)
    {
        int size = v.GetLength(0);
        int offset = intercept ? 0 : 1;
        var jj = new DoubleDouble[size, size];
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                jj[r, c] = _jacobian[r + offset, c + offset];
            }
        }

        return DdMatrix.Congruence(jj, v, symmetric: false);
    }

    // (L⁻¹)ᵀ for a unit lower-triangular L, by forward substitution on the columns of the identity.
    private static DoubleDouble[,] InverseTransposeLowerUnit(DoubleDouble[,] l)
    {
        int q = l.GetLength(0);
        var inv = new DoubleDouble[q, q];
        for (int c = 0; c < q; c++)
        {
            for (int r = 0; r < q; r++)
            {
                var acc = r == c ? DoubleDouble.One : DoubleDouble.Zero;
                for (int k = 0; k < r; k++)
                {
                    acc -= l[r, k] * inv[k, c];
                }

                inv[r, c] = acc / l[r, r];
            }
        }

        var t = new DoubleDouble[q, q];
        for (int r = 0; r < q; r++)
        {
            for (int c = 0; c < q; c++)
            {
                t[r, c] = inv[c, r];
            }
        }

        return t;
    }
}
