using System.Globalization;
using System.Text;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Plotting;
using static LeastSquares.Cli.Tests.GroupRows;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq plot --by and lsq plot --model of a model per group: one panel per group in one picture,
/// each the picture of that group's rows plotted alone, on shared axes.
/// </summary>
public sealed class GroupedPlotTests
{
    private static CliContext Context(TextWriter? stderr = null) =>
        new(TextWriter.Null, stderr ?? TextWriter.Null, () => new MemoryStream());

    /// <summary>Seeded rows of g, x, y for <paramref name="groups"/> groups of different lines.</summary>
    private static string Data(int groups, int rows = 200)
    {
        var random = new Random(11);
        var sb = new StringBuilder("g,x,y\n");
        for (int i = 0; i < rows; i++)
        {
            int g = random.Next(groups);
            double x = random.NextDouble() * 10;
            sb.Append(CultureInfo.InvariantCulture, $"g{g},{x:F5},{g + ((g % 3) - 1) * x + random.NextDouble():F5}\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void Svg_has_a_panel_per_group_titled_by_its_group()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "regions.svg");
        var r = Lsq.Run("plot", Lsq.Sample("regions.csv"), "--by", "region", "-o", path);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Contains("lsq: warning: group region='west': its panel shows no fit: 1 data row but the model has 2 coefficients", r.Err, StringComparison.Ordinal);
        var (root, texts) = PlotTests.ReadSvg(path);
        Assert.Equal("800", root.Attribute("width")?.Value); // 4 groups: 2 × 2 panels of 400 × 300
        Assert.Equal("600", root.Attribute("height")?.Value);
        Assert.Equal(4, root.Elements().Count(e => e.Name.LocalName == "svg"));
        Golden.Match("plot-regions-by.txt", string.Join("\n", texts) + "\n");
    }

    [Theory]
    [InlineData(2, 800, 300)]
    [InlineData(5, 1200, 600)]
    [InlineData(9, 1200, 900)]
    public void Panels_wrap_on_a_grid_of_root_n_columns_each_half_the_size_asked(int groups, int width, int height)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "p.png");
        var r = Lsq.Run("plot", dir.File("d.csv", Data(groups)), "--by", "g", "-o", path);
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal((width, height), PlotTests.PngSize(File.ReadAllBytes(path)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_panel_is_its_groups_rows_plotted_alone_on_shared_axes(bool residuals)
    {
        var kind = residuals ? PlotKind.Residuals : PlotKind.Fit;
        using var dir = new TempDir();
        var csv = Data(3, rows: 300);
        var panels = GroupedPlot.Charts(new PlotSettings { File = dir.File("d.csv", csv), By = ["g"], Kind = kind, MaxPoints = 40 }, Context());
        Assert.Equal(3, panels.Count);
        var frame = panels[0].Frame;
        Assert.NotNull(frame);
        foreach (var panel in panels)
        {
            Assert.Equal(frame, panel.Frame);
            var group = panel.Title.Split(' ')[2];
            var alone = PlotCommand.DataChart(new PlotSettings { File = dir.File(group + ".csv", Only(csv, group)), Model = new("y", ["x"], 1, true), Kind = kind, MaxPoints = 40 },
                Context());
            Assert.StartsWith($"g = {group}   (R² = ", panel.Title, StringComparison.Ordinal);
            Assert.Contains(panel.Title[(panel.Title.IndexOf('=', 4) + 2)..^1], alone.Title, StringComparison.Ordinal); // the same R²
            Assert.Equal(alone.Points!.X, panel.Points!.X);
            Assert.Equal(alone.Points.Y, panel.Points.Y);
            Assert.Equal(alone.Lines.SelectMany(l => l.Y), panel.Lines.SelectMany(l => l.Y));
            Assert.InRange(alone.Points.Y.Min(), frame.YMin, frame.YMax);
            Assert.InRange(alone.Points.Y.Max(), frame.YMin, frame.YMax);
        }
    }

    [Fact]
    public void A_saved_model_per_group_draws_each_groups_model_over_its_rows()
    {
        using var dir = new TempDir();
        var data = dir.File("d.csv", Data(3));
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", data, "--by", "g", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var fitted = GroupedPlot.Charts(new PlotSettings { File = data, By = ["g"] }, Context());
        var saved = GroupedPlot.Charts(new PlotSettings { File = data, ModelPath = model }, Context());
        Assert.Equal(fitted.Select(p => p.Title.Split("   ")[0]), saved.Select(p => p.Title.Split("   ")[0]));
        for (int g = 0; g < saved.Count; g++)
        {
            Assert.Contains("R² on these rows = ", saved[g].Title, StringComparison.Ordinal);
            Assert.Equal("saved model's line", saved[g].Lines[0].Label);
            var a = fitted[g].Lines[0].Y;
            var b = saved[g].Lines[0].Y;
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i], b[i], 1e-9 * Math.Max(1, Math.Abs(a[i])));
            }
        }

        var path = Path.Combine(dir.Path, "m.png");
        var r = Lsq.Run("plot", data, "--model", model, "-o", path);
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal((800, 600), PlotTests.PngSize(File.ReadAllBytes(path))); // 3 groups: 2 columns, 2 rows
    }

    [Fact]
    public void A_group_without_a_model_in_the_file_gets_a_panel_of_its_rows_and_a_warning()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", dir.File("d.csv", Data(2)), "--by", "g", "--save", model, "-q").Code);
        var stderr = new StringWriter();
        var panels = GroupedPlot.Charts(new PlotSettings { File = dir.File("e.csv", Data(3)), ModelPath = model }, Context(stderr));
        var g2 = panels.Single(p => p.Title.StartsWith("g = g2", StringComparison.Ordinal));
        Assert.Equal("g = g2   (no model in m.json)", g2.Title);
        Assert.Empty(g2.Lines);
        Assert.NotEmpty(g2.Points!.X);
        Assert.Contains("group g='g2': its panel shows no fit: no model in m.json", stderr.ToString(), StringComparison.Ordinal);
    }
}
