using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Statistics;

/// <summary>The covariance estimators of <c>sandwich::vcovHC</c> (and the classical one of <c>vcov</c>).</summary>
public enum CovarianceType
{
    /// <summary>σ̂²·(XᵀWX)⁻¹, R's <c>vcov(lm)</c>.</summary>
    Classical,

    /// <summary>White's estimator: meat Σ eᵢ²·xᵢxᵢᵀ.</summary>
    HC0,

    /// <summary>HC0 times n/(n − p).</summary>
    HC1,

    /// <summary>Each eᵢ² divided by 1 − hᵢ.</summary>
    HC2,

    /// <summary>Each eᵢ² divided by (1 − hᵢ)².</summary>
    HC3,
}

/// <summary>
/// A covariance of the estimates other than σ̂²·(XᵀWX)⁻¹: heteroskedasticity-consistent or
/// clustered. <see cref="Label"/> is what the output calls it ("HC3", "HC1 clustered by firm (G = 50)").
/// </summary>
public sealed record RobustCovariance(CovarianceType Type, double[,] Covariance, string? ClusterColumn = null, int? Groups = null)
{
    /// <summary>
    /// HC2/HC3: the rows (1-based, counting the rows of positive weight the fit used) whose leverage
    /// is 1 to within √ε, at most <see cref="SandwichAccumulator.NamedRows"/> of them. Their weight
    /// eᵢ²/(1 − hᵢ)ᵏ is 0/0, so the covariance is NaN, as <c>sandwich::vcovHC</c> gives it (with a warning).
    /// </summary>
    public IReadOnlyList<long> LeverageOneRows { get; init; } = [];

    /// <summary>How many rows have leverage 1 (<see cref="LeverageOneRows"/> names the first of them).</summary>
    public long LeverageOneCount { get; init; }

    /// <summary>The name shown to the user.</summary>
    public string Label => ClusterColumn is null
        ? Type.ToString()
        : $"{Type} clustered by {ClusterColumn} (G = {Groups!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}

/// <summary>
/// The sandwich (XᵀWX)⁻¹·M·(XᵀWX)⁻¹ of a least-squares fit from a second pass over its rows, as
/// R's <c>sandwich</c> package computes it for an <c>lm</c>: with weights the score of row i is
/// wᵢ·eᵢ·xᵢ (eᵢ the raw residual) and its leverage hᵢ = wᵢ·xᵢᵀ(XᵀWX)⁻¹xᵢ; rows of weight 0 are
/// left out (n counts the rows of positive weight, as <c>lm</c> does). Memory is O(p²), or
/// O(G·p) with clusters (one score sum per cluster); the rows pass once.
/// </summary>
/// <remarks>
/// Accuracy: the sandwich is summed as Σ ωᵢ·uᵢuᵢᵀ with uᵢ = (XᵀWX)⁻¹xᵢ (clusters: Σ_g v_g·v_gᵀ with
/// v_g = Σ_{i∈g} wᵢeᵢ·uᵢ), so each variance is a sum of positive terms. uᵢ is formed from the
/// centred moments in double-double: its slopes are C⁻¹(zᵢ − z̄), its intercept 1/W − z̄ᵀ·C⁻¹(zᵢ − z̄),
/// and hᵢ = wᵢ·(1/W + (zᵢ − z̄)ᵀC⁻¹(zᵢ − z̄)), so an ill-conditioned design in the user's units
/// (longley) costs no digits that its centred form does not. A design with categorical columns
/// goes through <see cref="SparseSandwich"/> instead, whose rows cost O(nnz²) and not O(p²). A wide
/// dense design (16 coefficients or more, with 256- or 512-bit vectors) sums its meat through the
/// blocked kernel instead (<c>SandwichAccumulator.Blocked.cs</c>).
/// </remarks>
public sealed partial class SandwichAccumulator
{
    private readonly LinearModel _model;
    private readonly CovarianceType _type;
    private readonly bool _intercept;
    private readonly int _p;
    private readonly int _q;
    private readonly DoubleDouble[] _mean = [];
    private readonly DoubleDouble[,] _inverse = new DoubleDouble[0, 0]; // C⁻¹ with an intercept, (C + W·z̄z̄ᵀ)⁻¹ without
    private readonly DoubleDouble _inverseWeight; // 1/W
    private readonly double[] _features = [];
    private readonly DoubleDouble[] _d = [];
    private readonly DoubleDouble[] _s = [];
    private readonly double[] _u = [];
    private readonly double[] _sum = []; // p×p, upper triangle, for HC types
    private readonly Dictionary<long, double[]>? _clusters;
    private readonly SparseSandwich? _sparse; // a design with categorical columns: its rows in sparse form
    private readonly BlockedMeat? _meat; // a wide dense design: the meat in the centred basis, by the blocked kernel
    private readonly Dictionary<long, DoubleDouble[]>? _clusterSums; // … and with clusters, their score sums in that basis
    private readonly DoubleDouble[] _row = [];
    private readonly bool _clustered;
    private long _rows;
    private readonly List<long> _leverageOne = [];
    private long _leverageOneCount;

