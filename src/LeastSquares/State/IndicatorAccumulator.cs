using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// The moments of a model whose predictors are a dense part followed by the indicator columns of
/// factors (one column per level kept; at most one 1 per factor in each row), without forming the
/// indicators: a row is its dense values and, per factor, the index of the level that is set. A
/// factor of k levels then costs O(d) a row (d dense values) however large k is, not O(k·d).
/// </summary>
/// <remarks>
/// The dense part goes through the <see cref="LinearAccumulator"/> (blocked kernel when wide). For
/// each level the accumulator counts its rows and sums their dense values shifted by the first
/// row's (TwoDiff, compensated double-double sums, the products with 1 being exact); for each pair
/// of factors it counts the rows of each pair of levels. The co-moments of the indicators follow
/// exactly from the counts, those of an indicator with a dense column from the level's sum.
/// Predictors, in the order of <see cref="ModelTerms.Predictors"/>: the d dense ones, then the
/// levels of factor 0, of factor 1, …; the response last.
/// </remarks>
public sealed class IndicatorAccumulator : MomentAccumulator
{
    private readonly int _d; // dense values in a row, the response included (d predictors + 1)
    private readonly int[] _levels; // levels kept of each factor
    private readonly int[] _first; // index of each factor's first indicator among the predictors
    private readonly LinearAccumulator _dense;
    private readonly long[][] _count; // [factor][level]: rows with that level set
    private readonly double[][] _sumHi; // [factor][level·d + j]: Σ (x_j − c_j) over those rows
    private readonly double[][] _sumLo;
    private readonly long[][] _pairs; // [f·F + g], f < g: [level_f·k_g + level_g] rows with both set
    private readonly double[] _shift; // c: the first row's dense values
    private readonly double[] _row; // a dense row, as the dense accumulator takes it
    private readonly int[] _set; // the levels of the row being added

    /// <summary>
    /// Creates the accumulator for <paramref name="terms"/>, whose predictors are
    /// <paramref name="densePredictors"/> dense columns followed by the indicator columns of
    /// factors of <paramref name="levelCounts"/> levels each (levels kept: a dropped reference
    /// level is not counted).
    /// </summary>
    public IndicatorAccumulator(ModelTerms terms, int densePredictors, IReadOnlyList<int> levelCounts)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(levelCounts);
        if (!terms.AllPlainColumns || densePredictors < 0 || levelCounts.Any(k => k < 1)
            || terms.Predictors.Count != densePredictors + levelCounts.Sum())
        {
            throw new ArgumentException("The model's predictors must be plain columns: the dense ones, then one per level of each factor.", nameof(terms));
        }

        Terms = terms;
        _d = densePredictors + 1;
        _levels = [.. levelCounts];
        int factors = _levels.Length;
        _first = new int[factors];
        for (int f = 0, at = densePredictors; f < factors; at += _levels[f], f++)
        {
            _first[f] = at;
        }

        var dense = terms.Predictors.Take(densePredictors).ToArray();
        _dense = new LinearAccumulator(new ModelTerms(dense, terms.Target, 1, terms.Intercept));
        _count = [.. _levels.Select(k => new long[k])];
        _sumHi = [.. _levels.Select(k => new double[k * _d])];
        _sumLo = [.. _levels.Select(k => new double[k * _d])];
        _pairs = new long[factors * factors][];
        for (int f = 0; f < factors; f++)
        {
            for (int g = f + 1; g < factors; g++)
            {
                _pairs[(f * factors) + g] = new long[_levels[f] * _levels[g]];
            }
        }

