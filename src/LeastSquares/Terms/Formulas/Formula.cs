namespace LeastSquares.Terms.Formulas;

/// <summary>How a categorical variable enters a term's columns (R's <c>factors</c> attribute of <c>terms()</c>: 1 or 2).</summary>
public enum FactorCoding
{
    /// <summary>Treatment contrasts: one column per level but the reference (the first level).</summary>
    Contrasts,

    /// <summary>One indicator column for every level: the term's margin without this variable is not in the model.</summary>
    Indicators,
}

/// <summary>A term: an interaction of one or more variables (a main effect when <see cref="Order"/> is 1).</summary>
public sealed class Term
{
    private readonly FactorCoding[] _margins;

    internal Term(IReadOnlyList<Variable> variables, FactorCoding[] margins)
    {
        Variables = variables;
        _margins = margins;
        Label = string.Join(":", variables.Select(v => v.Label));
    }

    /// <summary>The variables, in R's order (order of first appearance in the formula, response first).</summary>
    public IReadOnlyList<Variable> Variables { get; }

    /// <summary>R's term label: the variable labels joined by <c>:</c> (<c>wt:hp</c>, <c>log(hp)</c>).</summary>
    public string Label { get; }

    /// <summary>The number of variables: 1 for a main effect, 2 for a two-way interaction, …</summary>
    public int Order => Variables.Count;

    /// <summary>
    /// R's coding of each variable of the term if it were categorical, before the no-intercept rule
    /// (see <see cref="Formula.Coding"/>): contrasts when the term without that variable is empty or is
    /// contained in an earlier term, indicators otherwise.
    /// </summary>
    public IReadOnlyList<FactorCoding> Margins => _margins;

    /// <inheritdoc/>
    public override string ToString() => Label;
}

/// <summary>
/// A model formula expanded as R's <c>terms.formula</c> does: the response, the intercept flag and
/// the terms in R's order (main effects first, then two-way interactions, …, each group in order of
/// first appearance), duplicates removed. Build one with <see cref="FormulaParser.Parse"/>.
/// </summary>
public sealed class Formula
{
    internal Formula(string text, Variable response, bool hasIntercept, IReadOnlyList<Term> terms, IReadOnlyList<Variable> variables)
    {
        Text = text;
        Response = response;
        HasIntercept = hasIntercept;
        Terms = terms;
        Variables = variables;
        TermLabels = [.. terms.Select(t => t.Label)];
        var columns = new List<string>();
        foreach (var name in variables.SelectMany(v => v.Columns))
        {
            if (!columns.Contains(name))
            {
                columns.Add(name);
            }
        }

        Columns = columns;
    }

    /// <summary>The formula as given.</summary>
    public string Text { get; }

    /// <summary>The response (left of <c>~</c>): a column or a numeric expression such as <c>log(y)</c>.</summary>
    public Variable Response { get; }

    /// <summary>Whether the model has an intercept (no <c>- 1</c>, <c>+ 0</c>, <c>0 +</c>, or one undone by a later <c>+ 1</c>).</summary>
    public bool HasIntercept { get; }

    /// <summary>The terms after expansion, in R's order. Terms that contain the response are dropped, as <c>model.matrix</c> does.</summary>
    public IReadOnlyList<Term> Terms { get; }

    /// <summary>R's <c>attr(terms(f), "term.labels")</c> (less any term containing the response).</summary>
    public IReadOnlyList<string> TermLabels { get; }

    /// <summary>The response, then every variable some term uses, in R's variable order.</summary>
    public IReadOnlyList<Variable> Variables { get; }

    /// <summary>Every data column the response and the terms read, in order of first appearance.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// How each variable of each term is coded once it is known which variables are categorical
    /// (a <c>factor()</c>, or a column whose cells are text): each term's <see cref="Term.Margins"/>, except
    /// that without an intercept the first categorical variable of the first term that has one keeps all
    /// its levels, as R's <c>model.matrix</c> does. Indexed [term][variable of the term].
    /// </summary>
    public IReadOnlyList<IReadOnlyList<FactorCoding>> Coding(Func<Variable, bool> isCategorical)
    {
        ArgumentNullException.ThrowIfNull(isCategorical);
        var coding = Terms.Select(t => t.Margins.ToArray()).ToArray();
        if (!HasIntercept)
        {
            for (int j = 0; j < Terms.Count; j++)
            {
                int k = Terms[j].Variables.ToList().FindIndex(v => isCategorical(v));
                if (k >= 0)
                {
                    coding[j][k] = FactorCoding.Indicators;
                    break;
                }
            }
        }

        return coding;
    }

    /// <summary>
    /// The coefficient names in the order of R's <c>colnames(model.matrix(...))</c>: <c>(Intercept)</c>,
    /// then each term's columns; in an interaction the first variable's columns vary fastest and names are
    /// joined by <c>:</c>. <paramref name="levels"/> gives, for a categorical variable, all its levels in
    /// order (the first being the reference) and null for a numeric one.
    /// </summary>
    public IReadOnlyList<string> CoefficientNames(Func<Variable, IReadOnlyList<string>?> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var names = new List<string>();
        if (HasIntercept)
        {
            names.Add("(Intercept)");
        }

        var coding = Coding(v => levels(v) is not null);
        for (int j = 0; j < Terms.Count; j++)
        {
            var parts = new List<IReadOnlyList<string>>();
            for (int k = 0; k < Terms[j].Variables.Count; k++)
            {
                var variable = Terms[j].Variables[k];
                var all = levels(variable);
                parts.Add(all is null
                    ? variable.CoefficientNames()
                    : variable.CoefficientNames(coding[j][k] == FactorCoding.Contrasts ? [.. all.Skip(1)] : all));
            }

            names.AddRange(Interaction(parts));
        }

        return names;
    }

    /// <summary>
    /// Names of an interaction's columns from each variable's own column names, R's way: joined by
    /// <c>:</c>, the first variable varying fastest (<c>a1:b1, a2:b1, a1:b2, a2:b2</c>).
    /// </summary>
    public static IReadOnlyList<string> Interaction(IReadOnlyList<IReadOnlyList<string>> perVariable)
    {
        ArgumentNullException.ThrowIfNull(perVariable);
        List<string> result = [""];
        bool first = true;
        foreach (var names in perVariable)
        {
            var next = new List<string>(result.Count * names.Count);
            foreach (var later in names)
            {
                foreach (var earlier in result)
                {
                    next.Add(first ? later : earlier + ":" + later);
                }
            }

            result = next;
            first = false;
        }

        return result;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Response.Label + " ~ " + (TermLabels.Count == 0 ? (HasIntercept ? "1" : "0") : string.Join(" + ", TermLabels) + (HasIntercept ? "" : " - 1"));
}
