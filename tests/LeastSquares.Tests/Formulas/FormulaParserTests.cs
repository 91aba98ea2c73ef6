using LeastSquares.Terms.Formulas;

namespace LeastSquares.Tests.Formulas;

/// <summary>
/// The grammar operator by operator, and the API the fit uses. Expected labels and orders are R's
/// (R 4.2.2, attr(terms(f), "term.labels") and attr(, "intercept"); the full comparison against R's
/// data sets is in FormulaRTests).
/// </summary>
public sealed class FormulaParserTests
{
    private static string Labels(string text, IReadOnlyList<string>? columns = null, IEnumerable<string>? exclude = null)
    {
        var f = FormulaParser.Parse(text, columns, exclude);
        return string.Join(" | ", f.TermLabels) + (f.HasIntercept ? "" : " [no intercept]");
    }

    [Theory]
    [InlineData("y ~ a + b", "a | b")]
    [InlineData("y ~ a + b + a", "a | b")]
    [InlineData("y ~ a*b - a", "b | a:b")]
    [InlineData("y ~ a:b", "a:b")]
    [InlineData("y ~ b:a + a", "a | b:a")]
    [InlineData("y ~ a + b:a", "a | a:b")]
    [InlineData("y ~ a:b + b:a", "a:b")]
    [InlineData("y ~ a*b", "a | b | a:b")]
    [InlineData("y ~ a*b*c", "a | b | c | a:b | a:c | b:c | a:b:c")]
    [InlineData("y ~ (a + b + c)^2", "a | b | c | a:b | a:c | b:c")]
    [InlineData("y ~ (a + b + c)^2.9", "a | b | c | a:b | a:c | b:c")]
    [InlineData("y ~ (a + b)^5", "a | b | a:b")]
    [InlineData("y ~ a^2", "a")]
    [InlineData("y ~ a:b:c + a", "a | a:b:c")]
    [InlineData("y ~ a %in% b", "a:b")]
    [InlineData("y ~ a/b", "a | a:b")]
    [InlineData("y ~ (a + b)/c", "a | b | a:b:c")]
    [InlineData("y ~ a:(b + c)", "a:b | a:c")]
    [InlineData("y ~ ((a))", "a")]
    [InlineData("y ~ +a", "a")]
    [InlineData("y ~ -a", "")]
    [InlineData("y ~ a - b", "a")]
    [InlineData("y ~ a - a", "")]
    [InlineData("y ~ a:b:c - a:c:b", "")]
    public void Expands_operators_as_R_does(string text, string expected) => Assert.Equal(expected, Labels(text));

    [Theory]
    [InlineData("y ~ x", true)]
    [InlineData("y ~ x - 1", false)]
    [InlineData("y ~ x -1", false)]
    [InlineData("y ~ -1 + x", false)]
    [InlineData("y ~ x + 0", false)]
    [InlineData("y ~ 0 + x", false)]
    [InlineData("y ~ x + 1", true)]
    [InlineData("y ~ x - 1 + 1", true)]
    [InlineData("y ~ x + 1 - 1 + 0", false)]
    [InlineData("y ~ x - 0", true)]
    [InlineData("y ~ x + -1", false)]
    [InlineData("y ~ x - -1", true)]
    [InlineData("y ~ x - (1)", false)]
    [InlineData("y ~ 1", true)]
    [InlineData("y ~ 0", false)]
    [InlineData("y ~ -1", false)]
    public void The_intercept_follows_0_and_1_left_to_right(string text, bool intercept)
    {
        Assert.Equal(intercept, FormulaParser.Parse(text).HasIntercept);
    }

