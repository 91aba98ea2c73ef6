using System.Runtime.CompilerServices;
using LeastSquares.Numerics;
using LeastSquares.Terms.Formulas;
using FormulaTermSpec = LeastSquares.Terms.Formulas.Term;

namespace LeastSquares.Terms;

/// <summary>
/// A term of an R formula that computes its features from its columns: a transform
/// (<c>log(hp)</c>, <c>I(wt^2)</c>), the raw powers of <c>poly(x, d, raw = TRUE)</c>, the indicators of
/// some levels of a categorical variable (<c>Species</c>, <c>factor(cyl)</c>: the row holds the level's
/// code), or an interaction of such variables (<c>wt:hp</c>, <c>Petal.Length:Species</c>), whose features are the products
/// of its variables' features, the first variable varying fastest, as R's <c>model.matrix</c> orders
/// them. Its working features are its user features (no centre); the accumulator that writes them
/// shifts each feature column by its first values, as it does plain columns.
/// </summary>
public sealed class FormulaTerm : Term
{
    private readonly CompiledExpression[] _expressions;
    private readonly int[] _widths;
    private readonly int _maxWidth;
    private readonly int[]?[] _levelColumns; // per variable: for a categorical one, the level code of each of its columns
    private readonly string[] _categoricalColumns; // the data column of each categorical variable, in order
    private readonly int _numericWidth; // the product of the numeric variables' widths

    /// <summary>The term <paramref name="term"/> of a formula, every variable of which is numeric.</summary>
    /// <exception cref="ArgumentException">A categorical variable or an orthogonal polynomial.</exception>
    public FormulaTerm(FormulaTermSpec term)
        : this(term, null)
    {
    }

    /// <summary>
    /// The term <paramref name="term"/> of a formula whose categorical variables are given by
    /// <paramref name="factors"/>: for variable k of the term, null when it is numeric, else its
    /// column's levels and the codes of the levels that get a column (all of them, or all but the
    /// reference), in order.
    /// </summary>
    /// <exception cref="ArgumentException">A categorical variable without its levels, or an orthogonal polynomial.</exception>
    public FormulaTerm(FormulaTermSpec term, IReadOnlyList<(IReadOnlyList<string> Levels, int[] Columns)?>? factors)
    {
        ArgumentNullException.ThrowIfNull(term);
        var columns = new List<string>();
        foreach (var c in term.Variables.SelectMany(v => v.Columns))
        {
            if (!columns.Contains(c))
            {
                columns.Add(c);
            }
        }

        _levelColumns = new int[]?[term.Variables.Count];
        var keys = new List<string> { "" };
        var names = new List<string> { "" };
        for (int k = 0; k < term.Variables.Count; k++)
        {
            var v = term.Variables[k];
            var factor = factors is null ? null : factors[k];
            if ((v.Kind == VariableKind.Factor && factor is null) || (v.Kind == VariableKind.Polynomial && !v.Raw))
            {
                throw new ArgumentException($"{v.Label} is not a numeric variable with its own columns.", nameof(term));
            }

            IReadOnlyList<string> own, ownKeys;
            if (factor is { } f)
            {
                _levelColumns[k] = f.Columns;
                own = v.CoefficientNames([.. f.Columns.Select(c => f.Levels[c])]);
                ownKeys = [.. f.Columns.Select(c => v.Label + LevelSeparator + f.Levels[c])];
            }
            else
            {
                own = v.CoefficientNames();
                ownKeys = own;
            }

            // The first variable varies fastest: names of the variables so far, then this one's.
            names = [.. own.SelectMany(o => names.Select(n => n.Length == 0 ? o : n + ":" + o))];
            keys = [.. ownKeys.SelectMany(o => keys.Select(n => n.Length == 0 ? o : n + ":" + o))];
        }

        Label = term.Label;
        Columns = columns;
        _expressions = [.. term.Variables.Select(v => v.Compile(name => columns.IndexOf(name)))];
        _widths = [.. term.Variables.Select((v, k) => _levelColumns[k]?.Length ?? (v.Kind == VariableKind.Polynomial ? v.Degree : 1))];
        _maxWidth = Math.Max(1, _widths.Max());
        _categoricalColumns = [.. term.Variables.Where((_, k) => _levelColumns[k] is not null).Select(v => v.Column ?? v.Label)];
        _numericWidth = _widths.Where((_, k) => _levelColumns[k] is null).Aggregate(1, (a, b) => a * b);
        Names = names;
        Keys = keys;
    }

    /// <summary>What stands between a categorical variable's label and a level in <see cref="Keys"/>.</summary>
    private const char LevelSeparator = '\u001f';

