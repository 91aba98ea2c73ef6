using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Folds data rows into the <see cref="TriangularFactor"/> of a model, for the QR solver. Rows are
/// buffered in blocks of <see cref="BlockRows"/> and each block is absorbed into R by Householder
/// reflections in double-double, so memory is O(p²) however many rows arrive. Being a
/// <see cref="MomentAccumulator"/>, it takes the same rows and blocks and also yields the moments.
/// </summary>
/// <remarks>
/// Each row enters exactly: shifted values are formed with TwoDiff, a polynomial's powers (x − c)ʲ
/// in double-double. Cost per row is about p² double-double multiply-adds, some ten times the
/// moment accumulator's.
/// </remarks>
public sealed class QrAccumulator : MomentAccumulator
{
    /// <summary>Rows per Householder block: long enough to amortise the square roots and divisions, short enough to stay in cache.</summary>
    public const int BlockRows = 128;

    private readonly int _blockRows;
    private readonly int _m;
    private readonly int _q;
    private readonly DoubleDouble[,] _r;
    private readonly DoubleDouble[] _block;
    private readonly double[] _shift;
    private readonly double[] _squares; // Σ d² and Σ |d| of each column after the shift, for CheckScale
    private readonly double[] _magnitudes;
    private readonly DoubleDouble[] _features; // a row's working features, when they are not its values
    private readonly bool _weighted;
    private double _logWeights;
    private double _centre;
    private int _buffered;

    /// <summary>Creates an accumulator for <paramref name="terms"/>; <paramref name="weighted"/>: rows come with weights (<see cref="AddWeighted"/>).</summary>
    public QrAccumulator(ModelTerms terms, bool weighted = false)
        : this(terms, weighted, BlockRows)
    {
    }

    /// <summary>An accumulator absorbing <paramref name="blockRows"/> rows at a time (tests: blocks far narrower than the factor).</summary>
    internal QrAccumulator(ModelTerms terms, bool weighted, int blockRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        _blockRows = blockRows;
        _weighted = weighted;
        ArgumentNullException.ThrowIfNull(terms);
        Terms = terms;
        _q = terms.FeatureCount;
        _m = _q + 2;
        _r = new DoubleDouble[_m, _m];
        _block = new DoubleDouble[_m * blockRows];
        _shift = new double[_q + 1];
        _squares = new double[_q + 1];
        _magnitudes = new double[_q + 1];
        _features = new DoubleDouble[_q];
    }

    /// <inheritdoc/>
    public override ModelTerms Terms { get; }

    /// <inheritdoc/>
    public override void Add(ReadOnlySpan<double> row)
    {
        if (_weighted)
        {
            AddWeighted(row, 1.0);
            return;
        }

        AddRow(row, null);
    }

    /// <inheritdoc/>
    /// <remarks>The row of the augmented design, the column of ones included, is scaled by √w: R₀₀² is then Σw.</remarks>
    public override void AddWeighted(ReadOnlySpan<double> row, double weight)
    {
        if (!_weighted)
        {
            base.AddWeighted(row, weight);
        }

        CheckRow(row);
        CheckWeight(weight);
        if (weight == 0)
        {
            return;
        }

        _logWeights += Math.Log(weight);
        AddRow(row, DoubleDouble.Sqrt(new DoubleDouble(weight)));
    }

    private void AddRow(ReadOnlySpan<double> row, DoubleDouble? root)
    {
        CheckRow(row);
        if (Count == 0 && Terms.Intercept)
        {
            if (!Terms.AllPlainColumns)
            {
                _centre = Terms.UsesCentre ? row[Terms.CentreColumn] : 0;
            }
            else
            {
                row[..^1].CopyTo(_shift);
            }

            _shift[_q] = Terms.ResponseOf(row);
        }

        int i = _buffered;
        _block[i] = DoubleDouble.One;
        if (!Terms.AllPlainColumns)
        {
            Terms.WorkingFeatures(row, _centre, _features);
            for (int j = 0; j < _q; j++)
            {
                _block[((j + 1) * _blockRows) + i] = _features[j];
            }
        }
        else
        {
            for (int j = 0; j < _q; j++)
            {
                _block[((j + 1) * _blockRows) + i] = DoubleDouble.TwoDiff(row[j], _shift[j]);
            }
        }

        double response = Terms.ResponseOf(row);
        if (!double.IsFinite(response))
        {
            throw new FeatureValueException(Terms.ResponseName, response, Count + 1);
        }

        _block[((_q + 1) * _blockRows) + i] = DoubleDouble.TwoDiff(response, _shift[_q]);
        if (root is { } r)
        {
            for (int j = 0; j <= _q + 1; j++)
            {
                _block[(j * _blockRows) + i] *= r;
            }
        }

        for (int j = 0; j <= _q; j++)
        {
            double d = _block[((j + 1) * _blockRows) + i].Hi;
            _squares[j] += d * d;
            _magnitudes[j] += Math.Abs(d);
        }

        Count++;
        if (++_buffered == _blockRows)
        {
            Flush();
        }
    }

    /// <summary>The factor of the rows added so far.</summary>
    /// <exception cref="OverflowException">An entry overflowed (values beyond about 1e150).</exception>
    public TriangularFactor ToFactor()
    {
        for (int j = 0; j <= _q; j++)
        {
            CheckScale(j < _q ? Terms.FeatureNames[j] : Terms.ResponseName, _squares[j], _magnitudes[j]);
        }

        Flush();
        foreach (var v in _r)
        {
            if (!v.IsFinite)
            {
                throw new OverflowException("A sum of squares overflowed: the data hold values too large to square (beyond about 1e150).");
            }
        }

        return new TriangularFactor(Terms, _centre, (double[])_shift.Clone(), Count, (DoubleDouble[,])_r.Clone(), _weighted ? _logWeights : null);
    }

    /// <inheritdoc/>
    public override Moments ToMoments() => ToFactor().ToMoments();

    /// <inheritdoc/>
    public override IModelState ToState() => ToFactor();

    private void Flush()
    {
        if (_buffered > 0)
        {
            Householder.Absorb(_r, _block, _blockRows, _buffered);
            _buffered = 0;
        }
    }
}
