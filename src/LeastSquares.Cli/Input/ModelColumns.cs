using System.Globalization;
using LeastSquares.Terms;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Cli.Input;

/// <summary>A model resolved against a file's header: its terms and the column of each row value.</summary>
internal sealed record ModelColumns(ModelTerms Terms, int[] Columns)
{
    /// <summary>Resolves <paramref name="spec"/> against the header of <paramref name="source"/>.</summary>
    public static ModelColumns Resolve(CsvSource source, ModelSpec spec)
    {
        var header = source.Header;
        if (spec.Formula is { } formula)
        {
            return ResolveFormula(source, formula, spec);
        }

        int target = spec.Target is null ? header.Count - 1 : Lookup(source, spec.Target, "--target");
        RequireName(source, target);
        var features = Features(source, spec, target);
        Lookup(source, header[target], "--target");
        if (spec.Degree > 1 && features.Count != 1)
        {
            throw new UsageException(CliMessages.DegreeNeedsOnePredictor(features.Count));
        }

        if (features.Any(source.IsText))
        {
            // A text column is categorical: the model is that of the formula naming the columns.
            if (spec.Degree > 1)
            {
                throw new UsageException(CliMessages.DegreeOfCategorical(header[features.First(source.IsText)]));
            }

            var text = FormulaName(header[target]) + " ~ " + string.Join(" + ", features.Select(i => FormulaName(header[i]))) + (spec.Intercept ? "" : " - 1");
            var formulaTerms = ModelSpec.FormulaTerms(text, null, null, name => source.IsText(IndexOfName(header, name)));
            return new ModelColumns(formulaTerms, [.. formulaTerms.Predictors.Select(name => IndexOfName(header, name)), target]);
        }

        var terms = new ModelTerms(features.Select(i => header[i]).ToArray(), header[target], spec.Degree, spec.Intercept);
        return new ModelColumns(terms, [.. features, target]);
    }

    /// <summary>
    /// The predictor columns: those --features names (globs and ranges expanded, leaving out the
    /// target and columns already listed), or every column but the target, less those --exclude names.
    /// </summary>
    private static List<int> Features(CsvSource source, ModelSpec spec, int target)
    {
        var header = source.Header;
        var excluded = Excluded(source, spec);
        List<int> features;
        if (spec.Features is null)
        {
            features = Enumerable.Range(0, header.Count).Where(i => i != target && !excluded.Contains(i) && !(i == 0 && HasRowNames(header))).ToList();
            if (features.Count == 0)
            {
                throw new InputException(excluded.Count > 0 ? CliMessages.NothingLeftAfterExclude(source.DisplayName) : CliMessages.NoFeatures(source.DisplayName));
            }

            foreach (var i in features)
            {
                RequireName(source, i);
            }

            // Columns used by default must be unambiguous too.
            foreach (var i in features)
            {
                Lookup(source, header[i], "--features");
            }

            return features;
        }

        features = [];
        foreach (var entry in ColumnSelection.Expand(spec.Features, header, source.DisplayName, "--features", s => Lookup(source, s, "--features")))
        {
            foreach (int i in entry.Columns)
            {
                if (entry.IsPattern && (i == target || features.Contains(i)))
                {
                    continue; // a glob or range passes over the target and columns already chosen
                }

                if (i == target)
                {
                    throw new UsageException(CliMessages.TargetIsFeature(header[i]));
                }

                if (features.Contains(i))
                {
                    throw new UsageException(CliMessages.DuplicateFeature(header[i]));
                }

                if (!excluded.Contains(i))
                {
                    RequireName(source, i);
                    features.Add(i);
                }
            }
        }

        return features.Count > 0 ? features : throw new UsageException(CliMessages.NothingLeftAfterExclude(source.DisplayName));
    }

    /// <summary>
    /// True when the first column holds row names: its header field is empty, as R's <c>write.csv</c>
    /// writes it. Such a column is never a predictor or a default target.
    /// </summary>
    public static bool HasRowNames(IReadOnlyList<string> header) => header.Count > 1 && header[0].Length == 0;

    /// <summary>Resolves a formula against the header: '.' is every column but the response and a row-name column.</summary>
    private static ModelColumns ResolveFormula(CsvSource source, string formula, ModelSpec spec)
    {
        var header = source.Header;
        var named = HasRowNames(header) ? header.Skip(1).ToArray() : header.ToArray();
        var terms = ModelSpec.FormulaTerms(formula, named, spec.Exclude is null ? null : ExcludedNames(source, spec),
            name => IndexOfName(header, name) is int i && i >= 0 && source.IsText(i));
        var columns = new List<int>();
        foreach (var name in terms.Predictors.Append(terms.Target))
        {
            int i = IndexOfName(header, name);
            if (i == Twice)
            {
                throw new InputException(CliMessages.DuplicateHeader(source.DisplayName, name));
            }

            columns.Add(i);
        }

        return new ModelColumns(terms, [.. columns]);
    }