    [Theory]
    [InlineData("y ~ I(x+1)", "I(x + 1)")]
    [InlineData("y ~ I(wt^2)", "I(wt^2)")]
    [InlineData("y ~ I( wt ^ 2 )", "I(wt^2)")]
    [InlineData("y ~ poly(wt,3)", "poly(wt, 3)")]
    [InlineData("y ~ poly(wt,3,raw=TRUE)", "poly(wt, 3, raw = TRUE)")]
    [InlineData("y ~ poly(wt, degree=2)", "poly(wt, degree = 2)")]
    [InlineData("y ~ log( hp )", "log(hp)")]
    [InlineData("y ~ log(hp,base=2)", "log(hp, base = 2)")]
    [InlineData("y ~ factor( cyl )", "factor(cyl)")]
    [InlineData("y ~ I(x/2*3)", "I(x/2 * 3)")]
    [InlineData("y ~ I(x-y)", "I(x - y)")]
    [InlineData("y ~ I(- x)", "I(-x)")]
    [InlineData("y ~ I(x*-1)", "I(x * -1)")]
    [InlineData("y ~ I(x^-1)", "I(x^-1)")]
    [InlineData("y ~ I(2^3^x)", "I(2^3^x)")]
    [InlineData("y ~ I((x+1)^2)", "I((x + 1)^2)")]
    [InlineData("y ~ I(x*100000)", "I(x * 1e+05)")]
    [InlineData("y ~ I(x*1.50)", "I(x * 1.5)")]
    [InlineData("y ~ I(x*2L)", "I(x * 2)")]
    [InlineData("y ~ I(x*.5)", "I(x * 0.5)")]
    [InlineData("y ~ I(x*1E3)", "I(x * 1000)")]
    [InlineData("y ~ `Sepal Width`", "`Sepal Width`")]
    [InlineData("y ~ `Sepal.Width`", "Sepal.Width")]
    [InlineData("y ~ log(`Sepal Width`)", "log(`Sepal Width`)")]
    [InlineData("y ~ `1x` + `_a` + `.2b` + `if` + `TRUE` + .x + a_b.c", "`1x` | `_a` | `.2b` | `if` | `TRUE` | .x | a_b.c")]
    [InlineData("y ~ sqrt(abs(exp(log1p(log2(log10(x))))))", "sqrt(abs(exp(log1p(log2(log10(x))))))")]
    public void Labels_are_deparsed_as_R_prints_them(string text, string label) => Assert.Equal(label, Labels(text));

    [Fact]
    public void Two_spellings_of_one_expression_are_one_variable()
    {
        Assert.Equal("log(hp) | I(x^2)", Labels("y ~ log(hp) + log( hp ) + I(x^2) + I(x ^ 2.0)"));
        Assert.Equal("log(hp) | log((hp))", Labels("y ~ log(hp) + log((hp))"));
    }

    [Fact]
    public void Interaction_labels_keep_the_order_of_first_appearance_not_of_writing()
    {
        // R: wt:hp when wt is met first anywhere in the formula, response included.
        Assert.Equal("wt | hp | wt:hp", Labels("mpg ~ wt + hp + hp:wt"));
        Assert.Equal("wt | hp:wt", Labels("mpg ~ hp:wt + wt"));
        Assert.Equal("hp | wt | hp:wt", Labels("mpg ~ hp:wt - hp:wt + hp + wt + wt:hp"));
        Assert.Equal("wt | wt:hp", Labels("mpg ~ wt - hp + hp:wt"));
    }

    [Fact]
    public void Terms_are_grouped_by_order_then_by_first_appearance()
    {
        Assert.Equal("d | a:b | b:c | a:b:c", Labels("y ~ a:b:c + a:b + d + b:c"));
    }

    [Fact]
    public void Dot_is_every_column_but_the_responses_and_the_excluded()
    {
        string[] columns = ["", "mpg", "wt", "hp", "Sepal Width"];
        Assert.Equal("wt | hp | `Sepal Width`", Labels("mpg ~ .", columns, [""]));
        Assert.Equal("hp | `Sepal Width`", Labels("log(mpg) ~ . - wt", columns, [""]));
        Assert.Equal("mpg | hp | `Sepal Width`", Labels("wt ~ .", columns, ["", "wt"]));
        Assert.Equal("wt | hp | wt:hp", Labels("mpg ~ .^2", ["mpg", "wt", "hp"]));
        Assert.Equal("hp | wt", Labels("mpg ~ hp + .", ["mpg", "wt", "hp"]));
        Assert.Equal("wt | hp | `Sepal Width` | wt:hp", Labels("mpg ~ wt:hp + .", columns, [""]));
        Assert.Equal(" [no intercept]", Labels("mpg ~ . - 1", ["mpg"]));
    }