        _shift = new double[_d];
        _row = new double[_d];
        _set = new int[factors];
    }

    /// <inheritdoc/>
    public override ModelTerms Terms { get; }

    /// <summary>
    /// Adds one row: <paramref name="dense"/> is <c>[x₁, …, x_d, y]</c> (the dense predictors and
    /// the response), <paramref name="levels"/> the level set of each factor (0 to its count − 1),
    /// or −1 where none of its kept levels is (the reference level).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, a level out of range or a value that is not finite.</exception>
    public void Add(ReadOnlySpan<double> dense, ReadOnlySpan<int> levels)
    {
        if (dense.Length != _d || levels.Length != _levels.Length)
        {
            throw new ArgumentException($"A row of this model has {_d} dense values and {_levels.Length} levels, not {dense.Length} and {levels.Length}.", nameof(dense));
        }

        for (int f = 0; f < levels.Length; f++)
        {
            if (levels[f] < -1 || levels[f] >= _levels[f])
            {
                throw new ArgumentException($"Factor {f + 1} has {_levels[f]} levels; {levels[f]} is none of them.", nameof(levels));
            }
        }

        _dense.Add(dense); // checks that every value is finite
        if (Count == 0)
        {
            dense.CopyTo(_shift);
        }

        for (int f = 0; f < levels.Length; f++)
        {
            int level = levels[f];
            if (level < 0)
            {
                continue;
            }

            _count[f][level]++;
            var hi = _sumHi[f];
            var lo = _sumLo[f];
            int at = level * _d;
            for (int j = 0; j < _d; j++)
            {
                double s = ErrorFree.TwoDiff(dense[j], _shift[j], out double l);
                ErrorFree.AddTo(ref hi[at + j], ref lo[at + j], s, l);
            }

            for (int g = f + 1; g < levels.Length; g++)
            {
                if (levels[g] >= 0)
                {
                    _pairs[(f * _levels.Length) + g][(level * _levels[g]) + levels[g]]++;
                }
            }
        }

        Count++;
    }

    /// <summary>Adds a row of the full design (<c>[dense predictors, indicators…, y]</c>): each factor's indicators must be 0 but for at most one 1.</summary>
    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        int denseCount = _d - 1;
        row[..denseCount].CopyTo(_row);
        _row[denseCount] = row[^1];
        for (int f = 0; f < _levels.Length; f++)
        {
            _set[f] = -1;
            for (int l = 0; l < _levels[f]; l++)
            {
                double v = row[_first[f] + l];
                if (v == 1 && _set[f] < 0)
                {
                    _set[f] = l;
                }
                else if (v != 0)
                {
                    throw new ArgumentException($"Row {Count + 1}: the indicators of factor {f + 1} must be 0 but for one 1.", nameof(row));
                }
            }
        }

        Add(_row, _set);
    }

    /// <inheritdoc/>
    public override Moments ToMoments()
    {
        int denseCount = _d - 1;
        int m = Terms.Predictors.Count + 1;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        var dense = _dense.ToMoments();
        if (Count == 0)
        {
            return new Moments(Terms, 0, 0, mean, co);
        }

        // Dense positions: predictors 0…d−1 stay, the response moves to the last place.
        int Place(int j) => j < denseCount ? j : m - 1;
        for (int i = 0; i < _d; i++)
        {
            mean[Place(i)] = dense.Mean[i];
            for (int j = 0; j < _d; j++)
            {
                co[Place(i), Place(j)] = dense.Co[i, j];
            }
        }

        DoubleDouble n = Count;
        var offset = new DoubleDouble[_d]; // x̄_j − c_j
        for (int j = 0; j < _d; j++)
        {
            offset[j] = dense.Mean[j] - _shift[j];
        }

        int factors = _levels.Length;
        for (int f = 0; f < factors; f++)
        {
            for (int l = 0; l < _levels[f]; l++)
            {
                int a = _first[f] + l;
                long nl = _count[f][l];
                mean[a] = new DoubleDouble(nl) / n;

                // With the dense columns: Σ_level (x_j − c_j) − n_l (x̄_j − c_j).
                for (int j = 0; j < _d; j++)
                {
                    var c = DoubleDouble.TwoSum(_sumHi[f][(l * _d) + j], _sumLo[f][(l * _d) + j]) - (offset[j] * nl);
                    co[a, Place(j)] = c;
                    co[Place(j), a] = c;
                }

                // Within the factor: n_l δ_lk − n_l n_k / n.
                for (int k = 0; k < _levels[f]; k++)
                {
                    var c = (l == k ? new DoubleDouble(nl) : DoubleDouble.Zero) - (new DoubleDouble(nl) * _count[f][k] / n);
                    co[a, _first[f] + k] = c;
                }

                // With the other factors: n_lk − n_l n_k / n.
                for (int g = f + 1; g < factors; g++)
                {
                    var pairs = _pairs[(f * factors) + g];
                    for (int k = 0; k < _levels[g]; k++)
                    {
                        var c = new DoubleDouble(pairs[(l * _levels[g]) + k]) - (new DoubleDouble(nl) * _count[g][k] / n);
                        co[a, _first[g] + k] = c;
                        co[_first[g] + k, a] = c;
                    }
                }
            }
        }

        return Moments.Adopt(Terms, 0, Count, mean, co);
    }
}
