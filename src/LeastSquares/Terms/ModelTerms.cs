using LeastSquares.Numerics;

namespace LeastSquares.Terms;

/// <summary>
/// What the model is made of: the response, whether there is an intercept, and an ordered list of
/// <see cref="Term"/>s, each reading source columns and contributing named features. The reported
/// coefficients are <c>(intercept)</c> (when present) followed by the terms' features in order.
/// A data row holds the values of <see cref="Predictors"/> (every column some term reads, in order
/// of first use) and then the response.
/// </summary>
public sealed record ModelTerms
{
    private readonly Term[] _terms;
    private readonly int[][] _columnsOf; // per term, the row positions of the columns it reads
    private readonly int[] _firstFeature; // per term, the index of its first feature

    /// <summary>Creates and validates the model of <paramref name="predictors"/> (plain columns) or, with a degree above 1, the powers of the one predictor.</summary>
    /// <exception cref="ArgumentException">No predictors, a degree below 1, or a polynomial of several predictors.</exception>
    public ModelTerms(IReadOnlyList<string> predictors, string target, int degree = 1, bool intercept = true)
        : this(target, intercept, TermsOf(predictors, degree))
    {
    }

    /// <summary>Creates and validates a model from its terms.</summary>
    /// <exception cref="ArgumentException">No terms, or two coefficients of the same name.</exception>
    public ModelTerms(string target, bool intercept, IReadOnlyList<Term> terms)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            throw new ArgumentException("A model needs at least one predictor.", nameof(terms));
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

    /// <summary>
    /// The model of an R formula whose variables are numeric: a term that is a bare column is a
    /// <see cref="ColumnTerm"/> (so a formula that only names columns takes the plain-column fast
    /// path), any other term a <see cref="FormulaTerm"/>. <see cref="Formula"/> is the formula
    /// written back in R's expanded form, which parses to the same terms.
    /// </summary>
    /// <exception cref="ArgumentException">A transformed response, a formula without terms, or a term the model cannot take yet.</exception>
    public static ModelTerms FromFormula(Formulas.Formula formula) => FromFormula(formula, null, coded: true);

    /// <summary>
    /// The model of an R formula whose categorical variables (each <c>factor(x)</c>, and each bare
    /// column named in <paramref name="factors"/>) have the levels <paramref name="factors"/> gives.
    /// Coded (<paramref name="coded"/>), it is R's model matrix: the levels must be in R's order
    /// (<see cref="FactorColumn.Sorted"/>), and a categorical variable gets a column for every level
    /// but the first where R uses treatment contrasts (the term without it is in the model, the
    /// intercept counting as the empty term), for every level elsewhere. Not coded, every
    /// categorical variable gets a column for every level, in the order given: the state a reader
    /// accumulates while it finds levels, from which the coded model's features are a selection.
    /// </summary>
    /// <exception cref="ArgumentException">A transformed response, <c>factor()</c> of an expression, or a categorical column without its levels.</exception>
    public static ModelTerms FromFormula(Formulas.Formula formula, IReadOnlyDictionary<string, FactorColumn>? factors, bool coded)
    {
        ArgumentNullException.ThrowIfNull(formula);
        var response = formula.Response;
        Formulas.CompiledExpression? transform = null;
        string target;
        if (response is { Kind: Formulas.VariableKind.Column, Column: { } column })
        {
            target = column;
        }
        else if (response.Kind == Formulas.VariableKind.Numeric && response.Columns.Count == 1)
        {
            target = response.Columns[0];
            transform = response.Compile();
        }
        else
        {
            throw new ArgumentException($"The response {response.Label} is not a column or a transform of one column.", nameof(formula));
        }

        factors ??= new Dictionary<string, FactorColumn>();
        bool IsCategorical(Formulas.Variable v) => v.Kind == Formulas.VariableKind.Factor
            || (v.Kind == Formulas.VariableKind.Column && factors.ContainsKey(v.Column!));
        var used = new Dictionary<string, FactorColumn>(StringComparer.Ordinal);
        FactorColumn LevelsOf(Formulas.Variable v)
        {
            if (v.Column is not { } name)
            {
                throw new ArgumentException($"{v.Label}: factor() takes a column name, not an expression.", nameof(formula));
            }

            var levels = factors.TryGetValue(name, out var f) ? f : throw new ArgumentException($"The levels of {v.Label} are not known.", nameof(factors));
            used[name] = levels;
            return levels;
        }

        var coding = formula.Coding(IsCategorical);

        // The first orthogonal polynomial of a bare column is accumulated around the state's centre.
        bool centreTaken = false;
        var terms = formula.Terms.Select((t, j) =>
        {
            if (t.Variables is [{ Kind: Formulas.VariableKind.Column } v] && v.Label == v.Column && !IsCategorical(v))
            {
                return new ColumnTerm(v.Column!);
            }

            if (t.Variables is [{ Kind: Formulas.VariableKind.Polynomial, Raw: false } p])
            {
                bool centred = !centreTaken && p.Argument is Formulas.NameNode;
                centreTaken |= centred;
                return new OrthogonalPolyTerm(p, null, centred);
            }

            if (!t.Variables.Any(IsCategorical))
            {
                return (Term)new FormulaTerm(t);
            }

            var parts = t.Variables.Select((v, k) =>
            {
                if (!IsCategorical(v))
                {
                    return ((IReadOnlyList<string> Levels, int[] Columns)?)null;
                }

                var levels = LevelsOf(v).Levels;
                int first = coded && coding[j][k] == Formulas.FactorCoding.Contrasts ? 1 : 0;
                return (levels, Enumerable.Range(first, Math.Max(0, levels.Count - first)).ToArray());
            }).ToArray();
            return new FormulaTerm(t, parts);
        }).ToArray();
        var text = response.Label + " ~ " + string.Join(" + ", formula.TermLabels) + (formula.HasIntercept ? "" : " - 1");
        return new ModelTerms(target, formula.HasIntercept, terms)
        {
            Formula = text,
            ResponseLabel = transform is null ? null : response.Label,
            ResponseTransform = transform,
            Factors = used,
            IsCoded = coded,
            Parsed = formula,
        };
    }

