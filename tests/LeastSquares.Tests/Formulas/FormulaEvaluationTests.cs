using System.Globalization;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Tests.Formulas;

/// <summary>Compiled evaluation of numeric expressions and R's spelling of numbers.</summary>
public sealed class FormulaEvaluationTests
{
    private static double Eval(string expression, params double[] row)
    {
        var f = FormulaParser.Parse("y ~ " + expression);
        var v = f.Terms.Single().Variables.Single();
        return v.Compile(name => name switch { "x" => 0, "z" => 1, "Sepal Width" => 2, _ => -1 }).Evaluate(row);
    }

    [Theory]
    [InlineData("I(x + z)", 5.5)]
    [InlineData("I(x - z)", -0.5)]
    [InlineData("I(x * z)", 7.5)]
    [InlineData("I(x / z)", 2.5 / 3.0)]
    [InlineData("I(x^2)", 6.25)]
    [InlineData("I(z^x)", 15.588457268119896)] // R: sprintf("%.17g", 3^2.5)
    [InlineData("I(-x^2)", -6.25)]
    [InlineData("I((-x)^2)", 6.25)]
    [InlineData("I(2^-1)", 0.5)]
    [InlineData("I(2^3^2)", 512)]
    [InlineData("I(x - z - 1)", -1.5)]
    [InlineData("I(12/z/2)", 2)]
    [InlineData("I(+x)", 2.5)]
    [InlineData("I(1 + 2 * z)", 7)]
    [InlineData("I(x * 1e-3)", 0.0025)]
    [InlineData("I(`Sepal Width` * 2)", 8)]
    [InlineData("log(z)", 1.0986122886681098)]
    [InlineData("log2(8)", 3)]
    [InlineData("log10(1000)", 3)]
    [InlineData("exp(0)", 1)]
    [InlineData("sqrt(z * 3)", 3)]
    [InlineData("abs(x - z)", 0.5)]
    [InlineData("log(8, 3)", 1.8927892607143719)] // R: sprintf("%.17g", log(8, 3))
    [InlineData("log(5, base = 2.5)", 1.7564707973660298)] // R
    [InlineData("log(100, 10)", 2)]
    [InlineData("log(8, 2)", 3)]
    [InlineData("log1p(0.1)", 0.095310179804324865)] // R
    [InlineData("log1p(1e-10)", 9.9999999995000007e-11)] // R
    [InlineData("log1p(-0.5)", -0.69314718055994529)] // R
    [InlineData("log1p(1e-300)", 1e-300)] // R
    public void Evaluates_each_operator_and_function(string expression, double expected)
    {
        Assert.Equal(expected, Eval(expression, 2.5, 3, 4));
    }

    [Fact]
    public void Non_finite_results_are_IEEE_as_in_R()
    {
        Assert.Equal(double.NegativeInfinity, Eval("log(x)", 0, 0, 0));
        Assert.True(double.IsNaN(Eval("log(x)", -1, 0, 0)));
        Assert.True(double.IsNaN(Eval("sqrt(x)", -1, 0, 0)));
        Assert.Equal(double.PositiveInfinity, Eval("I(x/z)", 1, 0, 0));
        Assert.Equal(double.NegativeInfinity, Eval("log1p(x)", -1, 0, 0));
        Assert.True(double.IsNaN(Eval("log1p(x)", -2, 0, 0)));
        Assert.Equal(double.PositiveInfinity, Eval("log1p(x)", double.PositiveInfinity, 0, 0));
        Assert.Equal(1, Eval("I(x^0)", double.NaN, 0, 0));
    }

    [Fact]
    public void Poly_and_factor_compile_their_argument()
    {
        var f = FormulaParser.Parse("y ~ poly(log(x), 3) + factor(z + 1)");
        Assert.Equal(Math.Log(5), f.Terms[0].Variables[0].Compile().Evaluate([5]));
        Assert.Equal(3, f.Terms[1].Variables[0].Compile().Evaluate([2]));
    }

    [Fact]
    public void Compile_maps_names_to_row_indices()
    {
        var v = FormulaParser.Parse("y ~ I(b - a + b)").Terms[0].Variables[0];
        var compiled = v.Compile(name => name == "a" ? 7 : 3);
        Assert.Equal([3, 7], compiled.Indices);
        var row = new double[8];
        row[3] = 10;
        row[7] = 1;
        Assert.Equal(19, compiled.Evaluate(row));
        Assert.Equal(["b", "a"], v.Columns);
        Assert.Equal(19, v.Compile().Evaluate([10, 1]));
    }

    [Fact]
    public void Evaluation_allocates_nothing_per_row()
    {
        var v = FormulaParser.Parse("y ~ I(log(x + 1)^2 / sqrt(abs(z)) - exp(-x) + log(x, 3) + log1p(z))").Terms[0].Variables[0];
        var compiled = v.Compile();
        double[] row = [2.0, 3.0];
        double sum = compiled.Evaluate(row);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            row[0] = i + 1;
            sum += compiled.Evaluate(row);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(double.IsFinite(sum));
    }

    [Theory]
    // R 4.2.2: as.character(x); deparse() writes the same digits.
    [InlineData(100000, "1e+05")]
    [InlineData(10000, "10000")]
    [InlineData(0.1, "0.1")]
    [InlineData(123456.7, "123456.7")]
    [InlineData(1e15, "1e+15")]
    [InlineData(1e-4, "1e-04")]
    [InlineData(0.001, "0.001")]
    [InlineData(1.0 / 3.0, "0.333333333333333")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e-300, "1e-300")]
    [InlineData(123456789012, "123456789012")]
    [InlineData(2.0 / 3.0 * 1e10, "6666666666.66667")]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(1e5 + 0.1, "100000.1")]
    [InlineData(double.MaxValue, "1.79769313486232e+308")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1234567890123456, "1234567890123456")]
    [InlineData(9.9999999999999999, "10")]
    [InlineData(0.5, "0.5")]
    [InlineData(2, "2")]
    [InlineData(0, "0")]
    [InlineData(-1e5, "-1e+05")]
    [InlineData(1e100, "1e+100")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Numbers_are_written_as_R_writes_them(double value, string expected)
    {
        Assert.Equal(expected, RNumber.Format(value));
    }

    [Fact]
    public void Number_spelling_ignores_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("0.5", RNumber.Format(0.5));
            Assert.Equal("I(x * 0.25)", FormulaParser.Parse("y ~ I(x * .25)").TermLabels[0]);
            Assert.Equal(0.5, Eval("I(x * 0.25)", 2, 0, 0));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
