using LeastSquares.Numerics;

namespace LeastSquares.Statistics;

/// <summary>
/// The dense sandwich of a wide design: no (XᵀWX)⁻¹xᵢ per row (O(p²) double-double products a row),
/// but the meat M̃ = Σ ωᵢ·x̃ᵢx̃ᵢᵀ in the centred basis (x̃ = [1, z − z̄], z̄ the weighted means),
/// summed by the blocked kernel the normal equations use (<see cref="BlockedMeat"/>), and the bread
/// applied once at the end, O(p³). With clusters, each cluster's score sum Σ wᵢeᵢ·x̃ᵢ in
/// double-double (O(p) a row), their outer products through the same kernel. HC2/HC3 still need
/// each row's leverage, dᵀC⁻¹d, O(q²) a row in double-double.
/// </summary>
public sealed partial class SandwichAccumulator
{
    /// <summary>
    /// A row of a wide dense design: x̃ = [1, z − z̄] (with an intercept; z without) in double-double,
    /// its score wᵢeᵢ, and for HC2/HC3 its leverage (dᵀC⁻¹d, O(q²) in double-double). The meat takes
    /// √ωᵢ·x̃ through the blocked kernel, a cluster's sum wᵢeᵢ·x̃; the bread is applied once at the end.
    /// </summary>
    private void AddBlocked(ReadOnlySpan<double> row, double weight, long cluster)
    {
        int k = 0;
        if (_intercept)
        {
            _row[k++] = DoubleDouble.One;
        }

        for (int j = 0; j < _q; j++)
        {
            _row[k++] = _d[j];
        }

        double score = weight * _model.Residual(row);
        _rows++;
        if (_clusterSums is not null)
        {
            if (!_clusterSums.TryGetValue(cluster, out var sum))
            {
                sum = new DoubleDouble[_p];
                _clusterSums.Add(cluster, sum);
            }

            for (int i = 0; i < _p; i++)
            {
                sum[i] += _row[i] * score;
            }

            return;
        }

        double scale = Math.Abs(score);
        if (_type is CovarianceType.HC2 or CovarianceType.HC3)
        {
            var quadratic = DoubleDouble.Zero;
            for (int i = 0; i < _q; i++)
            {
                var acc = DoubleDouble.Zero;
                for (int j = 0; j < _q; j++)
                {
                    acc += _inverse[i, j] * _d[j];
                }

                quadratic += _d[i] * acc;
            }

            var h = (_intercept ? _inverseWeight + quadratic : quadratic) * weight;
            double one = (DoubleDouble.One - h).ToDouble();
            scale = _type == CovarianceType.HC2 ? scale / Math.Sqrt(one) : scale / one;
            if (h.ToDouble() > LeverageOneBound)
            {
                scale = double.NaN;
                _leverageOneCount++;
                if (_leverageOne.Count < NamedRows)
                {
                    _leverageOne.Add(_rows);
                }
            }
        }

        _meat!.Add(_row, scale);
    }

    /// <summary>
    /// The sandwich of the blocked pass in the user's basis: B·M·B with the bread B of the centred
    /// basis (diag(1/W, C⁻¹) with an intercept, (C + W·z̄z̄ᵀ)⁻¹ without), then the intercept's row and
    /// column moved back (β₀ = β̃₀ − z̄ᵀβ̃), all in double-double.
    /// </summary>
    private double[,] BlockedSandwich()
    {
        int p = _p;
        var bread = new DoubleDouble[p, p];
        int o = _intercept ? 1 : 0;
        if (_intercept)
        {
            bread[0, 0] = _inverseWeight;
        }

        for (int i = 0; i < _q; i++)
        {
            for (int j = 0; j < _q; j++)
            {
                bread[i + o, j + o] = _inverse[i, j];
            }
        }

        var meat = _meat;
        if (_clusterSums is not null)
        {
            meat = new BlockedMeat(p);
            foreach (var sum in _clusterSums.Values)
            {
                meat.Add(sum, 1);
            }
        }

        var v = meat!.Sandwich(bread);
        if (_intercept)
        {
            for (int j = 0; j < p; j++)
            {
                var s = v[0, j];
                for (int d = 0; d < _q; d++)
                {
                    s -= _mean[d] * v[d + 1, j];
                }

                v[0, j] = s;
            }

            for (int i = 0; i < p; i++)
            {
                var s = v[i, 0];
                for (int d = 0; d < _q; d++)
                {
                    s -= _mean[d] * v[i, d + 1];
                }

                v[i, 0] = s;
            }
        }

        var result = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = i; j < p; j++)
            {
                double a = 0.5 * (v[i, j].ToDouble() + v[j, i].ToDouble());
                result[i, j] = a;
                result[j, i] = a;
            }
        }

        return result;
    }
}
