using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Accumulator of a model with categorical columns that never writes the indicator columns: a
/// term with categorical variables (<c>store</c>, <c>x:store</c>, <c>store:region</c>) is 0 on a row
/// but at the block of the row's levels, which holds the products of its numeric variables (1 for
/// a factor alone). A row so costs the dense part's kernel plus O(w·d) per such term (w features at
/// the block, d dense values), however many levels there are, and the state grows with the levels
/// met without being summed up and rebuilt. Like <see cref="LevelAccumulator"/> it reads levels as
/// codes in its <see cref="RowLevels"/> and gives the moments of every level met, in the order met
/// (states of parts that met other levels merge by name; R's coding is chosen at solve time).
/// Rows may come with weights (<c>lm(weights =)</c>, made with <c>weighted</c>): every sum is then
/// Σ w·…, Σw takes the place of n, and a row of weight 0 adds nothing and is not counted.
/// </summary>
/// <remarks>
/// <para>
/// The dense features (the terms without a categorical variable) and the response go through the
/// <see cref="LinearAccumulator"/>. For each block met, the accumulator sums its features s, their
/// products with the dense values shifted by the first row's (e = z − c, exact as a double-double:
/// the shift keeps a large offset from eating digits, as the dense kernels' does), and their
/// products with each other; for each pair of such terms, the products at the pairs of blocks met
/// together. Every product is exact (FMA) and every sum a compensated double-double sum. The
/// centred co-moments then follow: with a dense value, Σ s·e − S·(z̄ − c); between two sparse
/// features, Σ s·s′ − S·S′/n (S = Σ s). Weighted, each sparse feature enters as w·s (w·s exact as a
/// double-double, its low part multiplied in rounded: a part in 1e-32), the dense values go
/// through the <see cref="WeightedAccumulator"/>, and S = Σ w·s, n becomes W = Σ w.
/// </para>
/// <para>
/// It takes the models whose terms are plain columns and formula terms (transforms, interactions,
/// raw powers); a model with a power or an orthogonal polynomial term (whose working basis moves
/// with a centre), or with a term of more than three categorical variables, stays with
/// <see cref="LevelAccumulator"/> (<see cref="Takes"/>), as does qr, whose triangular factor has no
/// sparse form.
/// </para>
/// </remarks>
internal sealed partial class SparseLevelAccumulator : MomentAccumulator
{
    private const int BlockRows = 256;
    private readonly FactorLevels?[] _rowLevels; // per row value: its column's levels, or null for a numeric one
    private readonly int[] _denseTerms; // the terms without a categorical variable, in order
    private readonly SparseTerm[] _sparse;
    private readonly PairSums[] _pairs;
    private readonly int _d; // dense values per row: the dense features (or one 0 when there are none) and the response
    private readonly bool _padded; // no dense feature: a 0 stands in for one, so that the dense accumulator has a predictor
    private readonly bool _weighted; // rows come with weights (AddWeighted)
    private readonly LinearAccumulator? _dense; // unweighted: the dense values, a block at a time
    private readonly WeightedAccumulator? _weightedDense; // weighted: the dense values, row by row
    private readonly double[] _block;
    private int _inBlock;
    private readonly double[] _shift; // c: the first row's dense values
    private readonly double[] _eHi; // the current row's dense values minus c, exactly: hi + lo
    private readonly double[] _eLo;

    /// <param name="terms">The model.</param>
    /// <param name="shared">
    /// The levels of another accumulator of the same model, whose codes this one's rows carry (the
    /// same rows read into several states); null for levels of its own.
    /// </param>
    /// <param name="weighted">Rows come with weights (<see cref="AddWeighted"/>).</param>
    public SparseLevelAccumulator(ModelTerms terms, IReadOnlyList<FactorLevels?>? shared = null, bool weighted = false)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (!Takes(terms, FitMethod.Normal))
        {
            throw new ArgumentException("The model has a term the sparse accumulator does not take.", nameof(terms));
        }

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

