using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>
/// The normal equations of <see cref="Moments"/> in their working basis, factorised once in
/// double-double: with an intercept the centred system C_xx β = C_xy (θ₀ = ȳ − x̄ᵀβ), without one
/// the raw system (C_xx + n x̄x̄ᵀ) β = C_xy + n x̄ȳ. Columns are scaled by powers of two to unit
/// diagonal before the Cholesky factorisation, so the scaling itself is exact.
/// </summary>
internal sealed class WorkingSystem
{
    private readonly Moments _m;
    private readonly DoubleDouble[,] _r;
    private readonly double[] _scale;
    private readonly DoubleDouble[] _rhs;
    private readonly bool _intercept;

    private WorkingSystem(Moments m, bool intercept, DoubleDouble[,] r, double[] scale, DoubleDouble[] rhs)
    {
        _m = m;
        _intercept = intercept;
        _r = r;
        _scale = scale;
        _rhs = rhs;
    }

    /// <summary>Builds and factorises; throws <see cref="SingularDesignException"/> naming the columns when the design is rank-deficient.</summary>
    public static WorkingSystem Create(Moments m, bool intercept, IReadOnlyList<string> featureNames)
    {
        int q = m.FeatureCount;
        DoubleDouble n = m.Weight;

        // The system's entries, formed where they are scaled (a wide system spares a p×p copy).
        DoubleDouble Entry(int i, int j) => intercept ? m.Co[i, j] : m.Co[i, j] + m.Mean[i] * m.Mean[j] * n;
        var scale = new double[q];
        for (int j = 0; j < q; j++)
        {
            var diagonal = Entry(j, j);
            if (!(diagonal.Hi > 0))
            {
                throw RankDefects.DegenerateColumn(m, j, intercept, featureNames);
            }

            scale[j] = DdMatrix.InverseSqrtPowerOfTwo(diagonal.Hi);
        }

        var scaled = new DoubleDouble[q, q];
        var rhs = new DoubleDouble[q];
        for (int i = 0; i < q; i++)
        {
            rhs[i] = Entry(i, q) * scale[i];
            for (int j = 0; j < q; j++)
            {
                scaled[i, j] = Entry(i, j) * (scale[i] * scale[j]);
            }
        }

        int bad = DdMatrix.Cholesky(scaled, DdMatrix.RankTolerance, out var r);
        if (bad >= 0)
        {
            throw Collinear(m, scaled, r, bad, scale, intercept, featureNames);
        }

        return new WorkingSystem(m, intercept, r, scale, rhs);
    }

    /// <summary>The least-squares solution (θ₀, β) in the working basis.</summary>
    public (DoubleDouble Intercept, DoubleDouble[] Slopes) Solve()
    {
        int q = _scale.Length;
        var w = DdMatrix.CholeskySolve(_r, _rhs);
        var beta = new DoubleDouble[q];
        var theta0 = _intercept ? _m.Mean[q] : DoubleDouble.Zero;
        for (int j = 0; j < q; j++)
        {
            beta[j] = w[j] * _scale[j];
            if (_intercept)
            {
                theta0 -= _m.Mean[j] * beta[j];
            }
        }

        return (theta0, beta);
    }

    private DoubleDouble[,]? _inverse;

    /// <summary>Systems of at least this many columns form RᵀR on a second thread (a few milliseconds' work at 64 columns).</summary>
    private const int ParallelFrom = 64;

    /// <summary>R⁻¹R⁻ᵀ, the inverse of the scaled system, formed once (p³/3 double-double steps) for the covariance and the condition number.</summary>
    private DoubleDouble[,] Inverse() => _inverse ??= DdMatrix.InverseFromCholesky(_r);

    /// <summary>(XᵀX)⁻¹ over (θ₀, β) — or β alone without intercept — in the working basis.</summary>
    public DoubleDouble[,] UnscaledCovariance()
    {
        int q = _scale.Length;
        var inv = (DoubleDouble[,])Inverse().Clone();
        for (int i = 0; i < q; i++)
        {
            for (int j = 0; j < q; j++)
            {
                inv[i, j] *= _scale[i] * _scale[j];
            }
        }

        return _intercept ? WithIntercept(inv, _m) : inv;
    }

    /// <summary>
    /// (XᵀX)⁻¹ over (θ₀, β) from V = C_xx⁻¹, the inverse of the centred co-moments:
    /// V₀₀ = 1/n + x̄ᵀVx̄, V₀β = −Vx̄ (the block inverse of [[n, n x̄ᵀ], [n x̄, C + n x̄x̄ᵀ]]).
    /// </summary>
    internal static DoubleDouble[,] WithIntercept(DoubleDouble[,] inv, Moments m)
    {
        int q = inv.GetLength(0);
        var v = new DoubleDouble[q + 1, q + 1];
        var ax = new DoubleDouble[q];
        for (int i = 0; i < q; i++)
        {
            var s = DoubleDouble.Zero;
            for (int j = 0; j < q; j++)
            {
                s += inv[i, j] * m.Mean[j];
            }

            ax[i] = s;
        }

        var v00 = DoubleDouble.One / m.Weight;
        for (int i = 0; i < q; i++)
        {
            v00 += m.Mean[i] * ax[i];
            v[0, i + 1] = -ax[i];
            v[i + 1, 0] = -ax[i];
            for (int j = 0; j < q; j++)
            {
                v[i + 1, j + 1] = inv[i, j];
            }
        }

        v[0, 0] = v00;
        return v;
    }

