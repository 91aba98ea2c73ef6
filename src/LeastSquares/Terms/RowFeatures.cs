using LeastSquares.State;

namespace LeastSquares.Terms;

/// <summary>
/// Turns a raw row <c>[x₁, …, x_k, y]</c> into the features of an iteration basis g = L·f + s,
/// where f are the working features of the moments (the predictors, or the powers (x − c)ʲ).
/// Used by mini-batch SGD, the one solver that reads rows again.
/// </summary>
internal sealed class RowFeatures
{
    private readonly ModelTerms _terms;
    private readonly double _centre;
    private readonly double[,] _l;
    private readonly double[] _s;
    private readonly double[] _f;

    public RowFeatures(Moments work, AffineBasis basis)
    {
        _terms = work.Terms;
        _centre = work.Centre;
        int q = work.FeatureCount;
        _l = new double[q, q];
        _s = new double[q];
        for (int i = 0; i < q; i++)
        {
            _s[i] = basis.S[i].ToDouble();
            for (int j = 0; j < q; j++)
            {
                _l[i, j] = basis.L[i, j].ToDouble();
            }
        }

        _f = new double[q];
    }

    /// <summary>Writes the features of row <paramref name="index"/> into <paramref name="g"/> and returns its y.</summary>
    public double Fill(ReadOnlySpan<double> rows, int index, Span<double> g)
    {
        int w = _terms.RowWidth;
        var row = rows.Slice(index * w, w);
        int q = _f.Length;
        if (_terms.AllPlainColumns)
        {
            row[..q].CopyTo(_f);
        }
        else
        {
            _terms.WorkingFeatures(row, _centre, _f);
        }

        for (int i = 0; i < q; i++)
        {
            double v = _s[i];
            for (int j = 0; j <= i; j++)
            {
                v += _l[i, j] * _f[j];
            }

            g[i] = v;
        }

        return _terms.ResponseOf(row);
    }
}
