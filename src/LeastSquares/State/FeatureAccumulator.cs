using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Accumulator of a model whose terms compute their features (transforms, interactions, powers
/// beside other terms): it writes each row's features around centre 0, the user's basis, and folds
/// them into the moments with the linear kernels, which shift every feature column by its first
/// values as they do plain columns. Each term may so have its own offset: no one centre is shared.
/// </summary>
internal sealed class FeatureAccumulator : MomentAccumulator
{
    private readonly LinearAccumulator _inner;
    private readonly double[] _features;

    public FeatureAccumulator(ModelTerms terms)
    {
        Terms = terms;
        int q = terms.FeatureCount;
        // The inner model's columns are the features, under names no CSV header gives.
        var names = Enumerable.Range(0, q).Select(j => "\0feature" + j.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _inner = new LinearAccumulator(new ModelTerms(names, "\0response", 1, terms.Intercept));
        _features = new double[q + 1];
    }

    public override ModelTerms Terms { get; }

    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        int q = Terms.FeatureCount;
        Terms.WorkingFeatures(row, 0, _features.AsSpan(0, q));
        _features[q] = row[^1];
        for (int j = 0; j < q; j++)
        {
            if (!double.IsFinite(_features[j]))
            {
                throw new FeatureValueException(Terms.FeatureNames[j], _features[j], Count + 1);
            }
        }

        _inner.Add(_features);
        Count++;
    }

    public override Moments ToMoments()
    {
        var inner = _inner.ToMoments();
        return new Moments(Terms, 0, inner.Count, inner.Mean, inner.Co);
    }
}