    /// <summary>
    /// 2-norm condition number of the design after scaling its columns to unit length: the square
    /// root of the condition number of the equilibrated normal matrix. With
    /// <paramref name="fromInverse"/> (what a fit that forms the covariance uses), from RᵀR and the
    /// explicit R⁻¹R⁻ᵀ; without, from products and solves with R (<see cref="ConditionFromFactor(DoubleDouble[,])"/>),
    /// which agree with those to about nine digits.
    /// </summary>
    public double ConditionNumber(bool fromInverse = true)
    {
        if (!fromInverse)
        {
            return ConditionFromFactor();
        }

        int q = _scale.Length;
        var a = new double[q, q];
        var ainv = new double[q, q];
        var d = new double[q];

        // RᵀR (its diagonal is Σ_{k≤i} r_ki², as the scalar loop formed it) and R⁻¹R⁻ᵀ are
        // independent p³ passes: a wide system forms them on two cores at once, same bits.
        var gramTask = q >= ParallelFrom ? Task.Run(() => DdMatrix.Gram(_r)) : null;
        var inv = Inverse();
        var gram = gramTask is null ? DdMatrix.Gram(_r) : gramTask.GetAwaiter().GetResult();
        for (int i = 0; i < q; i++)
        {
            d[i] = Math.Sqrt(gram[i, i].ToDouble());
        }

        for (int i = 0; i < q; i++)
        {
            for (int j = 0; j < q; j++)
            {
                a[i, j] = gram[i, j].ToDouble() / (d[i] * d[j]);
                ainv[i, j] = inv[i, j].ToDouble() * d[i] * d[j];
            }
        }

        // Two power iterations over matrices of p² doubles each, bound by memory: side by side,
        // each core streams its own.
        var largest = gramTask is null ? null : Task.Run(() => DdMatrix.LargestEigenvalue(a));
        double inverseLargest = DdMatrix.LargestEigenvalue(ainv);
        return Math.Sqrt((largest is null ? DdMatrix.LargestEigenvalue(a) : largest.GetAwaiter().GetResult()) * inverseLargest);
    }

    /// <summary>
    /// A relative error of the smallest eigenvalue beyond which the power iteration on A⁻¹ solves in
    /// double-double: the solves in double are backward stable, so their error is about
    /// p·2⁻⁵³·κ, κ the condition number of R.
    /// </summary>
    private const double SolveInDoubleUpTo = 1e-10;

    /// <summary>
    /// The condition number of <see cref="ConditionNumber"/> without forming RᵀR or its inverse: the
    /// same power iterations, on A = D⁻¹RᵀRD⁻¹ applied as two triangular products and on A⁻¹ as two
    /// triangular solves (p² steps each, in double), the second repeated with solves in
    /// double-double when the first shows the design ill-conditioned enough for the rounding of
    /// double solves to reach the ninth digit.
    /// </summary>
    private double ConditionFromFactor() => ConditionFromFactor(_r);

    /// <summary>
    /// The condition number of D⁻¹RᵀRD⁻¹ for any upper-triangular <paramref name="r"/> of full
    /// rank (a Cholesky factor, or a QR factor of the same design), by the power iterations of
    /// <see cref="ConditionNumber"/> without the explicit inverse.
    /// </summary>
    internal static double ConditionFromFactor(DoubleDouble[,] r)
    {
        int q = r.GetLength(0);
        var gram = new GramOperator(r);
        var largestTask = q >= ParallelFrom ? Task.Run(() => DdMatrix.LargestEigenvalue(q, gram.Multiply)) : null;
        double inverseLargest = DdMatrix.LargestEigenvalue(q, gram.Solve);
        double largest = largestTask is null ? DdMatrix.LargestEigenvalue(q, gram.Multiply) : largestTask.GetAwaiter().GetResult();
        double kappa = Math.Sqrt(largest * inverseLargest);
        if (q * kappa * Math.ScaleB(1.0, -53) > SolveInDoubleUpTo)
        {
            inverseLargest = DdMatrix.LargestEigenvalue(q, gram.SolveExact);
        }

        return Math.Sqrt(largest * inverseLargest);
    }

    private static SingularDesignException Collinear(Moments m, DoubleDouble[,] scaled, DoubleDouble[,] r, int k,
        double[] scale, bool intercept, IReadOnlyList<string> names)
    {
        // Column k ≈ Σ wᵢ·column i over the earlier columns: solve the leading system for w.
        var rhs = new DoubleDouble[k];
        for (int i = 0; i < k; i++)
        {
            rhs[i] = scaled[i, k];
        }

        var w = k > 0 ? DdMatrix.CholeskySolve(r, rhs, k) : [];
        var weights = new double[k];
        var contributions = new double[k];
        for (int i = 0; i < k; i++)
        {
            weights[i] = w[i].ToDouble() * scale[i] / scale[k];
            contributions[i] = Math.Abs(w[i].ToDouble());
        }

        return RankDefects.Collinear(m, k, weights, contributions, intercept, names);
    }
}