    /// <summary>
    /// One key per feature that tells features apart whatever the order of the levels: the names,
    /// with a separator no header holds between a categorical variable and its level.
    /// </summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>R's term label (<c>log(hp)</c>, <c>wt:hp</c>).</summary>
    public string Label { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Names { get; }

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, double centre, Span<double> features) => Features(values, features);

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, ReadOnlySpan<double> shift, Span<DoubleDouble> features)
    {
        Span<double> plain = stackalloc double[features.Length];
        Features(values, plain);
        for (int j = 0; j < plain.Length; j++)
        {
            features[j] = plain[j];
        }
    }

    /// <inheritdoc/>
    public override void AddPrediction(ReadOnlySpan<double> values, ReadOnlySpan<double> coefficients, ref DoubleDouble sum)
    {
        Span<double> plain = stackalloc double[FeatureCount];
        Features(values, plain);
        for (int j = 0; j < plain.Length; j++)
        {
            sum += DoubleDouble.TwoProduct(coefficients[j], plain[j]);
        }
    }

    /// <inheritdoc/>
    public override bool SameAs(Term other) => other is FormulaTerm f && f.Label == Label;

    /// <summary>
    /// The data columns of the term's categorical variables, in order; empty for a numeric term. A
    /// row of a term with some is 0 but at the block of its levels (see <see cref="SparseParts"/>).
    /// </summary>
    internal IReadOnlyList<string> CategoricalColumns => _categoricalColumns;

    /// <summary>Features at the block of one row's levels: the product of the numeric variables' widths (1 when there are none).</summary>
    internal int NumericWidth => _numericWidth;

    /// <summary>
    /// A row's features in sparse form, for a term with categorical variables: the level code of
    /// each categorical variable (in order, into <paramref name="codes"/>) and the products of the
    /// numeric variables' features (the first variable varying fastest, <see cref="NumericWidth"/>
    /// of them, into <paramref name="numeric"/>). Feature <see cref="FeatureAt"/>(codes, i) is
    /// numeric[i], computed by the same products as <see cref="Features"/>; every other feature is 0.
    /// </summary>
    internal void SparseParts(ReadOnlySpan<double> values, Span<int> codes, Span<double> numeric)
    {
        int filled = 1;
        int c = 0;
        numeric[0] = 1;
        Span<double> powers = stackalloc double[_maxWidth];
        for (int v = 0; v < _expressions.Length; v++)
        {
            double x = _expressions[v].Evaluate(values);
            if (_levelColumns[v] is not null)
            {
                codes[c++] = (int)x;
                continue;
            }

            // As in Features: block k is the products so far times x^(k+1).
            int width = _widths[v];
            Powers(x, powers[..width]);
            MultiplyOut(numeric, filled, powers[..width]);
            filled *= width;
        }
    }

    /// <summary>
    /// The index among the term's features of numeric feature <paramref name="numericIndex"/> at the
    /// block of the levels <paramref name="codes"/> (see <see cref="SparseParts"/>); −1 when some
    /// level has no column (a reference level left out, or a level the term does not know).
    /// </summary>
    internal int FeatureAt(ReadOnlySpan<int> codes, int numericIndex)
    {
        int index = 0, stride = 1, c = 0, rest = numericIndex;
        for (int v = 0; v < _expressions.Length; v++)
        {
            int width = _widths[v], column;
            if (_levelColumns[v] is { } levels)
            {
                column = Array.IndexOf(levels, codes[c++]);
                if (column < 0)
                {
                    return -1;
                }
            }
            else
            {
                column = rest % width;
                rest /= width;
            }

            index += column * stride;
            stride *= width;
        }

        return index;
    }

    /// <summary>The term's features of one row (its column values, in the order of <see cref="Columns"/>).</summary>
    public void Features(ReadOnlySpan<double> values, Span<double> features)
    {
        if (features.IsEmpty)
        {
            return; // a categorical variable without a level that gets a column
        }

        int filled = 1;
        features[0] = 1;
        Span<double> powers = stackalloc double[_maxWidth];
        for (int v = 0; v < _expressions.Length; v++)
        {
            double x = _expressions[v].Evaluate(values);
            int width = _widths[v];
            if (_levelColumns[v] is { } levels)
            {
                // Block k is the features so far times the indicator of the level of column k.
                for (int k = 0; k < width; k++)
                {
                    powers[k] = x == levels[k] ? 1 : 0;
                }
            }
            else
            {
                // Block k (power k + 1 of this variable) is the features so far times x^(k+1).
                Powers(x, powers[..width]);
            }

            MultiplyOut(features, filled, powers[..width]);
            filled *= width;
        }
    }

    /// <summary>x, x², … into <paramref name="powers"/>, each power the one before times x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Powers(double x, Span<double> powers)
    {
        if (powers.IsEmpty)
        {
            return;
        }

        powers[0] = x;
        for (int k = 1; k < powers.Length; k++)
        {
            powers[k] = powers[k - 1] * x;
        }
    }

    /// <summary>
    /// Block k of <paramref name="products"/> (its <paramref name="filled"/> products so far, each
    /// times factor k) for every factor; filled from the top, so that the products so far are
    /// read before they are overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyOut(Span<double> products, int filled, ReadOnlySpan<double> factors)
    {
        for (int k = factors.Length - 1; k >= 0; k--)
        {
            double factor = factors[k];
            for (int i = 0; i < filled; i++)
            {
                products[(k * filled) + i] = products[i] * factor;
            }
        }
    }
}
