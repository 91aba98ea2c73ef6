using LeastSquares.Numerics;
using LeastSquares.Terms.Formulas;
using FormulaTermSpec = LeastSquares.Terms.Formulas.Term;

namespace LeastSquares.Terms;

/// <summary>
/// A numeric term of an R formula that computes its features from its columns: a transform
/// (<c>log(hp)</c>, <c>I(wt^2)</c>), the raw powers of <c>poly(x, d, raw = TRUE)</c>, or an
/// interaction of such variables (<c>wt:hp</c>, <c>log(hp):wt</c>), whose features are the products
/// of its variables' features, the first variable varying fastest, as R's <c>model.matrix</c> orders
/// them. Its working features are its user features (no centre); the accumulator that writes them
/// shifts each feature column by its first values, as it does plain columns.
/// </summary>
public sealed class FormulaTerm : Term
{
    private readonly CompiledExpression[] _expressions;
    private readonly int[] _widths;
    private readonly int _maxWidth;

    /// <summary>The term <paramref name="term"/> of a formula, every variable of which is numeric.</summary>
    /// <exception cref="ArgumentException">A categorical variable or an orthogonal polynomial.</exception>
    public FormulaTerm(FormulaTermSpec term)
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

        foreach (var v in term.Variables)
        {
            if (v.Kind == VariableKind.Factor || (v.Kind == VariableKind.Polynomial && !v.Raw))
            {
                throw new ArgumentException($"{v.Label} is not a numeric variable with its own columns.", nameof(term));
            }
        }

        Label = term.Label;
        Columns = columns;
        _expressions = [.. term.Variables.Select(v => v.Compile(name => columns.IndexOf(name)))];
        _widths = [.. term.Variables.Select(v => v.Kind == VariableKind.Polynomial ? v.Degree : 1)];
        _maxWidth = _widths.Max();
        var names = new List<string> { "" };
        foreach (var v in term.Variables)
        {
            var own = v.CoefficientNames();
            // The first variable varies fastest: names of the variables so far, then this one's.
            names = [.. own.SelectMany(o => names.Select(n => n.Length == 0 ? o : n + ":" + o))];
        }

        Names = names;
    }

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

    /// <summary>The term's features of one row (its column values, in the order of <see cref="Columns"/>).</summary>
    public void Features(ReadOnlySpan<double> values, Span<double> features)
    {
        int filled = 1;
        features[0] = 1;
        Span<double> powers = stackalloc double[_maxWidth];
        for (int v = 0; v < _expressions.Length; v++)
        {
            double x = _expressions[v].Evaluate(values);
            int width = _widths[v];
            // Block k (power k + 1 of this variable) is the features so far times x^(k+1); fill from the top.
            powers[0] = x;
            for (int k = 1; k < width; k++)
            {
                powers[k] = powers[k - 1] * x;
            }

            for (int k = width - 1; k >= 0; k--)
            {
                double power = powers[k];
                for (int i = 0; i < filled; i++)
                {
                    features[k * filled + i] = features[i] * power;
                }
            }

            filled *= width;
        }
    }
}
