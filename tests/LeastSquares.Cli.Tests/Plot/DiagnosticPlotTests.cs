using System.Globalization;
using System.Text.Json;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Plotting;
using LeastSquares.Cli.Tests.Inference;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq plot --kind diagnostics and its panels against R's plot(lm(...)): the leverages,
/// standardized residuals and Cook's distances, and the rows each panel names
/// (tests/reference/r/plotlm.json, made by make-plotlm.R).
/// </summary>
public sealed class DiagnosticPlotTests
{
    private static readonly Lazy<JsonDocument> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "plotlm.json"))));

    private static JsonElement Case(string id) =>
        Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static CliContext Context(Func<Stream>? stdin = null) => new(TextWriter.Null, TextWriter.Null, stdin ?? (() => new MemoryStream()));

    private static ModelSpec Spec(JsonElement c)
    {
        var formula = c.GetProperty("formula").GetString()!;
        var sides = formula.Split('~');
        var features = sides[1].Split('+').Select(f => f.Trim()).ToArray();
        return new ModelSpec(sides[0].Trim(), features, 1, true);
    }

    private static string[] Names(JsonElement c, string panel) =>
        [.. c.GetProperty("labelled").GetProperty(panel).GetProperty("row_names").EnumerateArray().Select(e => e.GetString()!)];

    [Theory]
    [InlineData("cars_speed")]
    [InlineData("mtcars_wt_hp")]
    public void Influence_of_every_row_matches_R(string id)
    {
        var c = Case(id);
        var data = DiagnosticPlots.Read(new PlotSettings { File = RReference.DataFile(c), Model = Spec(c) }, Context());
        var leverage = RReference.Numbers(c.GetProperty("hatvalues"));
        var standardized = RReference.Numbers(c.GetProperty("rstandard"));
        var cook = RReference.Numbers(c.GetProperty("cooks_distance"));
        var fitted = RReference.Numbers(c.GetProperty("fitted"));
        Assert.Equal(leverage.Length, data.Points.Count); // fewer rows than --max-points: every row is drawn
        Assert.Equal(c.GetProperty("p").GetInt32(), data.Parameters);
        foreach (var p in data.Points)
        {
            int i = (int)p.Row;
            RReference.Agrees(leverage[i], p.Leverage, 12, $"row {i + 1} leverage");
            RReference.Agrees(standardized[i], p.StandardizedResidual, 11, $"row {i + 1} standardized residual");
            RReference.Agrees(cook[i], p.CooksDistance, 11, $"row {i + 1} Cook's distance");
            RReference.Agrees(fitted[i], p.Fitted, 12, $"row {i + 1} fitted value");
        }
    }

    [Fact]
    public void A_transformed_response_is_the_one_whose_residuals_are_drawn()
    {
        // lm.json's log(mpg) ~ wt: residuals of log(mpg), not of mpg, and the axes say log(mpg).
        var c = RReference.Case("mtcars_logmpg_wt");
        var influence = c.GetProperty("influence");
        var spec = new ModelSpec(null, null, 1, true) { Formula = "log(mpg) ~ wt" };
        var data = DiagnosticPlots.Read(new PlotSettings { File = RReference.DataFile(c), Model = spec }, Context());
        var residuals = RReference.Numbers(influence.GetProperty("residuals"));
        var standardized = RReference.Numbers(influence.GetProperty("rstandard"));
        var cook = RReference.Numbers(influence.GetProperty("cooks_distance"));
        Assert.Equal(residuals.Length, data.Points.Count);
        foreach (var p in data.Points)
        {
            int i = (int)p.Row;
            RReference.Agrees(residuals[i], p.Residual, 10, $"row {i + 1} residual");
            RReference.Agrees(standardized[i], p.StandardizedResidual, 10, $"row {i + 1} standardized residual");
            RReference.Agrees(cook[i], p.CooksDistance, 10, $"row {i + 1} Cook's distance");
        }

        Assert.Equal("fitted log(mpg)", DiagnosticPlots.Charts(PlotKind.Diagnostics, data)[0].XLabel);
    }

    [Theory]
    [InlineData("cars_speed")]
    [InlineData("mtcars_wt_hp")]
    public void Each_panel_names_the_rows_R_names(string id)
    {
        var c = Case(id);
        var data = DiagnosticPlots.Read(new PlotSettings { File = RReference.DataFile(c), Model = Spec(c) }, Context());
        var panels = DiagnosticPlots.Charts(PlotKind.Diagnostics, data);
        Assert.Equal(4, panels.Count);
        Assert.Equal(Names(c, "residuals_fitted"), panels[0].Labels.Select(l => l.Text));
        Assert.Equal(Names(c, "qq"), panels[1].Labels.Select(l => l.Text));
        Assert.Equal(Names(c, "scale_location"), panels[2].Labels.Select(l => l.Text));
        // The leverage panel also labels the contours' ends ("0.5", "1") where they fall inside it.
        Assert.Equal(Names(c, "leverage"), panels[3].Labels.Take(3).Select(l => l.Text));
        Assert.All(panels[3].Labels.Skip(3), l => Assert.Contains(l.Text, (string[])["0.5", "1"]));
    }

    [Fact]
    public void Cars_panels_are_Rs_labels_49_23_35_and_49_23_39()
    {
        // The pictures R users know: plot(lm(dist ~ speed, cars)).
        var c = Case("cars_speed");
        var data = DiagnosticPlots.Read(new PlotSettings { File = RReference.DataFile(c), Model = Spec(c) }, Context());
        Assert.Equal(["49", "23", "35"], data.ByResidual.Select(p => p.Label));
        Assert.Equal(["49", "23", "35"], data.ByStandardized.Select(p => p.Label));
        Assert.Equal(["49", "23", "39"], data.ByCook.Select(p => p.Label));
    }

    [Fact]
    public void Without_row_names_the_labels_are_line_numbers()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "cars.csv");
        // The same rows without R's row-name column: row 49 is on line 50.
        var lines = File.ReadAllLines(RReference.DataFile(Case("cars_speed")));
        File.WriteAllLines(file, lines.Select(l => l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..]));
        var data = DiagnosticPlots.Read(new PlotSettings { File = file, Model = new("dist", ["speed"], 1, true) }, Context());
        Assert.Equal(["50", "24", "36"], data.ByResidual.Select(p => p.Label));
        Assert.Equal(["50", "24", "40"], data.ByCook.Select(p => p.Label));
        Assert.Contains("labels: line numbers", data.PointsLabel, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_is_read_twice_through_a_temporary_copy()
    {
        var c = Case("cars_speed");
        var bytes = File.ReadAllBytes(RReference.DataFile(c));
        var data = DiagnosticPlots.Read(new PlotSettings { File = "-", Model = Spec(c) }, Context(() => new MemoryStream(bytes)));
        Assert.Equal(["49", "23", "39"], data.ByCook.Select(p => p.Label));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"lsq-stdin-{Environment.ProcessId}-*"));

        var r = Lsq.RunWithInput(File.ReadAllText(RReference.DataFile(c)), "plot", "-", "-y", "dist", "-x", "speed", "--kind", "leverage", "-o", Path.Combine(Path.GetTempPath(), $"lsq-test-{Guid.NewGuid():N}.png"));
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void Qq_panel_puts_the_sorted_standardized_residuals_at_Rs_normal_quantiles()
    {
        var c = Case("cars_speed");
        var data = DiagnosticPlots.Read(new PlotSettings { File = RReference.DataFile(c), Model = Spec(c) }, Context());
        var qq = DiagnosticPlots.Qq(data);
        var expected = RReference.Numbers(c.GetProperty("rstandard")).Order().ToArray();
        Assert.Equal(50, qq.Points!.X.Length);
        for (int i = 0; i < 50; i++)
        {
            RReference.Agrees(expected[i], qq.Points.Y[i], 11, $"sorted standardized residual {i + 1}");
        }

        // qnorm(ppoints(50)): (i − 1/2)/50; the largest is qnorm(0.99) = 2.3263478740408408.
        Assert.Equal(2.3263478740408408, qq.Points.X[^1], 1e-9);
        Assert.Equal(-qq.Points.X[^1], qq.Points.X[0], 1e-12);
        Assert.Equal((1 - 0.375) / 10.25, DiagnosticPlots.PlottingPosition(1, 10), 15); // a = 3/8 for 10 points or fewer
        var top = qq.Labels.Single(l => l.Text == "49");
        Assert.Equal((qq.Points.X[^1], qq.Points.Y[^1]), (top.X, top.Y));
    }

    [Fact]
    public void Leverage_panel_draws_Cooks_contours_at_half_and_one_from_zero_leverage()
    {
        var c = Case("cars_speed");
        var data = DiagnosticPlots.Read(new PlotSettings { File = RReference.DataFile(c), Model = Spec(c) }, Context());
        var panel = DiagnosticPlots.Leverage(data);
        Assert.True(panel.XFromZero);
        Assert.Equal(["Cook's distance 0.5", "", "Cook's distance 1", ""], panel.Guides.Select(g => g.Label));
        var half = panel.Guides[0];
        for (int i = 0; i < half.X.Length; i += 25)
        {
            double h = half.X[i];
            Assert.Equal(Math.Sqrt(0.5 * 2 * (1 - h) / h), half.Y[i], 12); // D = r²h/(p(1−h)) = 0.5, p = 2
            Assert.Equal(-half.Y[i], panel.Guides[1].Y[i]);
        }

        double hMax = RReference.Numbers(c.GetProperty("hatvalues")).Max();
        Assert.InRange(half.X[^1], hMax, 1.06 * hMax);
        Assert.Equal("zero", panel.ReferenceLine!.Value.Label);
    }

    [Fact]
    public void Big_input_draws_a_bounded_sample_and_still_every_named_row()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "big.csv");
        var random = new Random(7);
        using (var w = new StreamWriter(file))
        {
            w.WriteLine("x,y");
            for (int i = 0; i < 20_000; i++)
            {
                double x = random.NextDouble() * 10;
                double y = 1 + (2 * x) + random.NextDouble() - 0.5 + (i == 12_345 ? 40 : 0); // one outlier, on line 12347
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{x:R},{y:R}"));
            }
        }

        var data = DiagnosticPlots.Read(new PlotSettings { File = file, MaxPoints = 200 }, Context());
        Assert.Equal(20_000, data.Rows);
        Assert.InRange(data.Points.Count, 200, 209);
        Assert.Equal("12347", data.ByResidual[0].Label);
        Assert.Equal("12347", data.ByCook[0].Label);
        var drawn = data.Points.Select(p => p.Row).ToHashSet();
        Assert.All(data.ByResidual.Concat(data.ByStandardized).Concat(data.ByCook), p => Assert.Contains(p.Row, drawn));
        Assert.StartsWith("a random 200 of 20,000 rows", data.PointsLabel, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_svg_has_the_four_panels_of_R()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "d.svg");
        var r = Lsq.Run("plot", RReference.DataFile(Case("cars_speed")), "-y", "dist", "-x", "speed", "--kind", "diagnostics", "-o", path);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        var (root, texts) = PlotTests.ReadSvg(path);
        Assert.Equal("800", root.Attribute("width")?.Value);
        Assert.Equal(4, root.Elements().Count(e => e.Name.LocalName == "svg"));
        Golden.Match("plot-cars-diagnostics.txt", string.Join("\n", texts) + "\n");
    }

    [Theory]
    [InlineData("residuals-fitted", "Residuals vs fitted: dist ~ speed")]
    [InlineData("qq", "Normal Q–Q: dist ~ speed")]
    [InlineData("scale-location", "Scale–location: dist ~ speed")]
    [InlineData("leverage", "Residuals vs leverage: dist ~ speed")]
    public void Each_panel_alone_has_its_title_and_a_legend(string kind, string title)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "p.svg");
        Assert.Equal(0, Lsq.Run("plot", RReference.DataFile(Case("cars_speed")), "-y", "dist", "-x", "speed", "--kind", kind, "-o", path).Code);
        var (_, texts) = PlotTests.ReadSvg(path);
        Assert.Contains(title, texts);
        Assert.Contains("rows (50); labels: row names", texts);
        Assert.Contains("49", texts);
    }
}
