using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Accumulator of a model whose terms compute their features (transforms, interactions, powers
/// beside other terms) or whose response is a transform (<c>log(y) ~ …</c>): it writes each row's
/// features around centre 0, the user's basis, and folds them into the moments with the linear
/// kernels, which shift every feature column by its first values as they do plain columns. Each
/// term may so have its own offset: no one centre is shared.
/// </summary>
/// <remarks>
/// An orthogonal polynomial's rows are written as the powers (x − s)ʲ of its argument shifted by
/// its first value s (the powers of x itself would round away the digits that tell the higher
/// orthogonal polynomials apart when x is far from 0); <see cref="ToMoments"/> maps those moments
/// exactly to the raw powers xʲ, the basis every part shares. The first orthogonal polynomial of a
/// bare column is the exception: its block stays around the state's centre (<see cref="Moments.Centre"/>),
/// which merges recentre, so that no digits are lost to the raw powers of a column far from 0.
/// </remarks>
internal sealed class FeatureAccumulator : MomentAccumulator
{
    private readonly LinearAccumulator _inner;
    private readonly double[] _features;
    private readonly double[] _shifts; // per term: the shift of an orthogonal polynomial's argument, 0 for the others
    private readonly bool _shifted;
    private double _centre; // the state's centre: the first value of the centred polynomial's column

    public FeatureAccumulator(ModelTerms terms)
    {
        Terms = terms;
        int q = terms.FeatureCount;
        // The inner model's columns are the features, under names no CSV header gives.
        var names = Enumerable.Range(0, q).Select(j => "\0feature" + j.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _inner = new LinearAccumulator(new ModelTerms(names, "\0response", 1, terms.Intercept));
        _features = new double[q + 1];
        _shifts = new double[terms.TermList.Count];
        _shifted = terms.TermList.Any(t => t is OrthogonalPolyTerm { Basis: null });
    }

    public override ModelTerms Terms { get; }

    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        int q = Terms.FeatureCount;
        if (Count == 0 && _shifted)
        {
            _centre = Terms.UsesCentre ? row[Terms.CentreColumn] : 0;
            Span<double> values = stackalloc double[16];
            for (int t = 0; t < _shifts.Length; t++)
            {
                if (Terms.TermList[t] is OrthogonalPolyTerm { Basis: null } poly)
                {
                    double x = poly.UsesCentre ? _centre : poly.Argument(Terms.ValuesOf(row, t, values));
                    _shifts[t] = double.IsFinite(x) ? x : 0;
                }
            }
        }

        Terms.WorkingFeatures(row, _shifts, _features.AsSpan(0, q));
        _features[q] = Terms.ResponseOf(row);
        for (int j = 0; j <= q; j++)
        {
            if (!double.IsFinite(_features[j]))
            {
                throw new FeatureValueException(j < q ? Terms.FeatureNames[j] : Terms.ResponseName, _features[j], Count + 1);
            }
        }

        _inner.Add(_features);
        Count++;
    }

    public override Moments ToMoments()
    {
        var inner = _inner.ToMoments();
        // A centred polynomial's block stays around the state's centre (merges recentre it); the others go to the raw powers.
        var moments = new Moments(Terms, _centre, inner.Count, inner.Mean, inner.Co);
        if (!_shifted || Enumerable.Range(0, _shifts.Length).All(t => _shifts[t] == 0 || Terms.TermList[t].UsesCentre))
        {
            return moments;
        }

        // (x − s)ʲ → xʲ, block by block: the binomial map of the powers (exact in double-double).
        int q = Terms.FeatureCount;
        var l = new DoubleDouble[q, q];
        var shift = new DoubleDouble[q];
        for (int j = 0; j < q; j++)
        {
            l[j, j] = DoubleDouble.One;
        }

        for (int t = 0; t < _shifts.Length; t++)
        {
            if (Terms.TermList[t] is OrthogonalPolyTerm { UsesCentre: false } poly && _shifts[t] != 0)
            {
                var (bl, bs) = PowerTerm.Shift(poly.Degree, new DoubleDouble(_shifts[t]));
                int first = Terms.FirstFeatureOf(t);
                for (int i = 0; i < poly.Degree; i++)
                {
                    shift[first + i] = bs[i];
                    for (int k = 0; k < poly.Degree; k++)
                    {
                        l[first + i, first + k] = bl[i, k];
                    }
                }
            }
        }

        return moments.Transform(l, shift, _centre);
    }
}