    /// <summary>
    /// The --by columns (same forms as --features: names, numbers, globs, ranges), found in the
    /// header, each once, in the order given.
    /// </summary>
    public static GroupColumns ResolveBy(CsvSource source, IReadOnlyList<string> by)
    {
        var columns = ColumnSelection.Columns(by, source.Header, source.DisplayName, "--by", s => Lookup(source, s, "--by")).Distinct().ToArray();
        foreach (var c in columns)
        {
            RequireName(source, c);
        }

        return new GroupColumns([.. columns.Select(c => source.Header[c])], columns, [.. columns.Select(c => !source.IsText(c))]);
    }

    /// <summary>
    /// The model of <paramref name="spec"/> fitted per group of <paramref name="by"/>: the group
    /// columns are left out of the default predictors (and a formula's '.'), and may not be in the model.
    /// </summary>
    public static ModelColumns ResolveGrouped(CsvSource source, ModelSpec spec, GroupColumns by)
    {
        if (spec.Features is null)
        {
            spec = spec with { Exclude = [.. spec.Exclude ?? [], .. by.Names] };
        }

        var columns = Resolve(source, spec);
        foreach (int c in columns.Columns)
        {
            if (by.Columns.Contains(c))
            {
                throw new UsageException(CliMessages.ByColumnInModel(source.Header[c]));
            }
        }

        return columns;
    }