    [Fact]
    public void Terms_with_the_response_are_dropped_as_model_matrix_does()
    {
        var f = FormulaParser.Parse("y ~ y + x + y:x + log(y)");
        Assert.Equal(["x", "log(y)"], f.TermLabels);
    }

    [Fact]
    public void The_response_may_be_a_transform_or_arithmetic()
    {
        var f = FormulaParser.Parse("log(y) ~ x");
        Assert.Equal("log(y)", f.Response.Label);
        Assert.Equal(VariableKind.Numeric, f.Response.Kind);
        Assert.Null(f.Response.Column);
        Assert.Equal(["y"], f.Response.Columns);

        f = FormulaParser.Parse("y/1000 + z ~ x");
        Assert.Equal("y/1000 + z", f.Response.Label);
        Assert.Equal(["y", "z"], f.Response.Columns);
        Assert.Equal(101.5, f.Response.Compile().Evaluate([1500, 100]));

        f = FormulaParser.Parse("`Sepal Length` ~ x");
        Assert.Equal(VariableKind.Column, f.Response.Kind);
        Assert.Equal("Sepal Length", f.Response.Column);
        Assert.Equal("`Sepal Length`", f.Response.Label);
    }

    [Fact]
    public void Variables_carry_kind_column_degree_and_raw()
    {
        var f = FormulaParser.Parse("mpg ~ wt + log(hp) + poly(disp, 3) + poly(qsec, degree = 2, raw = TRUE) + factor(cyl) + factor(gear + 1)");
        var v = f.Terms.Select(t => t.Variables.Single()).ToList();
        Assert.Equal([VariableKind.Column, VariableKind.Numeric, VariableKind.Polynomial, VariableKind.Polynomial, VariableKind.Factor, VariableKind.Factor],
            v.Select(x => x.Kind));
        Assert.Equal("wt", v[0].Column);
        Assert.Null(v[1].Column);
        Assert.Equal((3, false), (v[2].Degree, v[2].Raw));
        Assert.Equal((2, true), (v[3].Degree, v[3].Raw));
        Assert.Equal(["qsec"], v[3].Columns);
        Assert.Equal("cyl", v[4].Column);
        Assert.Null(v[5].Column);
        Assert.Equal(["gear"], v[5].Columns);
        Assert.Equal(1, v[4].Degree);
        Assert.Equal(["mpg", "wt", "hp", "disp", "qsec", "cyl", "gear"], f.Columns);
        Assert.Equal(["mpg", "wt", "log(hp)", "poly(disp, 3)", "poly(qsec, degree = 2, raw = TRUE)", "factor(cyl)", "factor(gear + 1)"],
            f.Variables.Select(x => x.Label));
        Assert.Equal(Enumerable.Range(0, 7), f.Variables.Select(x => x.Index));
    }

    [Fact]
    public void Variables_lists_only_those_a_term_uses()
    {
        var f = FormulaParser.Parse("y ~ a + b + c - b");
        Assert.Equal(["y", "a", "c"], f.Variables.Select(v => v.Label));
        Assert.Equal(["y", "a", "c"], f.Columns);
    }

    [Fact]
    public void Coefficient_names_of_each_kind_of_variable()
    {
        var f = FormulaParser.Parse("y ~ wt + poly(wt, 3) + factor(cyl) + Species");
        var v = f.Terms.Select(t => t.Variables.Single()).ToList();
        Assert.Equal(["wt"], v[0].CoefficientNames());
        Assert.Equal(["poly(wt, 3)1", "poly(wt, 3)2", "poly(wt, 3)3"], v[1].CoefficientNames());
        Assert.Equal(["factor(cyl)6", "factor(cyl)8"], v[2].CoefficientNames(["6", "8"]));
        Assert.Equal(["Speciesversicolor"], v[3].CoefficientNames(["versicolor"]));
        Assert.Throws<ArgumentException>(() => v[2].CoefficientNames());
        Assert.Equal(["a1:b1", "a2:b1", "a1:b2", "a2:b2"], Formula.Interaction([["a1", "a2"], ["b1", "b2"]]));
        Assert.Equal(["x"], Formula.Interaction([["x"]]));
    }