    /// <summary>The rows of leverage 1 named in a result at most (as <c>sandwich</c> names ten).</summary>
    public const int NamedRows = 10;

    /// <summary>A leverage above 1 − √ε counts as 1 (<c>sandwich::meatHC</c>'s test).</summary>
    private static readonly double LeverageOneBound = 1 - Math.Sqrt(Math.Pow(2, -52));

    /// <summary>
    /// Starts the pass for <paramref name="fit"/>, a full-rank least-squares fit of the rows whose
    /// moments are <paramref name="moments"/>; with <paramref name="clustered"/> the rows come with a
    /// cluster id and the meat is the sum of the clusters' outer products of their score sums
    /// (<c>vcovCL</c>: HC1 or HC0, with the G/(G − 1) adjustment).
    /// </summary>
    /// <exception cref="ArgumentException">A fit without covariance (rank-deficient, penalized), or a type with no such sandwich.</exception>
    public SandwichAccumulator(FitResult fit, Moments moments, CovarianceType type, bool clustered = false)
        : this(fit, moments, type, clustered, sparse: null)
    {
    }

    /// <param name="fit">As the public constructor.</param>
    /// <param name="moments">As the public constructor.</param>
    /// <param name="type">As the public constructor.</param>
    /// <param name="clustered">As the public constructor.</param>
    /// <param name="sparse">Whether the rows go through <see cref="SparseSandwich"/>; null: when it takes the design (tests compare the two).</param>
    /// <param name="blocked">Whether a dense design's meat goes through <see cref="BlockedMeat"/>; null: when it takes the width (tests compare the two).</param>
    internal SandwichAccumulator(FitResult fit, Moments moments, CovarianceType type, bool clustered, bool? sparse, bool? blocked = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(moments);
        if (fit.UnscaledCovariance is null || fit.Penalty is not null)
        {
            throw new ArgumentException("A robust covariance needs a full-rank least-squares fit.", nameof(fit));
        }

        if (type == CovarianceType.Classical || (clustered && type is not (CovarianceType.HC0 or CovarianceType.HC1)))
        {
            throw new ArgumentException($"No sandwich of type {type}{(clustered ? " with clusters" : "")}.", nameof(type));
        }

        _model = LinearModel.FromFit(fit);
        _type = type;
        _intercept = fit.Terms.Intercept;
        _p = fit.CoefficientCount;
        _q = fit.Terms.FeatureCount;
        _clustered = clustered;
        if (sparse ?? SparseSandwich.Takes(fit.Terms))
        {
            _sparse = new SparseSandwich(fit, moments, type, clustered);
            return;
        }

        var user = moments.Centre == 0 ? moments : moments.Recentre(0);
        _mean = new DoubleDouble[_q];
        var a = new DoubleDouble[_q, _q];
        var weight = user.Weight;
        for (int i = 0; i < _q; i++)
        {
            _mean[i] = user.GetMean(i);
        }

        for (int i = 0; i < _q; i++)
        {
            for (int j = 0; j < _q; j++)
            {
                a[i, j] = _intercept ? user.GetComoment(i, j) : user.GetComoment(i, j) + (_mean[i] * _mean[j] * weight);
            }
        }

        if (DdMatrix.Cholesky(a, DdMatrix.RankTolerance, out var r) >= 0)
        {
            throw new ArgumentException("A robust covariance needs a full-rank design.", nameof(moments));
        }

        _inverse = DdMatrix.InverseFromCholesky(r);
        _inverseWeight = DoubleDouble.One / weight;
        _features = new double[_q];
        _d = new DoubleDouble[_q];
        _s = new DoubleDouble[_q];
        _u = new double[_p];
        if (blocked ?? BlockedMeat.Takes(_p))
        {
            _row = new DoubleDouble[_p];
            _meat = clustered ? null : new BlockedMeat(_p);
            _clusterSums = clustered ? [] : null;
            return;
        }

        _sum = new double[_p * _p];
        _clusters = clustered ? [] : null;
    }

    /// <summary>Rows of positive weight added.</summary>
    public long Count => _sparse?.Count ?? _rows;

