using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>Numbers as printed: shortest round-trip text, an exponent when large, the same bytes under every culture.</summary>
public sealed class NumbersAndCultureTests
{
    [Fact]
    public void Large_numbers_in_json_carry_an_exponent()
    {
        // y in the 1e17 range: the intercept and its standard error are large whole doubles.
        var csv = "x,y\n" + string.Join("\n", Enumerable.Range(1, 20).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i},{1e17 + (i * 3e15) + (i % 3 * 1e15)}"))) + "\n";
        var r = Lsq.RunWithInput(csv, "fit", "-f", "json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var estimate = doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetRawText();
        Assert.Contains("e", estimate, StringComparison.Ordinal);
        Assert.Equal(doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(),
            double.Parse(estimate, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(1e15, "1e+15")]
    [InlineData(-18874853397748370, "-1.887485339774837e+16")]
    [InlineData(123456789012345680000.0, "1.2345678901234568e+20")]
    [InlineData(999999999999999, "999999999999999")]
    public void Round_trip_text_of_large_integral_doubles(double value, string expected)
    {
        Assert.Equal(expected, LeastSquares.Cli.Output.Numbers.RoundTrip(value));
        Assert.Equal(value, double.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void Output_is_byte_identical_under_other_cultures(string culture)
    {
        string[] args = ["fit", Lsq.Sample("multi.csv"), "--summary"];
        var before = CultureInfo.CurrentCulture;
        var beforeUi = CultureInfo.CurrentUICulture;
        var invariant = Lsq.Run(args);
        var json = Lsq.Run([.. args, "-f", "json"]);
        var csv = Lsq.Run([.. args, "-f", "csv"]);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            var table = Lsq.Run(args).Out;
            Assert.Equal(invariant.Out, table);
            Assert.DoesNotContain("0,", table, StringComparison.Ordinal); // no decimal comma anywhere
            Assert.Equal(json.Out, Lsq.Run([.. args, "-f", "json"]).Out);
            Assert.Equal(csv.Out, Lsq.Run([.. args, "-f", "csv"]).Out);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
            CultureInfo.CurrentUICulture = beforeUi;
        }
    }
}
