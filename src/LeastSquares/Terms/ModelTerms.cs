using LeastSquares.Numerics;

namespace LeastSquares.Terms;

/// <summary>
/// What the model is made of: the response, whether there is an intercept, and an ordered list of
/// <see cref="Term"/>s, each reading source columns and contributing named features. The reported
/// coefficients are <c>(intercept)</c> (when present) followed by the terms' features in order.
/// A data row holds the values of <see cref="Predictors"/> (every column some term reads, in order
/// of first use) and then the response.
/// </summary>
public sealed partial record ModelTerms
{
    private readonly Term[] _terms;
    private readonly int[][] _columnsOf; // per term, the row positions of the columns it reads
    private readonly bool _columnsOnly; // every term a ColumnTerm reading predictor t: features and predictions without gathering
    private readonly int[] _firstFeature; // per term, the index of its first feature

    /// <summary>Creates and validates the model of <paramref name="predictors"/> (plain columns) or, with a degree above 1, the powers of the one predictor.</summary>
    /// <exception cref="ArgumentException">No predictors, a degree below 1, or a polynomial of several predictors.</exception>
    public ModelTerms(IReadOnlyList<string> predictors, string target, int degree = 1, bool intercept = true)
        : this(target, intercept, TermsOf(predictors, degree))
    {
    }