    /// <summary>Clusters seen.</summary>
    public int Groups => _sparse?.Groups ?? _clusterSums?.Count ?? _clusters?.Count ?? 0;

    /// <summary>Adds one row <c>[x₁, …, x_k, y]</c> of the model's columns with its weight (1 unweighted) and, when clustered, its cluster id.</summary>
    public void Add(ReadOnlySpan<double> row, double weight = 1, long cluster = 0)
    {
        if (_sparse is not null)
        {
            _sparse.Add(row, weight, cluster);
            return;
        }

        if (weight == 0)
        {
            return;
        }

        _model.Terms.WorkingFeatures(row, 0, _features);
        for (int j = 0; j < _q; j++)
        {
            _d[j] = _intercept ? new DoubleDouble(_features[j]) - _mean[j] : new DoubleDouble(_features[j]);
        }

        if (_row.Length > 0)
        {
            AddBlocked(row, weight, cluster);
            return;
        }

        var quadratic = DoubleDouble.Zero; // dᵀC⁻¹d
        var shift = DoubleDouble.Zero; // z̄ᵀC⁻¹d
        for (int i = 0; i < _q; i++)
        {
            var acc = DoubleDouble.Zero;
            for (int j = 0; j < _q; j++)
            {
                acc += _inverse[i, j] * _d[j];
            }

            _s[i] = acc;
            quadratic += _d[i] * acc;
            shift += _mean[i] * acc;
        }

        int k = 0;
        if (_intercept)
        {
            _u[k++] = (_inverseWeight - shift).ToDouble();
        }

        for (int j = 0; j < _q; j++)
        {
            _u[k++] = _s[j].ToDouble();
        }

        double residual = _model.Residual(row);
        double score = weight * residual;
        _rows++;
        if (_clusters is not null)
        {
            if (!_clusters.TryGetValue(cluster, out var sum))
            {
                sum = new double[_p];
                _clusters.Add(cluster, sum);
            }

            for (int i = 0; i < _p; i++)
            {
                sum[i] += score * _u[i];
            }

            return;
        }

        double omega = score * score;
        if (_type is CovarianceType.HC2 or CovarianceType.HC3)
        {
            var h = (_intercept ? _inverseWeight + quadratic : quadratic) * weight;
            double one = (DoubleDouble.One - h).ToDouble();
            omega = _type == CovarianceType.HC2 ? omega / one : omega / (one * one);
            if (h.ToDouble() > LeverageOneBound)
            {
                // The row alone determines a coefficient: its jackknife weight is 0/0, the covariance undefined.
                omega = double.NaN;
                _leverageOneCount++;
                if (_leverageOne.Count < NamedRows)
                {
                    _leverageOne.Add(_rows);
                }
            }
        }

        for (int i = 0; i < _p; i++)
        {
            double oi = omega * _u[i];
            for (int j = i; j < _p; j++)
            {
                _sum[(i * _p) + j] += oi * _u[j];
            }
        }
    }

    /// <summary>The covariance of the rows added, labelled with <paramref name="clusterColumn"/> when clustered.</summary>
    public RobustCovariance Result(string? clusterColumn = null)
    {
        int p = _p;
        var v = _sparse?.Sandwich() ?? (_row.Length > 0 ? BlockedSandwich() : new double[p, p]);
        if (_sparse is not null || _row.Length > 0)
        {
            // the sandwich itself, scaled below
        }
        else if (_clusters is not null)
        {
            foreach (var sum in _clusters.Values)
            {
                for (int i = 0; i < p; i++)
                {
                    for (int j = 0; j < p; j++)
                    {
                        v[i, j] += sum[i] * sum[j];
                    }
                }
            }
        }
        else
        {
            for (int i = 0; i < p; i++)
            {
                for (int j = i; j < p; j++)
                {
                    v[i, j] = _sum[(i * p) + j];
                    v[j, i] = v[i, j];
                }
            }
        }

        double scale = 1;
        long n = Count;
        bool clustered = _clustered;
        if (_type == CovarianceType.HC1)
        {
            scale = !clustered ? (double)n / (n - p) : (double)(n - 1) / (n - p);
        }

        if (clustered)
        {
            int g = Groups;
            scale *= (double)g / (g - 1);
        }

        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                v[i, j] *= scale;
            }
        }

        return new RobustCovariance(_type, v, clusterColumn, clustered ? Groups : null) { LeverageOneRows = [.. _sparse?.LeverageOneRows ?? _leverageOne], LeverageOneCount = _sparse?.LeverageOneCount ?? _leverageOneCount };
    }
}
