using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// R's orthogonal <c>poly(x, d)</c> beyond the R cases of <see cref="FormulaModelTests"/>: every
/// method and a merge of parts give the same fit, the saved basis, and the errors.
/// </summary>
public sealed class OrthogonalPolyTests
{
    private static string Cars => Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", "cars.csv");

    private static double[] Estimates(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("estimate").GetDouble())];
    }

    private static double[] FitEstimates(params string[] args)
    {
        var r = Lsq.Run(["fit", .. args, "-f", "json", "-q"]);
        Assert.True(r.Code == 0, r.Err);
        return Estimates(r.Out);
    }

    [Theory]
    [InlineData("qr")]
    [InlineData("gd")]
    public void Every_method_fits_the_orthogonal_basis(string method)
    {
        var normal = FitEstimates(Cars, "dist ~ poly(speed, 3)");
        var other = FitEstimates(Cars, "dist ~ poly(speed, 3)", "-m", method);
        Assert.Equal(normal.Length, other.Length);
        for (int j = 0; j < normal.Length; j++)
        {
            Assert.Equal(normal[j], other[j], Math.Abs(normal[j]) * (method == "qr" ? 1e-12 : 1e-6));
        }
    }

    [Fact]
    public void Parts_that_start_at_different_values_merge_to_the_whole_fit()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Cars);
        var a = dir.File("a.csv", string.Join("\n", lines.Take(21)) + "\n");
        var b = dir.File("b.csv", lines[0] + "\n" + string.Join("\n", lines.Skip(21).Reverse()) + "\n");
        var pa = Lsq.Run("fit", a, "dist ~ poly(speed, 4)", "--partial");
        var pb = Lsq.Run("fit", b, "dist ~ poly(speed, 4)", "--partial");
        Assert.True(pa.Code == 0 && pb.Code == 0, pa.Err + pb.Err);
        var merged = Lsq.Run("merge", dir.File("a.partial", pa.Out), dir.File("b.partial", pb.Out), "-f", "json");
        Assert.True(merged.Code == 0, merged.Err);
        var whole = FitEstimates(Cars, "dist ~ poly(speed, 4)");
        var parts = Estimates(merged.Out);
        for (int j = 0; j < whole.Length; j++)
        {
            Assert.Equal(whole[j], parts[j], Math.Abs(whole[j]) * 1e-12);
        }
    }

    [Fact]
    public void The_saved_model_holds_rs_alpha_and_norm2()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Cars, "dist ~ poly(speed, 2)", "--save", model, "-q").Code);
        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        var poly = doc.RootElement.GetProperty("poly")[0];
        Assert.Equal("poly(speed, 2)", poly.GetProperty("term").GetString());
        // cars$speed: mean 15.4; alpha[1] and norm2 as R's poly(cars$speed, 2) stores them.
        Assert.Equal(15.4, poly.GetProperty("alpha")[0].GetDouble(), 1e-13);
        Assert.Equal(50, poly.GetProperty("norm2")[1].GetDouble());
        Assert.Equal(1370, poly.GetProperty("norm2")[2].GetDouble(), 1e-10);
    }

    [Fact]
    public void A_transformed_response_is_named_as_R_labels_it()
    {
        var r = Lsq.Run("fit", Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", "trees.csv"), "log(Volume) ~ log(Girth) + log(Height)", "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("\"target\":\"log(Volume)\"", r.Out, StringComparison.Ordinal);
        var table = Lsq.Run("fit", Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", "trees.csv"), "log(Volume) ~ log(Girth) + log(Height)");
        Assert.StartsWith("log(Volume) ~ log(Girth) + log(Height)", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_outside_its_transforms_domain_is_an_input_error()
    {
        using var dir = new TempDir();
        Expect.Error(Lsq.Run("fit", dir.File("d.csv", "x,y\n1,2\n2,0\n3,4\n"), "log(y) ~ x"), 2, "input/response-outside-domain", "log(y) is -Inf on data row 2");
    }

    [Fact]
    public void A_degree_not_below_the_distinct_values_is_exit_3() =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("r/mtcars.csv"), "mpg ~ poly(cyl, 3)"), 3, "numerical/poly-too-few-points", "poly(cyl, 3)");

    /// <summary>
    /// Only the first poly() of a column is accumulated around the data: a second one far from 0
    /// for its spread at a high degree would lose more than 20 of the sums' 32 digits, and is
    /// refused with what to write instead; written so, it fits.
    /// </summary>
    [Fact]
    public void A_second_poly_far_from_0_is_refused_and_its_shifted_form_fits()
    {
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"{10000 + (i * 0.37 % 7):R},{20000 + (i * 0.53 % 9):R},{Math.Sin(i) + (i % 5)}"));
        var file = dir.File("far.csv", "x,z,y\n" + string.Join("\n", rows) + "\n");
        Expect.Error(Lsq.Run("fit", file, "y ~ poly(x, 2) + poly(z, 5)"), 3, "numerical/poly-far-from-zero", "poly(z, 5)", "poly(I(x - 1000), d)");
        var shifted = FitEstimates(file, "y ~ poly(x, 2) + poly(I(z - 20000), 5)");
        var first = FitEstimates(file, "y ~ poly(z, 5) + poly(x, 2)");
        Assert.Equal(first[0], shifted[0], 1e-12);
        for (int j = 1; j <= 5; j++)
        {
            Assert.Equal(first[j], shifted[j + 2], Math.Abs(first[j]) * 1e-11);
        }
    }

    [Fact]
    public void An_orthogonal_poly_inside_an_interaction_is_not_supported() =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("r/mtcars.csv"), "mpg ~ poly(wt, 2):hp"), 1, "command-line/poly-in-interaction", "poly(wt, 2):hp", "not supported");

    [Fact]
    public void A_model_file_without_the_basis_is_refused()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Cars, "dist ~ poly(speed, 2)", "--save", model, "-q").Code);
        var text = File.ReadAllText(model);
        int start = text.IndexOf("  \"poly\"", StringComparison.Ordinal);
        int end = text.IndexOf("  \"terms\"", StringComparison.Ordinal);
        var broken = dir.File("broken.json", text[..start] + text[end..]);
        Expect.Error(Lsq.Run("predict", "--model", broken, Cars), 2, "model-file/poly-missing", "has no \"poly\" field");
        var shortAlpha = dir.File("short.json", System.Text.RegularExpressions.Regex.Replace(text, "\"alpha\": \\[[^\\]]*\\]", "\"alpha\": [1]"));
        Expect.Error(Lsq.Run("predict", "--model", shortAlpha, Cars), 2, "model-file/poly-short-alpha", "needs \"alpha\": an array of 2 numbers");
    }
}