    /// <summary>Creates and validates a model from its terms.</summary>
    /// <exception cref="ArgumentException">No terms and no intercept, or two coefficients of the same name.</exception>
    /// <remarks>A model of the intercept alone (R's <c>y ~ 1</c>) has no terms: its one coefficient is the mean of the response.</remarks>
    public ModelTerms(string target, bool intercept, IReadOnlyList<Term> terms)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0 && !intercept)
        {
            throw new ArgumentException("A model needs an intercept or at least one predictor.", nameof(terms));
        }

        _terms = terms.ToArray();
        Target = target;
        Intercept = intercept;
        var columns = new List<string>();
        var names = new List<string>();
        if (intercept)
        {
            names.Add(InterceptName);
        }

        _columnsOf = new int[_terms.Length][];
        _firstFeature = new int[_terms.Length];
        int feature = 0;
        for (int t = 0; t < _terms.Length; t++)
        {
            var term = _terms[t];
            _columnsOf[t] = term.Columns.Select(c =>
            {
                int at = columns.IndexOf(c);
                if (at < 0)
                {
                    columns.Add(c);
                    at = columns.Count - 1;
                }

                return at;
            }).ToArray();
            _firstFeature[t] = feature;
            feature += term.FeatureCount;
            names.AddRange(term.Names);
        }

        Predictors = columns;
        FeatureCount = feature;
        TermNames = names;
        AllPlainColumns = _terms.All(t => t.IsPlainColumn) && _columnsOf.Select((c, t) => c[0] == t).All(same => same);
        _columnsOnly = AllPlainColumns && _terms.All(t => t is ColumnTerm);
        Degree = _terms is [PowerTerm power] ? power.Degree : 1;
        int centred = Array.FindIndex(_terms, t => t.UsesCentre);
        CentreColumn = centred < 0 ? -1 : _columnsOf[centred][0];
    }

    private static Term[] TermsOf(IReadOnlyList<string> predictors, int degree)
    {
        ArgumentNullException.ThrowIfNull(predictors);
        if (predictors.Count == 0)
        {
            throw new ArgumentException("A model needs at least one predictor.", nameof(predictors));
        }

        if (degree < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be at least 1.");
        }

        if (degree > 1 && predictors.Count != 1)
        {
            throw new ArgumentException("A polynomial (degree > 1) takes exactly one predictor.", nameof(degree));
        }

        return degree > 1 ? [new PowerTerm(predictors[0], degree)] : predictors.Select(p => new ColumnTerm(p)).ToArray();
    }

    /// <summary>The index of the first feature of term <paramref name="term"/>.</summary>
    internal int FirstFeatureOf(int term) => _firstFeature[term];

    /// <summary>The orthogonal polynomial terms with no basis yet (fitted at solve time).</summary>
    public bool HasUnfittedPolynomials => _terms.Any(t => t is OrthogonalPolyTerm { Basis: null });

    /// <summary>The model's R formula in expanded form (<c>y ~ x1 + log(x2) + x1:x2</c>), or null for a model stated by columns.</summary>
    public string? Formula { get; init; }

    /// <summary>The name under which the intercept is reported.</summary>
    public const string InterceptName = "(intercept)";

    /// <summary>The terms, in model order.</summary>
    public IReadOnlyList<Term> TermList => _terms;

    /// <summary>The source columns the terms read, in order of first use.</summary>
    public IReadOnlyList<string> Predictors { get; }

    /// <summary>The response column.</summary>
    public string Target { get; }

    /// <summary>Whether the model has an intercept.</summary>
    public bool Intercept { get; }

    /// <summary>The names of the reported coefficients, intercept first.</summary>
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>Number of non-constant features (columns of X other than the intercept).</summary>
    public int FeatureCount { get; }

    /// <summary>
    /// True when every term is a plain column, feature j being value j of the row: rows then go
    /// to the accumulation kernel as they are (the fast path).
    /// </summary>
    public bool AllPlainColumns { get; }

    /// <summary>The degree when the model is the powers of one column (a polynomial of one predictor); 1 otherwise.</summary>
    public int Degree { get; }

    /// <summary>True when the model is the powers of one column up to a degree of 2 or more.</summary>
    public bool IsPolynomial => Degree > 1;

    /// <summary>Number of coefficients p, the intercept included.</summary>
    public int CoefficientCount => FeatureCount + (Intercept ? 1 : 0);

    /// <summary>Number of values each data row supplies: the predictors then the response.</summary>
    public int RowWidth => Predictors.Count + 1;

    /// <summary>Names of the non-constant features, in order.</summary>
    public IReadOnlyList<string> FeatureNames => Intercept ? TermNames.Skip(1).ToArray() : TermNames;

    /// <summary>Whether some term's working features depend on the state's centre.</summary>
    public bool UsesCentre => CentreColumn >= 0;

    /// <summary>The row position of the column whose first value is the state's centre (that of the first term that uses one); −1 when none does.</summary>
    public int CentreColumn { get; }

    /// <summary>True when both describe the same model.</summary>
    public bool SameModelAs(ModelTerms other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Target == other.Target && Intercept == other.Intercept && _terms.Length == other._terms.Length
            && _terms.Zip(other._terms).All(p => p.First.SameAs(p.Second));
    }

    /// <summary>The term that contributes feature <paramref name="feature"/>.</summary>
    public Term TermOf(int feature)
    {
        int t = Array.FindLastIndex(_firstFeature, f => f <= feature);
        return _terms[Math.Max(t, 0)];
    }

    /// <summary>
    /// The change of working basis between centres c and c − d over all features, block by block
    /// (the identity for terms that do not use the centre); null when no term uses it.
    /// </summary>
    public (DoubleDouble[,] L, DoubleDouble[] S)? Recentre(DoubleDouble d)
    {
        if (!UsesCentre)
        {
            return null;
        }

        var l = new DoubleDouble[FeatureCount, FeatureCount];
        var s = new DoubleDouble[FeatureCount];
        for (int t = 0; t < _terms.Length; t++)
        {
            int first = _firstFeature[t];
            if (_terms[t].Recentre(d) is { } block)
            {
                for (int i = 0; i < _terms[t].FeatureCount; i++)
                {
                    s[first + i] = block.S[i];
                    for (int j = 0; j < _terms[t].FeatureCount; j++)
                    {
                        l[first + i, first + j] = block.L[i, j];
                    }
                }
            }
            else
            {
                for (int i = 0; i < _terms[t].FeatureCount; i++)
                {
                    l[first + i, first + i] = DoubleDouble.One;
                }
            }
        }

        return (l, s);
    }

    /// <summary>The working features of a row, each term around its own centre (<paramref name="centres"/>, one per term).</summary>
    internal void WorkingFeatures(ReadOnlySpan<double> row, ReadOnlySpan<double> centres, Span<double> features)
    {
        Span<double> values = stackalloc double[MaxColumnsPerTerm];
        for (int t = 0; t < _terms.Length; t++)
        {
            var own = Gather(row, t, values);
            _terms[t].WorkingFeatures(own, centres[t], features.Slice(_firstFeature[t], _terms[t].FeatureCount));
        }
    }

    /// <summary>The values of term <paramref name="term"/>'s columns in a row.</summary>
    internal ReadOnlySpan<double> ValuesOf(ReadOnlySpan<double> row, int term, Span<double> into) => Gather(row, term, into);

    /// <summary>The working features of a row (<see cref="RowWidth"/> values, the response last) around <paramref name="centre"/>.</summary>
    public void WorkingFeatures(ReadOnlySpan<double> row, double centre, Span<double> features)
    {
        if (_columnsOnly)
        {
            row[.._terms.Length].CopyTo(features); // a ColumnTerm's working feature is its value
            return;
        }

        Span<double> values = stackalloc double[MaxColumnsPerTerm];
        for (int t = 0; t < _terms.Length; t++)
        {
            var own = Gather(row, t, values);
            _terms[t].WorkingFeatures(own, centre, features.Slice(_firstFeature[t], _terms[t].FeatureCount));
        }
    }

    /// <summary>
    /// The working features of a row in double-double: a term that uses the centre reads its values
    /// less <paramref name="centre"/>, any other its values as they are.
    /// </summary>
    public void WorkingFeatures(ReadOnlySpan<double> row, double centre, Span<DoubleDouble> features)
    {
        Span<double> values = stackalloc double[MaxColumnsPerTerm];
        Span<double> shift = stackalloc double[MaxColumnsPerTerm];
        for (int t = 0; t < _terms.Length; t++)
        {
            var term = _terms[t];
            var own = Gather(row, t, values);
            shift[..own.Length].Fill(term.UsesCentre ? centre : 0);
            term.WorkingFeatures(own, shift[..own.Length], features.Slice(_firstFeature[t], term.FeatureCount));
        }
    }

    /// <summary>Adds Σ βⱼ·uⱼ over every term's user features u to <paramref name="sum"/>; <paramref name="slopes"/> has one coefficient per feature.</summary>
    internal void AddPrediction(ReadOnlySpan<double> predictors, ReadOnlySpan<double> slopes, ref DoubleDouble sum)
    {
        if (_columnsOnly)
        {
            // The same exact products and sums, in the same order, as each ColumnTerm adds its own.
            for (int t = 0; t < _terms.Length; t++)
            {
                sum += DoubleDouble.TwoProduct(slopes[t], predictors[t]);
            }

            return;
        }

        Span<double> values = stackalloc double[MaxColumnsPerTerm];
        for (int t = 0; t < _terms.Length; t++)
        {
            var own = Gather(predictors, t, values);
            _terms[t].AddPrediction(own, slopes.Slice(_firstFeature[t], _terms[t].FeatureCount), ref sum);
        }
    }

    /// <summary>Terms read at most this many columns (an interaction of this many).</summary>
    private const int MaxColumnsPerTerm = 16;

    private ReadOnlySpan<double> Gather(ReadOnlySpan<double> row, int term, Span<double> into)
    {
        var columns = _columnsOf[term];
        for (int k = 0; k < columns.Length; k++)
        {
            into[k] = row[columns[k]];
        }

        return into[..columns.Length];
    }
}