        var list = terms.TermList;
        _denseTerms = [.. Enumerable.Range(0, list.Count).Where(t => !IsSparse(list[t]))];
        int denseFeatures = _denseTerms.Sum(t => list[t].FeatureCount);
        _padded = denseFeatures == 0;
        _d = Math.Max(denseFeatures, 1) + 1;
        var names = Enumerable.Range(0, _d - 1).Select(j => "\0dense" + j.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var denseTerms = new ModelTerms(names, "\0response", 1, terms.Intercept);
        _weighted = weighted;
        if (weighted)
        {
            _weightedDense = new WeightedAccumulator(denseTerms);
        }
        else
        {
            _dense = new LinearAccumulator(denseTerms);
        }

        _block = new double[BlockRows * _d];
        _shift = new double[_d];
        _eHi = new double[_d];
        _eLo = new double[_d];
        _sparse = [.. Enumerable.Range(0, list.Count).Where(t => IsSparse(list[t])).Select((t, s) => new SparseTerm(s, t, (FormulaTerm)list[t], _d))];
        var pairs = new List<PairSums>();
        for (int a = 0; a < _sparse.Length; a++)
        {
            for (int b = a + 1; b < _sparse.Length; b++)
            {
                pairs.Add(new PairSums(_sparse[a], _sparse[b]));
            }
        }

        _pairs = [.. pairs];
    }

