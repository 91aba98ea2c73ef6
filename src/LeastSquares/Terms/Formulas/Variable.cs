using System.Globalization;

namespace LeastSquares.Terms.Formulas;

/// <summary>What a formula variable is, as far as the text tells.</summary>
public enum VariableKind
{
    /// <summary>A bare column name (<c>wt</c>, <c>`Sepal Width`</c>): numeric or categorical depending on the data.</summary>
    Column,

    /// <summary>A numeric transform: <c>log(hp)</c>, <c>I(wt^2)</c>, <c>sqrt(x)</c>, or an arithmetic response such as <c>y/1000</c>.</summary>
    Numeric,

    /// <summary><c>poly(x, d)</c> (orthogonal) or <c>poly(x, d, raw = TRUE)</c>: <see cref="Variable.Degree"/> columns.</summary>
    Polynomial,

    /// <summary><c>factor(x)</c>: categorical whatever the cells look like.</summary>
    Factor,
}

/// <summary>
/// One variable of a formula (R's "variable" of <c>terms()</c>): an expression of the data such as
/// <c>wt</c>, <c>log(hp)</c>, <c>I(wt^2)</c>, <c>poly(wt, 3)</c> or <c>factor(cyl)</c>. Terms are sets of
/// variables. Two spellings with the same R deparse (<c>log( hp )</c>, <c>log(hp)</c>) are one variable.
/// </summary>
public sealed class Variable
{
    private readonly string _formula;

    internal Variable(Node expression, string formula, int index)
    {
        _formula = formula;
        Node = expression;
        Index = index;
        Label = Deparser.Deparse(expression);
        switch (expression)
        {
            case NameNode name:
                Kind = VariableKind.Column;
                Column = name.Name;
                Argument = expression;
                break;
            case CallNode { Function: "poly" } call:
                Kind = VariableKind.Polynomial;
                Argument = PolyArgument(call);
                Degree = PolyDegree(call);
                Raw = PolyRaw(call);
                break;
            case CallNode { Function: "factor" or "as.factor" } call:
                Kind = VariableKind.Factor;
                Argument = call.Arguments[0].Value;
                Column = (Argument as NameNode)?.Name;
                break;
            default:
                Kind = VariableKind.Numeric;
                Argument = expression;
                break;
        }

        Columns = NodeWalk.Names(Argument).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>What kind of variable this is.</summary>
    public VariableKind Kind { get; }

    /// <summary>R's label: the expression deparsed (<c>log(hp)</c>, <c>I(x + 1)</c>, <c>poly(wt, 3)</c>, <c>`Sepal Width`</c>).</summary>
    public string Label { get; }

    /// <summary>
    /// The column, for a bare name (<see cref="VariableKind.Column"/>) or <c>factor(name)</c>; null for an expression.
    /// This is the column's own name, without backquotes.
    /// </summary>
    public string? Column { get; }

    /// <summary>The data columns the variable reads, in order of first appearance.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The degree of <c>poly()</c>; 1 for every other kind.</summary>
    public int Degree { get; } = 1;

    /// <summary>True for <c>poly(x, d, raw = TRUE)</c> (plain powers); false for the orthogonal default.</summary>
    public bool Raw { get; }

    /// <summary>Position in R's variable list (0 is the response); the order in which a term's variables are written.</summary>
    public int Index { get; }

    internal Node Node { get; }

    /// <summary>The numeric expression evaluated per row: the whole variable, or the argument of <c>poly()</c>/<c>factor()</c>.</summary>
    internal Node Argument { get; }

    /// <summary>
    /// Compiles the numeric expression (for <c>poly(x, d)</c> and <c>factor(x)</c>, the expression <c>x</c>).
    /// <paramref name="columnIndex"/> maps a column name to its index in the rows passed to
    /// <see cref="CompiledExpression.Evaluate"/>; a negative index is a <see cref="FormulaException"/>
    /// ("no column named …") at the name's position.
    /// </summary>
    public CompiledExpression Compile(Func<string, int> columnIndex)
    {
        ArgumentNullException.ThrowIfNull(columnIndex);
        return CompiledExpression.Compile(Argument, _formula, columnIndex);
    }

    /// <summary>Compiles over a row that holds exactly <see cref="Columns"/>, in that order.</summary>
    public CompiledExpression Compile()
    {
        var columns = Columns;
        return Compile(name => IndexOf(columns, name));
    }

    /// <summary>
    /// R's coefficient names for this variable's own columns: the label for a numeric variable;
    /// <c>poly(wt, 3)1</c> … <c>poly(wt, 3)3</c> for a polynomial; the label followed by each level for a
    /// categorical variable (pass the levels that get a column, e.g. all but the reference).
    /// </summary>
    public IReadOnlyList<string> CoefficientNames(IReadOnlyList<string>? levels = null)
    {
        if (levels is not null)
        {
            return [.. levels.Select(level => Label + level)];
        }

        if (Kind == VariableKind.Factor)
        {
            throw new ArgumentException($"{Label} is categorical: its coefficient names need the levels.", nameof(levels));
        }

        if (Kind == VariableKind.Polynomial)
        {
            return [.. Enumerable.Range(1, Degree).Select(i => Label + i.ToString(CultureInfo.InvariantCulture))];
        }

        return [Label];
    }

    /// <inheritdoc/>
    public override string ToString() => Label;

    private static int IndexOf(IReadOnlyList<string> list, string name)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    internal static Node PolyArgument(CallNode call) =>
        call.Arguments.First(a => a.Name is null or "x").Value;

    internal static Argument? PolyDegreeArgument(CallNode call)
    {
        var named = call.Arguments.FirstOrDefault(a => a.Name == "degree");
        if (named is not null)
        {
            return named;
        }

        var positional = call.Arguments.Where(a => a.Name is null).ToList();
        bool xNamed = call.Arguments.Any(a => a.Name == "x");
        int at = xNamed ? 0 : 1;
        return positional.Count > at ? positional[at] : null;
    }

    private static int PolyDegree(CallNode call) => (int)((NumberNode)PolyDegreeArgument(call)!.Value).Value;

    private static bool PolyRaw(CallNode call) =>
        call.Arguments.FirstOrDefault(a => a.Name == "raw") is { Value: NameNode { Name: "TRUE" or "T" } };
}