    [Fact]
    public void Coding_gives_the_first_factor_all_levels_without_an_intercept()
    {
        var f = FormulaParser.Parse("y ~ 0 + x + a + b + a:b");
        bool Categorical(Variable v) => v.Label is "a" or "b";
        var coding = f.Coding(Categorical);
        Assert.Equal(FactorCoding.Indicators, coding[1][0]);
        Assert.Equal(FactorCoding.Contrasts, coding[2][0]);
        Assert.Equal([FactorCoding.Contrasts, FactorCoding.Contrasts], coding[3]);
        Assert.Equal(FactorCoding.Contrasts, f.Terms[1].Margins[0]);

        // R's factors attribute: 2 (indicators) where the term less the variable is in no earlier term.
        Assert.Equal([FactorCoding.Indicators, FactorCoding.Indicators], FormulaParser.Parse("y ~ x:a").Terms[0].Margins);
        Assert.Equal([FactorCoding.Indicators, FactorCoding.Contrasts], FormulaParser.Parse("y ~ x + x:a").Terms[1].Margins);
    }

    [Fact]
    public void ParseSyntax_needs_no_columns_and_reports_what_the_formula_names()
    {
        var s = FormulaParser.ParseSyntax("log(mpg) ~ . - wt + `Sepal Width`:factor(cyl) + poly(hp, 2, raw = TRUE)");
        Assert.True(s.UsesDot);
        Assert.Equal(["mpg", "wt", "Sepal Width", "cyl", "hp"], s.NamedColumns);
        var f = s.Expand(["mpg", "wt", "hp", "cyl", "Sepal Width"]);
        Assert.Equal(["hp", "cyl", "`Sepal Width`", "poly(hp, 2, raw = TRUE)", "`Sepal Width`:factor(cyl)"], f.TermLabels);
        Assert.False(FormulaParser.ParseSyntax("y ~ x").UsesDot);
    }

    [Fact]
    public void Dot_squared_over_many_columns_expands_quickly()
    {
        var columns = Enumerable.Range(0, 301).Select(i => "x" + i).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var f = FormulaParser.Parse("x0 ~ .^2", columns);
        Assert.Equal(300 + 300 * 299 / 2, f.Terms.Count);
        Assert.Equal("x1:x2", f.Terms[300].Label);
        Assert.All(f.Terms, t => Assert.All(t.Margins, m => Assert.Equal(FactorCoding.Contrasts, m)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Whitespace_and_line_breaks_are_free()
    {
        Assert.Equal("a | b | a:b", Labels("  y~a*\n\tb  "));
    }

    [Fact]
    public void ToString_writes_the_expanded_formula()
    {
        Assert.Equal("mpg ~ wt + hp + wt:hp", FormulaParser.Parse("mpg~wt*hp").ToString());
        Assert.Equal("mpg ~ wt - 1", FormulaParser.Parse("mpg ~ 0 + wt").ToString());
        Assert.Equal("mpg ~ 1", FormulaParser.Parse("mpg ~ 1").ToString());
        Assert.Equal("mpg ~ 0", FormulaParser.Parse("mpg ~ 0").ToString());
    }

    [Fact]
    public void Every_supported_function_parses()
    {
        foreach (var name in FormulaParser.Functions.Where(n => n != "poly"))
        {
            Assert.Equal($"{name}(x)", Labels($"y ~ {name}(x)"));
        }

        Assert.Equal("poly(x, 2)", Labels("y ~ poly(x, 2)"));
        Assert.Equal("poly(x = x, 2)", Labels("y ~ poly(x = x, 2)"));
        Assert.Equal("poly(x, 2, raw = F)", Labels("y ~ poly(x, 2, raw = F)"));
        Assert.False(FormulaParser.Parse("y ~ poly(x, 2, raw = FALSE)").Terms[0].Variables[0].Raw);
    }
}