    /// <summary>The levels of each categorical column, by column; empty when the model has none.</summary>
    public IReadOnlyDictionary<string, FactorColumn> Factors { get; private init; } = new Dictionary<string, FactorColumn>();

    /// <summary>True when some column is categorical.</summary>
    public bool HasFactors => Factors.Count > 0;

    /// <summary>
    /// False for the state of a reader (every level of every categorical variable has a column,
    /// in the order found); true for R's model matrix (see <see cref="FromFormula(Formulas.Formula, IReadOnlyDictionary{string, FactorColumn}?, bool)"/>).
    /// </summary>
    public bool IsCoded { get; private init; } = true;

    private Formulas.Formula? Parsed { get; init; }

    /// <summary>The same model with other levels (the same coding).</summary>
    public ModelTerms WithLevels(IReadOnlyDictionary<string, FactorColumn> factors) =>
        Parsed is { } parsed ? FromFormula(parsed, factors, IsCoded) : this;

    /// <summary>R's model matrix of these levels: each column's levels sorted, the reference dropped where R uses contrasts.</summary>
    public ModelTerms Coded() =>
        Parsed is { } parsed && HasFactors ? FromFormula(parsed, Factors.ToDictionary(f => f.Key, f => f.Value.Sorted()), coded: true) : this;

    /// <summary>The model of <paramref name="a"/> with, for each categorical column, its levels followed by the new ones of <paramref name="b"/>.</summary>
    public static ModelTerms UniteLevels(ModelTerms a, ModelTerms b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.WithLevels(a.Factors.ToDictionary(f => f.Key, f => b.Factors.TryGetValue(f.Key, out var other) ? f.Value.Union(other) : f.Value));
    }

    /// <summary>True when every categorical column has the same levels in the same order in both.</summary>
    public bool SameLevels(ModelTerms other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Factors.Count == other.Factors.Count
            && Factors.All(f => other.Factors.TryGetValue(f.Key, out var o) && f.Value.SameLevels(o));
    }

    /// <summary>A key per feature that is the same for the same feature whatever the order of the levels.</summary>
    public IReadOnlyList<string> FeatureKeys => [.. _terms.SelectMany(t => t is FormulaTerm f ? f.Keys : t.Names)];

    /// <summary>For each feature of this model, the index of the same feature in <paramref name="from"/>, or −1 when it has none (a level it never saw).</summary>
    public int[] FeatureMap(ModelTerms from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = from.FeatureKeys;
        for (int j = 0; j < keys.Count; j++)
        {
            at[keys[j]] = j;
        }

        return [.. FeatureKeys.Select(k => at.TryGetValue(k, out int j) ? j : -1)];
    }

    /// <summary>
    /// R's label of a transformed response (<c>log(Volume)</c>), whose values are
    /// <see cref="ResponseTransform"/> of the <see cref="Target"/> column; null when the response is the column itself.
    /// </summary>
    public string? ResponseLabel { get; init; }

    /// <summary>The transform of the <see cref="Target"/> column that is the response (null: the column itself).</summary>
    public Formulas.CompiledExpression? ResponseTransform { get; init; }

    /// <summary>The response as R labels it: the transform's label, or the target column.</summary>
    public string ResponseName => ResponseLabel ?? Target;

    /// <summary>The response value of a row (<see cref="RowWidth"/> values, the target column last).</summary>
    public double ResponseOf(ReadOnlySpan<double> row) => ResponseTransform is { } f ? f.Evaluate(row[^1..]) : row[^1];

    /// <summary>The same model with other terms of the same features (the fitted orthogonal polynomials).</summary>
    public ModelTerms WithTerms(IReadOnlyList<Term> terms) =>
        new(Target, Intercept, terms)
        {
            Formula = Formula, ResponseLabel = ResponseLabel, ResponseTransform = ResponseTransform, Factors = Factors, IsCoded = IsCoded,
        };

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
