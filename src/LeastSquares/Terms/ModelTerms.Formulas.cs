namespace LeastSquares.Terms;

// The model of an R formula: building it, its categorical columns' levels and coding, the response's transform.
public sealed partial record ModelTerms
{
    /// <summary>
    /// The model of an R formula whose variables are numeric: a term that is a bare column is a
    /// <see cref="ColumnTerm"/> (so a formula that only names columns takes the plain-column fast
    /// path), any other term a <see cref="FormulaTerm"/>. <see cref="Formula"/> is the formula
    /// written back in R's expanded form, which parses to the same terms.
    /// </summary>
    /// <exception cref="ArgumentException">A transformed response, a formula with neither terms nor an intercept, or a term the model cannot take yet.</exception>
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
        var text = formula.TermLabels.Count == 0 ? response.Label + " ~ 1"
            : response.Label + " ~ " + string.Join(" + ", formula.TermLabels) + (formula.HasIntercept ? "" : " - 1");
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
            Formula = Formula,
            ResponseLabel = ResponseLabel,
            ResponseTransform = ResponseTransform,
            Factors = Factors,
            IsCoded = IsCoded,
        };
}
