namespace LeastSquares.Terms.Formulas;

/// <summary>
/// Reads R model formulas (<c>mpg ~ wt * hp + log(disp)</c>, <c>Sepal.Length ~ . - Species</c>) into a
/// <see cref="Formula"/>. Pure: no I/O; every fault is a <see cref="FormulaException"/> with its position.
/// </summary>
public static class FormulaParser
{
    /// <summary>The functions a formula may call, in the order error messages list them.</summary>
    public static IReadOnlyList<string> Functions { get; } =
        ["I", "log", "log2", "log10", "log1p", "exp", "sqrt", "abs", "poly", "factor", "as.factor"];

    /// <summary>
    /// Parses and expands <paramref name="text"/>. <paramref name="columns"/> are the data's column names:
    /// <c>.</c> stands for all of them but those the response reads and those in <paramref name="excludeFromDot"/>
    /// (such as a row-name column). When <paramref name="columns"/> is given, a name that is not a column is
    /// an error at its position; without it a formula with <c>.</c> is an error.
    /// </summary>
    public static Formula Parse(string text, IReadOnlyList<string>? columns = null, IEnumerable<string>? excludeFromDot = null) =>
        ParseSyntax(text).Expand(columns, excludeFromDot);

    /// <summary>
    /// Checks the syntax only (no column list needed), so that a front end can report a syntax error
    /// before reading any data and learn which columns the formula names (<see cref="FormulaSyntax.UsesDot"/>,
    /// <see cref="FormulaSyntax.NamedColumns"/>).
    /// </summary>
    public static FormulaSyntax ParseSyntax(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (lhs, rhs, tilde) = Parser.ParseFormula(text);
        var syntax = new FormulaSyntax(text, lhs, rhs, tilde);
        SyntaxChecks.Validate(syntax);
        return syntax;
    }
}

/// <summary>A formula whose syntax is valid, before <c>.</c> is expanded against the data's columns.</summary>
public sealed class FormulaSyntax
{
    internal FormulaSyntax(string text, Node? lhs, Node rhs, int tildePosition)
    {
        Text = text;
        Lhs = lhs;
        Rhs = rhs;
        TildePosition = tildePosition;
    }

    /// <summary>The formula as given.</summary>
    public string Text { get; }

    /// <summary>Whether the right side uses <c>.</c> (and so needs the column list to expand).</summary>
    public bool UsesDot { get; internal set; }

    /// <summary>The columns named in the text (response first), in order of first appearance.</summary>
    public IReadOnlyList<string> NamedColumns { get; internal set; } = [];

    internal Node? Lhs { get; }

    internal Node Rhs { get; }

    internal int TildePosition { get; }

    /// <summary>Expands the terms; see <see cref="FormulaParser.Parse"/> for the arguments.</summary>
    public Formula Expand(IReadOnlyList<string>? columns = null, IEnumerable<string>? excludeFromDot = null) =>
        Expander.Expand(this, columns, excludeFromDot is null ? [] : [.. excludeFromDot]);
}
