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
public sealed class SandwichAccumulator
{
    private readonly FitResult _fit;
    private readonly LinearModel _model;
    private readonly double[,] _bread;
    private readonly CovarianceType _type;
    private readonly int _p;
    private readonly double[] _x;
    private readonly double[] _features;
    private readonly double[] _meat; // p×p, for HC types
    private readonly Dictionary<long, double[]>? _clusters;
    private long _rows;

    /// <summary>
    /// Starts the pass for <paramref name="fit"/>, a full-rank least-squares fit; with
    /// <paramref name="clustered"/> the rows come with a cluster id and the meat is the sum of the
    /// clusters' outer products of their score sums (<c>vcovCL</c>, type HC1, cadjust).
    /// </summary>
    /// <exception cref="ArgumentException">A fit without covariance (rank-deficient, penalized), or a cluster type other than HC1 or HC0.</exception>
    public SandwichAccumulator(FitResult fit, CovarianceType type, bool clustered = false)
    {
        ArgumentNullException.ThrowIfNull(fit);
        _bread = fit.UnscaledCovariance ?? throw new ArgumentException("A robust covariance needs the fit's (XᵀWX)⁻¹.", nameof(fit));
        if (type == CovarianceType.Classical || (clustered && type is not (CovarianceType.HC0 or CovarianceType.HC1)))
        {
            throw new ArgumentException($"No sandwich of type {type}{(clustered ? " with clusters" : "")}.", nameof(type));
        }

        _fit = fit;
        _model = LinearModel.FromFit(fit);
        _type = type;
        _p = fit.CoefficientCount;
        _x = new double[_p];
        _features = new double[fit.Terms.FeatureCount];
        _meat = new double[_p * _p];
        _clusters = clustered ? [] : null;
    }

    /// <summary>Rows of positive weight added.</summary>
    public long Count => _rows;

    /// <summary>Clusters seen.</summary>
    public int Groups => _clusters?.Count ?? 0;

    /// <summary>Adds one row <c>[x₁, …, x_k, y]</c> of the model's columns with its weight (1 unweighted) and, when clustered, its cluster id.</summary>
    public void Add(ReadOnlySpan<double> row, double weight = 1, long cluster = 0)
    {
        if (weight == 0)
        {
            return;
        }

        var terms = _fit.Terms;
        int k = 0;
        if (terms.Intercept)
        {
            _x[k++] = 1;
        }

        terms.WorkingFeatures(row, 0, _features);
        _features.CopyTo(_x, k);
        double residual = row[^1] - _model.Predict(row[..^1]);
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
                sum[i] += score * _x[i];
            }

            return;
        }

        double omega = score * score;
        if (_type is CovarianceType.HC2 or CovarianceType.HC3)
        {
            double h = 0;
            for (int i = 0; i < _p; i++)
            {
                double bx = 0;
                for (int j = 0; j < _p; j++)
                {
                    bx += _bread[i, j] * _x[j];
                }

                h += _x[i] * bx;
            }

            h *= weight;
            double one = 1 - h;
            omega = _type == CovarianceType.HC2 ? omega / one : omega / (one * one);
        }

        for (int i = 0; i < _p; i++)
        {
            double oi = omega * _x[i];
            for (int j = i; j < _p; j++)
            {
                _meat[(i * _p) + j] += oi * _x[j];
            }
        }
    }

    /// <summary>The covariance of the rows added, labelled with <paramref name="clusterColumn"/> when clustered.</summary>
    public RobustCovariance Result(string? clusterColumn = null)
    {
        int p = _p;
        var meat = new double[p, p];
        if (_clusters is not null)
        {
            foreach (var sum in _clusters.Values)
            {
                for (int i = 0; i < p; i++)
                {
                    for (int j = 0; j < p; j++)
                    {
                        meat[i, j] += sum[i] * sum[j];
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
                    meat[i, j] = _meat[(i * p) + j];
                    meat[j, i] = meat[i, j];
                }
            }
        }

        double scale = 1;
        long n = _rows;
        if (_type == CovarianceType.HC1)
        {
            scale = _clusters is null ? (double)n / (n - p) : (double)(n - 1) / (n - p);
        }

        if (_clusters is not null)
        {
            int g = _clusters.Count;
            scale *= (double)g / (g - 1);
        }

        var v = new double[p, p];
        var bm = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int k = 0; k < p; k++)
                {
                    s += _bread[i, k] * meat[k, j];
                }

                bm[i, j] = s;
            }
        }

        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int k = 0; k < p; k++)
                {
                    s += bm[i, k] * _bread[k, j];
                }

                v[i, j] = s * scale;
            }
        }

        // Symmetric by construction; make it so exactly.
        for (int i = 0; i < p; i++)
        {
            for (int j = i + 1; j < p; j++)
            {
                double a = 0.5 * (v[i, j] + v[j, i]);
                v[i, j] = a;
                v[j, i] = a;
            }
        }

        return new RobustCovariance(_type, v, clusterColumn, _clusters?.Count);
    }
}
