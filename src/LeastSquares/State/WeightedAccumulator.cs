using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Accumulator of weighted rows, as <c>lm(weights =)</c> weighs them: each row's working features
/// and response, less a shift taken from the first row, enter the sums Σw, Σw·d and Σw·d·dᵀ in
/// double-double (the differences formed exactly, the products with error-free transformations),
/// and the moments follow with Σw in place of n. A row of weight 0 adds nothing and is not
/// counted (R leaves such rows out of n and of the degrees of freedom).
/// </summary>
/// <remarks>
/// Cost per row is about q²/2 double-double multiply-adds, several times the unweighted kernels';
/// weighted fits are the rarer case, and the accuracy is what matters.
/// </remarks>
internal sealed class WeightedAccumulator : MomentAccumulator
{
    private readonly int _q;
    private readonly double[] _features;
    private readonly double[] _shift;
    private readonly DoubleDouble[] _d;
    private readonly DoubleDouble[] _wd;
    private readonly DoubleDouble[] _sums;
    private readonly DoubleDouble[] _cross; // (q + 1)², upper triangle used
    private DoubleDouble _weight;
    private double _logSum;
    private double _centre;

    public WeightedAccumulator(ModelTerms terms)
    {
        Terms = terms;
        _q = terms.FeatureCount;
        int m = _q + 1;
        _features = new double[m];
        _shift = new double[m];
        _d = new DoubleDouble[m];
        _wd = new DoubleDouble[m];
        _sums = new DoubleDouble[m];
        _cross = new DoubleDouble[m * m];
    }

    public override ModelTerms Terms { get; }

    /// <summary>Rows must come with their weight here.</summary>
    public override void Add(ReadOnlySpan<double> row) => AddWeighted(row, 1.0);

    public override void AddWeighted(ReadOnlySpan<double> row, double weight)
    {
        CheckRow(row);
        CheckWeight(weight);
        if (weight == 0)
        {
            return;
        }

        int m = _q + 1;
        if (Count == 0)
        {
            _centre = Terms.UsesCentre ? row[Terms.CentreColumn] : 0;
        }

        Features(row);
        if (Count == 0)
        {
            _features.CopyTo(_shift, 0);
        }

        for (int j = 0; j < m; j++)
        {
            _d[j] = DoubleDouble.TwoDiff(_features[j], _shift[j]);
            _wd[j] = _d[j] * weight;
            _sums[j] += _wd[j];
        }

        for (int i = 0; i < m; i++)
        {
            var wi = _wd[i];
            int at = i * m;
            for (int j = i; j < m; j++)
            {
                _cross[at + j] += wi * _d[j];
            }
        }

        _weight += weight;
        _logSum += Math.Log(weight);
        Count++;
    }

    private void Features(ReadOnlySpan<double> row)
    {
        if (Terms.RowIsWorkingRow)
        {
            row.CopyTo(_features);
            return;
        }

        Terms.WorkingRow(row, _centre, _features);
        for (int j = 0; j <= _q; j++)
        {
            if (!double.IsFinite(_features[j]))
            {
                throw new FeatureValueException(j < _q ? Terms.FeatureNames[j] : Terms.ResponseName, _features[j], Count + 1);
            }
        }
    }

    public override Moments ToMoments()
    {
        int m = _q + 1;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        var weights = new RowWeights(_weight, _logSum);
        if (Count == 0)
        {
            return new Moments(Terms, 0, 0, mean, co, weights);
        }

        for (int i = 0; i < m; i++)
        {
            mean[i] = (_sums[i] / _weight) + _shift[i];
            for (int j = i; j < m; j++)
            {
                var c = _cross[(i * m) + j] - (_sums[i] * _sums[j] / _weight);
                co[i, j] = c;
                co[j, i] = c;
            }
        }

        CheckWeightedSquares(co);
        CheckFinite(mean);
        CheckFinite(co.Cast<DoubleDouble>().ToArray());
        return new Moments(Terms, _centre, Count, mean, co, weights);
    }

    /// <summary>
    /// The solve multiplies these sums together, so each Σ w·d² must have a square in the normal
    /// range: weights of 1e-160 or 1e200 would otherwise change the fit silently (or overflow), where
    /// the weighted fit does not depend on the weights' scale. Such weights are refused with the remedy.
    /// </summary>
    private void CheckWeightedSquares(DoubleDouble[,] co)
    {
        for (int i = 0; i <= _q; i++)
        {
            double s = co[i, i].ToDouble();
            string name = i < _q ? Terms.FeatureNames[i] : Terms.ResponseName;
            if (!double.IsFinite(s))
            {
                throw new OverflowException(
                    $"the weighted squares of '{name}' overflow: the weights times the squared values pass the double range. "
                    + "Divide the weights by a constant (say 1e100): the estimates and their standard errors do not depend on the weights' scale.");
            }

            if (s > 0 && s < TinyWeightedSquares)
            {
                throw new OverflowException(
                    $"the weighted squares of '{name}' underflow (Σ w·d² is below about 1e-154, so its square loses its digits): the weights are too small for these values. "
                    + "Multiply the weights by a constant (say 1e100): the estimates and their standard errors do not depend on the weights' scale.");
            }
        }
    }

    /// <summary>The least Σ w·d² whose square is a normal double (√2.2e-308).</summary>
    private const double TinyWeightedSquares = 1.4916681462400413E-154;
}