    /// <summary>A column name as a formula writes it: backquoted unless it is a plain R name.</summary>
    internal static string FormulaName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || (name[0] == '.' && !(name.Length > 1 && char.IsAsciiDigit(name[1]))))
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_') && name is not ("TRUE" or "FALSE" or "NA" or "NULL" or "Inf" or "NaN")
            ? name
            : "`" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";

    /// <summary>The 0-based columns --exclude names (none without it).</summary>
    private static HashSet<int> Excluded(CsvSource source, ModelSpec spec) =>
        spec.Exclude is null ? [] : [.. ColumnSelection.Columns(spec.Exclude, source.Header, source.DisplayName, "--exclude", s => Lookup(source, s, "--exclude"))];

    /// <summary>
    /// The header names --exclude leaves out, for a formula's '.' (every column but the response
    /// and these); empty without --exclude.
    /// </summary>
    public static IReadOnlySet<string> ExcludedNames(CsvSource source, ModelSpec spec) =>
        Excluded(source, spec).Select(i => source.Header[i]).ToHashSet(StringComparer.Ordinal);

    /// <summary>What <see cref="IndexOfName"/> gives for a name that heads two columns.</summary>
    private const int Twice = -2;

    /// <summary>
    /// The one column lookup: the 0-based column headed exactly <paramref name="name"/>; -1 when
    /// none is, <see cref="Twice"/> when more than one is.
    /// </summary>
    private static int IndexOfName(IReadOnlyList<string> header, string name)
    {
        if (header.Count > WideHeader)
        {
            // A wide header is looked up once per column: by a table made once, not a scan each time.
            return NameTables.GetValue(header, NameTable).GetValueOrDefault(name, -1);
        }

        int found = -1;
        for (int i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.Ordinal))
            {
                if (found >= 0)
                {
                    return Twice;
                }

                found = i;
            }
        }

        return found;
    }

    /// <summary>Headers wider than this are looked up through a table (<see cref="NameTables"/>).</summary>
    private const int WideHeader = 64;

    /// <summary>For each wide header, each name's column (or <see cref="Twice"/>); the header lists are never changed in place.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<string>, Dictionary<string, int>> NameTables = [];

    private static Dictionary<string, int> NameTable(IReadOnlyList<string> header)
    {
        var table = new Dictionary<string, int>(header.Count, StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++)
        {
            table[header[i]] = table.ContainsKey(header[i]) ? Twice : i;
        }

        return table;
    }

    /// <summary>The 0-based index of a column that <paramref name="option"/> (--weights, --cluster) names, by header name or 1-based number.</summary>
    public static int Column(CsvSource source, string spec, string option) => Lookup(source, spec, option);

    /// <summary>The 0-based index of a column given by header name or by 1-based number, as <paramref name="option"/> names it.</summary>
    private static int Lookup(CsvSource source, string spec, string option)
    {
        var header = source.Header;
        int found = IndexOfName(header, spec);
        if (found == Twice)
        {
            throw new InputException(CliMessages.DuplicateHeader(source.DisplayName, spec));
        }

        if (found >= 0)
        {
            return found;
        }

        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            if (number < 1 || number > header.Count)
            {
                throw new UsageException(CliMessages.ColumnIndexOutOfRange(source.DisplayName, option, number, header.Count));
            }

            return number - 1;
        }

        throw new UsageException(CliMessages.UnknownColumn(source.DisplayName, option, spec, header));
    }

    /// <summary>
    /// Refuses a model column whose header name is empty (<c>x,y,</c>: a separator at the end of the
    /// header line); it would otherwise become the default target under the name ''.
    /// </summary>
    private static void RequireName(CsvSource source, int column)
    {
        if (string.IsNullOrWhiteSpace(source.Header[column]))
        {
            throw new InputException(CliMessages.EmptyHeaderName(source.DisplayName, column + 1, source.Header));
        }
    }

    /// <summary>
    /// The columns of a saved model's predictors (and, when <paramref name="withTarget"/>, its target
    /// last), found by exact header name in any order, as <c>lsq predict</c> and <c>lsq plot --model</c> need them.
    /// </summary>
    /// <exception cref="InputException">A column is missing or named twice; the message names the model file <paramref name="modelPath"/>.</exception>
    public static ModelColumns Find(CsvSource source, ModelTerms terms, string modelPath, bool hasHeader, bool withTarget)
    {
        var names = withTarget ? [.. terms.Predictors, terms.Target] : terms.Predictors.ToArray();
        var columns = new int[names.Length];
        for (int j = 0; j < columns.Length; j++)
        {
            var name = names[j];
            var role = j < terms.Predictors.Count ? "a predictor" : "its target";
            int found = IndexOfName(source.Header, name);
            if (found == Twice)
            {
                throw new InputException(CliMessages.AmbiguousModelColumn(source.DisplayName, name, role));
            }

            columns[j] = found >= 0
                ? found
                : throw new InputException(CliMessages.MissingModelColumn(source.DisplayName, modelPath, name, role, source.Header, hasHeader));
        }

        return new ModelColumns(terms, columns);
    }

    /// <summary>
    /// For a saved model with categorical columns, the levels of each predictor value (null for a
    /// numeric one), fixed: a level the model was not fitted with is an input error. Null when the
    /// model has no categorical column.
    /// </summary>
    public static IReadOnlyList<FactorLevels?>? KnownLevels(ModelTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.HasFactors
            ? [.. terms.Predictors.Select(p => terms.Factors.TryGetValue(p, out var f) ? new FactorLevels(f.Column, f.Numeric, f.Levels, isFixed: true) : null)]
            : null;
    }

    /// <summary>
    /// The rows <paramref name="source"/> has left, possibly none, folded into the accumulator
    /// <paramref name="method"/> needs (the model's values only: columns listed after them reach <paramref name="onRow"/> alone). <paramref name="stop"/>, asked now and then, ends the reading
    /// early (the result is then incomplete). The rows go on from those already in
    /// <paramref name="into"/> when it is given.
    /// </summary>
    internal MomentAccumulator ReadRows(CsvSource source, FitMethod method, Action<double[]>? onRow, Func<bool>? stop, CancellationToken cancellation,
        MomentAccumulator? into = null)
    {
        var accumulator = into ?? RowState.Accumulator(Terms, method);
        var values = new double[Columns.Length];
        int width = Terms.RowWidth; // columns beyond the model's (a fold column) are for onRow only
        var levels = accumulator.RowLevels is { } known && Columns.Length > known.Count ? [.. known, .. new FactorLevels?[Columns.Length - known.Count]] : accumulator.RowLevels;
        int predictors = Terms.Predictors.Count;
        RowStatus status;
        long rows = 0;
        while ((status = source.ReadRow(Columns, values, levels, predictors)) != RowStatus.End)
        {
            if (status == RowStatus.Row)
            {
                accumulator.Add(values.AsSpan(0, width));
                onRow?.Invoke(values);
            }

            if ((++rows & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                if (stop is not null && stop())
                {
                    break;
                }
            }
        }

        return accumulator;
    }

    /// <summary>Throws the input error for an input without a single usable row.</summary>
    internal static void RequireRows(long rows, long skipped, string displayName)
    {
        if (rows == 0)
        {
            throw new InputException(skipped > 0
                ? $"{displayName}: every one of its {skipped} data rows has an empty cell in a model column, so no row is left to fit (--missing skip)."
                : CliMessages.NoRows(displayName));
        }
    }
}
