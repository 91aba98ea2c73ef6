using LeastSquares.Numerics;

namespace LeastSquares.Statistics;

/// <summary>
/// The leverage h = xᵀCx of a row, in plain doubles with an error bound, from a factor of the
/// centred covariance: the fast path of <see cref="Influence.Leverage"/> (a few dozen
/// multiply-adds where the double-double form takes p(p + 1)/2 exact products and their sums).
/// </summary>
/// <remarks>
/// <para>
/// With an intercept (x₀ = 1) write C = [[c₀₀, c₀ᵀ], [c₀, C₁₁]] and z for the rest of x. For
/// C₁₁ positive definite, with centre m = −C₁₁⁻¹c₀ and d = c₀₀ + c₀ᵀm,
/// xᵀCx = d + (z − m)ᵀC₁₁(z − m) = d + ‖R(z − m)‖², C₁₁ = RᵀR; without an intercept, m = 0,
/// d = 0 and R is the factor of C. This is an identity, not an approximation: the form of the
/// same C, whatever its conditioning. The big terms that cancel in xᵀCx (a column far from 0,
/// c₀₀ ≈ m²/Sₓₓ) are gone once z − m is formed, and z − m is formed to a rounding (m is kept as
/// double-double); what is left is a sum of squares, with no cancellation to lose digits to.
/// </para>
/// <para>
/// R, m and d are computed once in double-double (<see cref="DdMatrix.Cholesky"/>) and rounded.
/// Each row's value carries a running bound of its own rounding error (the terms |R||z − m|
/// beside R(z − m)); a row whose bound exceeds <see cref="RelativeBound"/> of its value (R(z − m)
/// itself cancels: new rows along a nearly collinear direction of a very ill-conditioned design)
/// is left to the double-double form. So the value returned is within <see cref="RelativeBound"/>
/// of the exact form, or not returned.
/// </para>
/// </remarks>
internal sealed class LeverageForm
{
    /// <summary>The largest relative error of a value <see cref="TryLeverage"/> returns, against the exact xᵀCx of the stored C.</summary>
    public const double RelativeBound = 1e-11;

    private const int MaxSize = 256;
    private readonly int _offset;
    private readonly int _size;
    private readonly double[] _centreHi;
    private readonly double[] _centreLo;
    private readonly double[] _factor;
    private readonly double _base;
    private readonly double _baseError;
    private readonly double _unit;

    private LeverageForm(int offset, int size, double[] centreHi, double[] centreLo, double[] factor, double @base, double baseError)
    {
        _offset = offset;
        _size = size;
        _centreHi = centreHi;
        _centreLo = centreLo;
        _factor = factor;
        _base = @base;
        _baseError = baseError;
        // Per row: each entry of R(z − m) is a sum of at most `size` products of rounded
        // factors and rounded differences; a generous multiple of the unit roundoff covers them.
        _unit = 2 * (size + 4) * Math.ScaleB(1, -53);
    }

    /// <summary>The form of <paramref name="covariance"/>, centred when <paramref name="intercept"/>; null when the part to factor is not positive definite in double-double, or too big.</summary>
    public static LeverageForm? Of(double[,] covariance, bool intercept)
    {
        int p = covariance.GetLength(0);
        int offset = intercept ? 1 : 0;
        int size = p - offset;
        if (size < 1 || size > MaxSize)
        {
            return null;
        }

        var block = new DoubleDouble[size, size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                block[i, j] = covariance[i + offset, j + offset];
            }
        }

        if (DdMatrix.Cholesky(block, 1e-30, out var r) >= 0)
        {
            return null;
        }

        var centreHi = new double[size];
        var centreLo = new double[size];
        double @base = 0;
        double baseError = 0;
        if (intercept)
        {
            var c0 = new DoubleDouble[size];
            for (int i = 0; i < size; i++)
            {
                c0[i] = -(DoubleDouble)covariance[0, i + 1];
            }

            var m = DdMatrix.CholeskySolve(r, c0);
            DoubleDouble d = covariance[0, 0];
            double magnitude = Math.Abs(covariance[0, 0]);
            for (int i = 0; i < size; i++)
            {
                (centreHi[i], centreLo[i]) = (m[i].Hi, m[i].Lo);
                var term = m[i] * covariance[0, i + 1];
                d += term;
                magnitude += Math.Abs(term.Hi);
            }

            if (!d.IsFinite || !m.All(v => v.IsFinite))
            {
                return null;
            }

            @base = d.ToDouble();
            // The rounding of d, and what its double-double sum may have lost to cancellation.
            baseError = (Math.Abs(@base) * Math.ScaleB(1, -52)) + (magnitude * 1e-29);
        }

        var factor = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = i; j < size; j++)
            {
                factor[(i * size) + j] = r[i, j].ToDouble();
                if (!double.IsFinite(factor[(i * size) + j]))
                {
                    return null;
                }
            }
        }

        return new LeverageForm(offset, size, centreHi, centreLo, factor, @base, baseError);
    }

    /// <summary>xᵀCx for a row's features (p values, the intercept's 1 first); false when the row's error bound is not met.</summary>
    public bool TryLeverage(ReadOnlySpan<double> features, out double leverage)
    {
        leverage = double.NaN;
        if (_offset == 1 && features[0] != 1)
        {
            return false; // the identity holds for the intercept's 1
        }

        int n = _size;
        Span<double> u = stackalloc double[n];
        var x = features.Slice(_offset, n);
        for (int i = 0; i < n; i++)
        {
            u[i] = (x[i] - _centreHi[i]) - _centreLo[i];
        }

        double sum = 0;
        double spread = 0; // Σ |w_j|·a_j, a_j = Σ_i |R_ji·u_i|: what the rounding of w_j scales with
        double square = 0; // Σ a_j²
        var factor = _factor.AsSpan();
        for (int j = 0; j < n; j++)
        {
            var row = factor.Slice((j * n) + j, n - j);
            var tail = u[j..];
            double w = 0;
            double a = 0;
            for (int i = 0; i < row.Length; i++)
            {
                double t = row[i] * tail[i];
                w += t;
                a += Math.Abs(t);
            }

            sum += w * w;
            spread += Math.Abs(w) * a;
            square += a * a;
        }

        leverage = _base + sum;
        double error = _baseError + (_unit * ((2 * spread) + sum + Math.Abs(leverage))) + (_unit * _unit * square);
        return error <= RelativeBound * Math.Abs(leverage) && double.IsFinite(leverage);
    }
}
