using LeastSquares.Terms.Formulas;

namespace LeastSquares.Tests.Formulas;

/// <summary>Every kind of formula error: its type, its 0-based position, a word of its reason, and the caret.</summary>
public sealed class FormulaErrorTests
{
    private static FormulaException Error(string text, IReadOnlyList<string>? columns = null) =>
        Assert.Throws<FormulaException>(() => FormulaParser.Parse(text, columns));

    [Theory]
    // empty formula
    [InlineData("", 0, "empty formula")]
    [InlineData("   ", 0, "empty formula")]
    // unbalanced parentheses: the unclosed '(' or the unmatched ')'
    [InlineData("y ~ (a + b", 4, "never closed")]
    [InlineData("y ~ log(x", 7, "never closed")]
    [InlineData("y ~ I((x + 1)", 5, "never closed")]
    [InlineData("y ~ a + b)", 9, "without a matching '('")]
    [InlineData("y ~ log(x))", 10, "without a matching '('")]
    [InlineData("(y ~ x", 0, "never closed")]
    // a dangling operator: the operator with nothing after it, or two operators in a row
    [InlineData("y ~ x +", 6, "'+' has nothing after it")]
    [InlineData("y ~ x:", 5, "':' has nothing after it")]
    [InlineData("y ~ (a + b)^", 11, "'^' has nothing after it")]
    [InlineData("y ~", 2, "'~' has nothing after it")]
    [InlineData("y ~ x + -", 8, "'-' has nothing after it")]
    [InlineData("y ~ x + * z", 8, "'*' follows '+'")]
    [InlineData("y ~ * x", 4, "'*' has no term before it")]
    [InlineData("y ~ I(x + )", 8, "'+' has nothing after it")]
    [InlineData("y ~ log(x -, 2)", 10, "'-' has nothing after it")]
    [InlineData("y ~ x + ()", 8, "empty parentheses")]
    // two '~'
    [InlineData("y ~ x ~ z", 6, "second '~'")]
    [InlineData("~ y ~ x", 4, "second '~'")]
    // no response, no '~'
    [InlineData("~ x", 0, "no response")]
    [InlineData("  ~ x + z", 2, "no response")]
    [InlineData("mpg", 3, "no '~'")]
    // unknown function, named and with the list of supported ones
    [InlineData("y ~ sin(x)", 4, "unknown function 'sin'; supported: I, log, log2, log10, log1p, exp, sqrt, abs, poly, factor")]
    [InlineData("y ~ I(cos(x))", 6, "unknown function 'cos'")]
    [InlineData("cbind(a, b) ~ x", 0, "unknown function 'cbind'")]
    [InlineData("y ~ offset(x)", 4, "unknown function 'offset'")]
    // poly(): bad degree, missing degree, extra arguments, wrong raw
    [InlineData("y ~ poly(x, 0)", 12, "bad degree for poly()")]
    [InlineData("y ~ poly(x, -2)", 12, "bad degree for poly()")]
    [InlineData("y ~ poly(x, 2.5)", 12, "bad degree for poly()")]
    [InlineData("y ~ poly(x, d)", 12, "bad degree for poly()")]
    [InlineData("y ~ poly(x, degree = 1e9)", 21, "bad degree for poly()")]
    [InlineData("y ~ poly(x)", 10, "poly() needs a degree")]
    [InlineData("y ~ poly(x, 2, 3)", 15, "poly() takes one variable and a degree")]
    [InlineData("y ~ poly(x, 2, raw = yes)", 21, "raw = in poly() is TRUE or FALSE")]
    [InlineData("y ~ poly(x, 2, coefs = 1)", 15, "no argument 'coefs'")]
    [InlineData("y ~ log(poly(x, 2))", 8, "poly() must be a term of its own")]
    // unterminated backquote, empty backquotes
    [InlineData("y ~ `Sepal Width + x", 4, "unterminated backquoted name")]
    [InlineData("y ~ `` + x", 4, "empty backquoted name")]
    // stray characters and operators R has but formulas here do not
    [InlineData("y ~ x $ z", 6, "unexpected character '$'")]
    [InlineData("y ~ x + z;", 9, "unexpected character ';'")]
    [InlineData("y ~ x[1]", 5, "unexpected character '['")]
    [InlineData("y ~ \"x\"", 4, "unexpected character '\"'")]
    [InlineData("y ~ x %o% z", 6, "unknown operator '%o%'")]
    [InlineData("y ~ x % z", 6, "unexpected character '%'")]
    [InlineData("y ~ x = z", 6, "'=' only names an argument")]
    [InlineData("y ~ x, z", 5, "unexpected ','")]
    [InlineData("y ~ x z", 6, "missing operator before 'z'")]
    [InlineData("y ~ 2x", 4, "malformed number")]
    [InlineData("y ~ I(x^1e)", 9, "exponent without digits")]
    // numbers, powers and operators used where R rejects them
    [InlineData("y ~ x + 2", 8, "only 0 and 1")]
    [InlineData("y ~ (a + b)^1", 12, "invalid power")]
    [InlineData("y ~ (a + b)^x", 12, "invalid power")]
    [InlineData("y ~ (a + b)^(2)", 12, "invalid power")]
    [InlineData("y ~ I(a:b)", 7, "':' is a formula operator")]
    [InlineData("y ~ log(a %in% b)", 10, "'%in%' is a formula operator")]
    [InlineData("y ~ log(.)", 8, "'.' (every other column) can only be a term")]
    [InlineData("y ~ sqrt(x, 2)", 12, "sqrt() takes 1 argument")]
    [InlineData("y ~ log(x, 2, 3)", 14, "log() takes 1 or 2 arguments")]
    [InlineData("y ~ exp()", 8, "exp() takes 1 argument")]
    [InlineData("y ~ log(x, bas = 2)", 11, "no argument 'bas'")]
    [InlineData("y ~ log(x, )", 11, "empty argument in log()")]
    [InlineData("y ~ I(x * TRUE)", 10, "'TRUE' is a reserved word")]
    [InlineData("factor(y) ~ x", 0, "the response must be numeric")]
    [InlineData("poly(y, 2) ~ x", 0, "the response must be numeric")]
    public void Reports_the_fault_at_its_position(string text, int position, string reason)
    {
        var e = Error(text);
        Assert.Equal(text, e.Formula);
        Assert.Equal(position, e.Position);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal(text.Replace('\n', ' ') + "\n" + new string(' ', position) + "^", e.Caret());
    }

