using System.Globalization;
using LeastSquares.Terms;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Cli.Input;

/// <summary>The model as the user stated it on the command line, before the file is looked at.</summary>
/// <remarks><see cref="Exclude"/> (--exclude) leaves columns out of the default predictors, or out of those <see cref="Features"/> names.</remarks>
internal sealed record ModelSpec(string? Target, IReadOnlyList<string>? Features, int Degree, bool Intercept, IReadOnlyList<string>? Exclude = null)
{
    /// <summary>The model as an R formula, or null when the column options state it.</summary>
    public string? Formula { get; init; }

    /// <summary>Checks a formula's syntax before any input is read: a fault is a usage error showing the formula with a caret under it.</summary>
    public static FormulaSyntax CheckFormula(string formula)
    {
        try
        {
            return FormulaParser.ParseSyntax(formula);
        }
        catch (FormulaException e)
        {
            throw new UsageException(CliMessages.BadFormula(e));
        }
    }

    /// <summary>The terms of a formula over the columns <paramref name="columns"/> (null: a formula without '.' needs none).</summary>
    /// <param name="formula">The formula.</param>
    /// <param name="columns">The header's names, for '.'.</param>
    /// <param name="excludeFromDot">Names '.' leaves out.</param>
    /// <param name="isText">Whether a column's cells are text (a bare name of such a column is categorical); null: none is.</param>
    /// <param name="levels">
    /// The levels of the categorical columns, for a saved model (R's order, coded); null for a model
    /// about to be read, whose levels are found while reading (every level gets a column).
    /// </param>
    /// <param name="coded">With <paramref name="levels"/>: false for a partial's state, where every level has a column, in the order given.</param>
    public static ModelTerms FormulaTerms(string formula, IReadOnlyList<string>? columns, IEnumerable<string>? excludeFromDot,
        Func<string, bool>? isText = null, IReadOnlyDictionary<string, FactorColumn>? levels = null, bool coded = true)
    {
        Formula parsed;
        try
        {
            parsed = FormulaParser.Parse(formula, columns, excludeFromDot);
        }
        catch (FormulaException e)
        {
            throw new UsageException(CliMessages.BadFormula(e, columns));
        }

        if (parsed.Response.Kind != VariableKind.Column && (parsed.Response.Kind != VariableKind.Numeric || parsed.Response.Columns.Count != 1))
        {
            throw new UsageException(CliMessages.FormulaNotSupported($"a transformed response ({parsed.Response.Label})"));
        }

        if (parsed.Terms.Count == 0 && !parsed.HasIntercept)
        {
            throw new UsageException(CliMessages.EmptyModel(formula, parsed.Response.Label));
        }

        foreach (var t in parsed.Terms.Where(t => t.Order > 1))
        {
            if (t.Variables.FirstOrDefault(v => v.Kind == VariableKind.Polynomial && !v.Raw) is { } poly)
            {
                throw new UsageException(CliMessages.FormulaNotSupported($"an orthogonal polynomial in an interaction ({t.Label}; write {poly.Label[..^1]}, raw = TRUE) there, or fit poly() as a main effect)"));
            }
        }

        isText ??= _ => false;
        var factors = new Dictionary<string, FactorColumn>(StringComparer.Ordinal);
        foreach (var v in parsed.Terms.SelectMany(t => t.Variables))
        {
            if (v.Kind == VariableKind.Factor)
            {
                var column = v.Column ?? throw new UsageException(CliMessages.FormulaNotSupported($"factor() of an expression ({v.Label}; factor() takes a column name)"));
                factors[column] = new FactorColumn(column, numeric: !isText(column), []);
            }
            else if (v.Kind == VariableKind.Column && isText(v.Column!))
            {
                factors[v.Column!] = new FactorColumn(v.Column!, numeric: false, []);
            }
        }

        foreach (var v in parsed.Terms.SelectMany(t => t.Variables).Append(parsed.Response))
        {
            bool categorical = v.Kind == VariableKind.Factor || (v.Kind == VariableKind.Column && factors.ContainsKey(v.Column!));
            if (!categorical && v.Columns.FirstOrDefault(c => factors.ContainsKey(c) || isText(c)) is { } both)
            {
                throw new UsageException(CliMessages.CategoricalAsNumber(both, v.Label, isText(both)));
            }
        }

        if (levels is not null)
        {
            foreach (var column in factors.Keys)
            {
                factors[column] = levels.TryGetValue(column, out var known) ? known : throw new ArgumentException($"The levels of {column} are not given.", nameof(levels));
            }
        }

        return ModelTerms.FromFormula(parsed, factors, coded: levels is not null && coded);
    }

    /// <summary>
    /// The model's terms from the options alone, for an input without even a header line; null
    /// when they depend on the header (a default column list, or a column given by number when
    /// the input should have had a header).
    /// </summary>
    public ModelTerms? TermsWithoutHeader(bool hasHeader)
    {
        if (Formula is not null)
        {
            return hasHeader && !CheckFormula(Formula).UsesDot ? FormulaTerms(Formula, null, null) : null;
        }

        if (Target is null || Features is null || Exclude is not null || Features.Any(ColumnSelection.IsPattern))
        {
            return null;
        }

        string? Name(string spec)
        {
            bool isNumber = int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int n);
            if (hasHeader)
            {
                return isNumber ? null : spec;
            }

            return isNumber && n >= 1 ? "V" + n.ToString(CultureInfo.InvariantCulture)
                : spec.Length > 1 && spec[0] == 'V' && int.TryParse(spec.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 ? spec
                : null;
        }

        var target = Name(Target);
        var features = Features.Select(Name).ToArray();
        if (target is null || features.Any(f => f is null))
        {
            return null;
        }

        if (features.Contains(target))
        {
            throw new UsageException(CliMessages.TargetIsFeature(target));
        }

        if (features.Distinct().Count() != features.Length)
        {
            throw new UsageException(CliMessages.DuplicateFeature(features.GroupBy(f => f).First(g => g.Count() > 1).Key!));
        }

        if (Degree > 1 && features.Length != 1)
        {
            throw new UsageException(CliMessages.DegreeNeedsOnePredictor(features.Length));
        }

        return new ModelTerms(features!, target, Degree, Intercept);
    }
}
