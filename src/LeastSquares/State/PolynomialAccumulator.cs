using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Accumulator of a polynomial in one predictor: power sums Σ tᵏ (k ≤ 2N), Σ tᵏ·y (k ≤ N) and
/// Σ y², with t = x − c around the first x, all in double-double. The moments of the features
/// t, t², …, tᴺ follow from these Hankel sums without forming any product of rounded powers.
/// </summary>
internal sealed class PolynomialAccumulator : MomentAccumulator
{
    private readonly int _degree;
    private readonly DoubleDouble[] _powerSums;
    private readonly DoubleDouble[] _responseSums;
    private DoubleDouble _responseSquares;
    private double _centre;
    private double _responseShift;

    public PolynomialAccumulator(ModelTerms terms)
    {
        Terms = terms;
        _degree = ((PowerTerm)terms.TermList[0]).Degree;
        _powerSums = new DoubleDouble[2 * _degree + 1];
        _responseSums = new DoubleDouble[_degree + 1];
    }

    public override ModelTerms Terms { get; }

    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        if (Count == 0)
        {
            _centre = row[0];
            _responseShift = row[1];
        }

        var t = DoubleDouble.TwoDiff(row[0], _centre);
        var y = DoubleDouble.TwoDiff(row[1], _responseShift);
        var power = DoubleDouble.One;
        for (int k = 0; k < _powerSums.Length; k++)
        {
            _powerSums[k] += power;
            if (k < _responseSums.Length)
            {
                _responseSums[k] += power * y;
            }

            power *= t;
        }

        _responseSquares += y * y;
        Count++;
    }

    public override Moments ToMoments()
    {
        int q = _degree;
        var mean = new DoubleDouble[q + 1];
        var co = new DoubleDouble[q + 1, q + 1];
        if (Count == 0)
        {
            return new Moments(Terms, 0, 0, mean, co);
        }

        DoubleDouble n = Count;
        for (int j = 1; j <= q; j++)
        {
            mean[j - 1] = _powerSums[j] / n;
            for (int k = j; k <= q; k++)
            {
                var c = _powerSums[j + k] - _powerSums[j] * _powerSums[k] / n;
                co[j - 1, k - 1] = c;
                co[k - 1, j - 1] = c;
            }

            var cy = _responseSums[j] - _powerSums[j] * _responseSums[0] / n;
            co[j - 1, q] = cy;
            co[q, j - 1] = cy;
        }

        mean[q] = _responseSums[0] / n + _responseShift;
        co[q, q] = _responseSquares - _responseSums[0] * _responseSums[0] / n;
        CheckFinite(mean);
        CheckFinite(co.Cast<DoubleDouble>().ToArray());
        return new Moments(Terms, _centre, Count, mean, co);
    }
}