    /// <summary>
    /// True when the sparse accumulator takes <paramref name="terms"/> read for <paramref name="method"/>:
    /// a model with categorical columns, every term a plain column or a formula term with at most
    /// three categorical variables, the moments wanted (not qr's triangular factor).
    /// </summary>
    public static bool Takes(ModelTerms terms, FitMethod method)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return method != FitMethod.Qr && terms.HasFactors
            && terms.TermList.All(t => t is ColumnTerm || t is FormulaTerm { CategoricalColumns.Count: <= 3 });
    }

    private static bool IsSparse(Term term) => term is FormulaTerm { CategoricalColumns.Count: > 0 };

    /// <summary>The model as given (the levels met so far are in <see cref="RowLevels"/>).</summary>
    public override ModelTerms Terms { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<FactorLevels?> RowLevels => _rowLevels;

    public override void Add(ReadOnlySpan<double> row) => Take(row, 1.0);

    /// <summary>Adds a row with its weight (an accumulator made weighted); a row of weight 0 is checked but not counted.</summary>
    public override void AddWeighted(ReadOnlySpan<double> row, double weight)
    {
        if (!_weighted)
        {
            base.AddWeighted(row, weight);
        }

        CheckWeight(weight);
        Take(row, weight);
    }

    private void Take(ReadOnlySpan<double> row, double weight)
    {
        CheckRow(row);
        for (int j = 0; j < _rowLevels.Length; j++)
        {
            if (_rowLevels[j] is { } levels)
            {
                int code = (int)row[j];
                if (code < 0 || code != row[j] || code >= levels.Count)
                {
                    throw new ArgumentException($"Value {j + 1} of row {Count + 1} is not the code of a level of {levels.Column} ({row[j]}).", nameof(row));
                }
            }
        }

        if (weight == 0)
        {
            return; // as the weighted accumulators: checked, not counted
        }

        // The dense values: the dense terms' features, then the response.
        var z = _block.AsSpan(_inBlock * _d, _d);
        Span<double> values = stackalloc double[16];
        var list = Terms.TermList;
        int at = 0;
        foreach (int t in _denseTerms)
        {
            var term = list[t];
            term.WorkingFeatures(Terms.ValuesOf(row, t, values), 0, z.Slice(at, term.FeatureCount));
            at += term.FeatureCount;
        }

        if (_padded)
        {
            z[at++] = 0;
        }

        z[at] = Terms.ResponseOf(row);
        for (int j = 0; j < _d; j++)
        {
            if (!double.IsFinite(z[j]))
            {
                throw new FeatureValueException(j < _d - 1 ? DenseName(j) : Terms.ResponseName, z[j], Count + 1);
            }
        }

        if (Count == 0)
        {
            z.CopyTo(_shift);
        }

        for (int j = 0; j < _d; j++)
        {
            _eHi[j] = ErrorFree.TwoDiff(z[j], _shift[j], out _eLo[j]);
        }

        foreach (var s in _sparse)
        {
            s.Add(Terms, row, values, weight, _eHi, _eLo, Count + 1);
        }

        foreach (var p in _pairs)
        {
            p.Add();
        }

        if (_weightedDense is not null)
        {
            _weightedDense.AddWeighted(z, weight);
        }
        else if (++_inBlock == BlockRows)
        {
            Flush();
        }

        Count++;
    }

    /// <summary>The name of dense value <paramref name="j"/>'s feature.</summary>
    private string DenseName(int j)
    {
        foreach (int t in _denseTerms)
        {
            var term = Terms.TermList[t];
            if (j < term.FeatureCount)
            {
                return term.Names[j];
            }

            j -= term.FeatureCount;
        }

        return Terms.ResponseName;
    }

    private void Flush()
    {
        _dense?.AddRows(_block, _inBlock);
        _inBlock = 0;
    }

    private ModelTerms CurrentTerms() =>
        Terms.WithLevels(_rowLevels.OfType<FactorLevels>().ToDictionary(l => l.Column, l => l.ToColumn()));

    public override Moments ToMoments()
    {
        Flush();
        var terms = CurrentTerms();
        int q = terms.FeatureCount;
        int m = q + 1;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        var dense = _weightedDense?.ToMoments() ?? _dense!.ToMoments();
        if (Count == 0)
        {
            return Moments.Adopt(terms, 0, 0, mean, co, dense.Weights);
        }

        // Where each dense value goes: the dense terms' features, the response last (the stand-in 0 nowhere).
        var place = new int[_d];
        int k = 0;
        foreach (int t in _denseTerms)
        {
            for (int i = 0; i < terms.TermList[t].FeatureCount; i++)
            {
                place[k++] = terms.FirstFeatureOf(t) + i;
            }
        }

        if (_padded)
        {
            place[k++] = -1;
        }

        place[k] = q;
        var offset = new DoubleDouble[_d]; // z̄ − c
        for (int i = 0; i < _d; i++)
        {
            offset[i] = dense.Mean[i] - _shift[i];
            if (place[i] < 0)
            {
                continue;
            }

            mean[place[i]] = dense.Mean[i];
            for (int j = 0; j < _d; j++)
            {
                if (place[j] >= 0)
                {
                    co[place[i], place[j]] = dense.Co[i, j];
                }
            }
        }

        // Each sparse feature met: its mean, its co-moments with the dense values, and its raw products with the other sparse features.
        var n = dense.Weight; // Σw, or the row count
        var sums = new DoubleDouble[q];
        var met = new bool[q];
        var positions = new int[_sparse.Length][];
        for (int s = 0; s < _sparse.Length; s++)
        {
            positions[s] = _sparse[s].Place(terms, sums, met, mean, co, place, offset, n);
        }

        foreach (var p in _pairs)
        {
            p.Place(positions, co);
        }

        // Between sparse features, centred: Σ s·s′ − S·S′/n (for pairs never met together, −S·S′/n; weighted, W for n).
        int[] sparse = [.. Enumerable.Range(0, q).Where(a => met[a])];
        var scaled = new DoubleDouble[sparse.Length];
        for (int i = 0; i < sparse.Length; i++)
        {
            scaled[i] = sums[sparse[i]] / n;
        }

        for (int i = 0; i < sparse.Length; i++)
        {
            int a = sparse[i];
            var sa = sums[a];
            for (int j = i; j < sparse.Length; j++)
            {
                int b = sparse[j];
                var v = co[a, b] - (sa * scaled[j]);
                co[a, b] = v;
                co[b, a] = v;
            }
        }

        CheckFinite(mean);
        CheckFinite(co);
        return Moments.Adopt(terms, 0, Count, mean, co, dense.Weights);
    }
}