    [Fact]
    public void Dot_without_columns_is_reported_at_the_dot()
    {
        var e = Error("y ~ x + .");
        Assert.Equal(8, e.Position);
        Assert.Contains("no column list", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_is_not_a_column_is_reported_when_columns_are_given()
    {
        var e = Error("y ~ wt + log(hpp)", ["y", "wt", "hp"]);
        Assert.Equal(13, e.Position);
        Assert.Equal("no column named 'hpp'", e.Reason);

        e = Error("yy ~ wt", ["y", "wt"]);
        Assert.Equal(0, e.Position);
    }

    [Fact]
    public void Dot_over_duplicate_column_names_is_an_error()
    {
        var e = Error("y ~ .", ["y", "x", "x"]);
        Assert.Equal(4, e.Position);
        Assert.Contains("two columns are named 'x'", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compiling_against_a_row_without_the_column_names_it()
    {
        var f = FormulaParser.Parse("y ~ log(x + z)");
        var e = Assert.Throws<FormulaException>(() => f.Terms[0].Variables[0].Compile(name => name == "x" ? 0 : -1));
        Assert.Equal(12, e.Position);
        Assert.Equal("no column named 'z'", e.Reason);
    }

    [Fact]
    public void The_caret_lines_up_under_tabs_and_past_the_end()
    {
        Assert.Equal("y ~\tx +\n   \t  ^", FormulaException.RenderCaret("y ~\tx +", 6));
        Assert.Equal("y ~ x +\n       ^", FormulaException.RenderCaret("y ~ x +", 99));
        Assert.Equal("y ~ x + z\n^", FormulaException.RenderCaret("y ~\nx + z", 0));
        Assert.Equal("y ~ x ~ z\n      ^", Error("y ~ x ~ z").Caret());
    }

    [Fact]
    public void The_message_carries_reason_and_position_and_no_command_line_words()
    {
        var e = Error("y ~ sin(x)");
        Assert.StartsWith("unknown function 'sin'", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(at position 4)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lsq", e.Message, StringComparison.Ordinal);
    }
}
