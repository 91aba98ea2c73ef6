using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Accumulator of a model with categorical columns, whose levels are found while reading. A row
/// holds each level as its code in the accumulator's <see cref="FactorLevels"/> (the reader turns
/// cells into codes there: <see cref="RowLevels"/>). The state has one indicator column for every
/// level met, in the order met; when a row brings a new level, the rows so far are summed up and
/// the state grows by the new level's columns, zero on every earlier row (a mean and co-moments of
/// zero). The reference level and the coding are chosen at solve time (<see cref="ModelTerms.Coded"/>
/// and <see cref="Moments.Reindex"/>), so states of parts that met different levels merge by name.
/// </summary>
internal sealed class LevelAccumulator : MomentAccumulator
{
    private readonly FitMethod _method;
    private readonly bool _weighted; // rows come with weights (AddWeighted), as CreateWeighted makes them
    private readonly FactorLevels?[] _rowLevels; // per row value: its column's levels, or null for a numeric one
    private readonly int[] _counts; // per row value: the levels the current inner accumulator knows
    private MomentAccumulator? _inner;
    private IModelState? _done; // the rows summed up before the last new level

    /// <param name="terms">The model.</param>
    /// <param name="method">The method whose state the rows go into.</param>
    /// <param name="weighted">Rows come with weights (<see cref="AddWeighted"/>).</param>
    /// <param name="shared">
    /// The levels of another accumulator of the same model, whose codes this one's rows carry (the
    /// same rows split among several states: folds, or weighted and unweighted sums); null for levels of its own.
    /// </param>
    public LevelAccumulator(ModelTerms terms, FitMethod method, bool weighted = false, IReadOnlyList<FactorLevels?>? shared = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _method = method;
        _weighted = weighted;
        Terms = terms;
        _rowLevels = new FactorLevels?[terms.RowWidth];
        for (int j = 0; j < terms.Predictors.Count; j++)
        {
            if (shared is not null)
            {
                _rowLevels[j] = shared[j];
            }
            else if (terms.Factors.TryGetValue(terms.Predictors[j], out var factor))
            {
                _rowLevels[j] = new FactorLevels(factor.Column, factor.Numeric, factor.Levels);
            }
        }

        _counts = new int[terms.RowWidth];
    }

    /// <summary>The model with the levels met so far (every level gets a column).</summary>
    public override ModelTerms Terms { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<FactorLevels?> RowLevels => _rowLevels;

    public override void Add(ReadOnlySpan<double> row)
    {
        if (_weighted)
        {
            AddWeighted(row, 1.0);
            return;
        }

        Take(row);
        _inner!.Add(row);
        Count++;
    }

    /// <summary>Adds a row with its weight (an accumulator made by <see cref="MomentAccumulator.CreateWeighted"/>); a row of weight 0 is not counted.</summary>
    public override void AddWeighted(ReadOnlySpan<double> row, double weight)
    {
        if (!_weighted)
        {
            base.AddWeighted(row, weight);
        }

        CheckWeight(weight);
        Take(row);
        long before = _inner!.Count;
        _inner.AddWeighted(row, weight);
        Count += _inner.Count - before;
    }

    /// <summary>Checks a row's level codes and grows the state when it brings a new level.</summary>
    private void Take(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        bool grown = _inner is null;
        for (int j = 0; j < _rowLevels.Length; j++)
        {
            if (_rowLevels[j] is { } levels)
            {
                int code = (int)row[j];
                if (code < 0 || code != row[j] || code >= levels.Count)
                {
                    throw new ArgumentException($"Value {j + 1} of row {Count + 1} is not the code of a level of {levels.Column} ({row[j]}).", nameof(row));
                }

                grown |= code >= _counts[j];
            }
        }

        if (grown)
        {
            Grow();
        }
    }

    /// <summary>Sums up the rows so far and starts an accumulator of the levels now known.</summary>
    private void Grow()
    {
        if (_inner is { Count: > 0 })
        {
            var state = _inner.ToState();
            _done = _done is null ? state : _done.Merge(state);
        }

        for (int j = 0; j < _rowLevels.Length; j++)
        {
            _counts[j] = _rowLevels[j]?.Count ?? 0;
        }

        _inner = _weighted ? CreateWeightedWithLevels(CurrentTerms(), _method) : CreateWithLevels(CurrentTerms(), _method);
    }

    private ModelTerms CurrentTerms() =>
        Terms.WithLevels(_rowLevels.OfType<FactorLevels>().ToDictionary(l => l.Column, l => l.ToColumn()));

    public override IModelState ToState()
    {
        var current = _inner is { Count: > 0 } inner ? inner.ToState() : null;
        var state = (_done, current) switch
        {
            (null, null) => null,
            (null, { } c) => c,
            ({ } d, null) => d,
            ({ } d, { } c) => d.Merge(c),
        };
        return state ?? Empty(CurrentTerms());
    }

    public override Moments ToMoments() => ToState().ToMoments();

    /// <summary>The state of no rows.</summary>
    private IModelState Empty(ModelTerms terms)
    {
        int m = terms.FeatureCount + 1;
        if (_weighted)
        {
            return CreateWeightedWithLevels(terms, _method).ToState();
        }

        var moments = new Moments(terms, 0, 0, new Numerics.DoubleDouble[m], new Numerics.DoubleDouble[m, m]);
        return _method == FitMethod.Qr ? TriangularFactor.Empty(terms) : moments;
    }
}
