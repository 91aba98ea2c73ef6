using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LeastSquares.Cli.Plotting;
using ScottPlot;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Plots a reader can read: a few round ticks, labelled log axes, the legend inside the axes in
/// the emptiest corner, and pictures that scale with --width and --height. The pictures of the
/// tutorial are also checked by golden files of their text (ticks, legend, labels).
/// </summary>
public sealed partial class PlotReadabilityTests
{
    private static string[] Labels(AxisTicks ticks) => [.. ticks.Major.Select(t => t.Label)];

    [Fact]
    public void Linear_ticks_are_few_and_round()
    {
        // Before: 21 labels, every 0.1, on the tutorial's x from 0 to 2.
        Assert.Equal(["0.0", "0.5", "1.0", "1.5", "2.0"], Labels(TickMarks.Linear(-0.07, 2.05, 7)));
        Assert.Equal(["4", "6", "8", "10", "12"], Labels(TickMarks.Linear(2.6, 12.1, 6)));
        Assert.Equal(["0", "100", "200", "300", "400", "500", "600"], Labels(TickMarks.Linear(-25, 665, 7)));
        Assert.Equal(["0.00", "0.25", "0.50", "0.75", "1.00"], Labels(TickMarks.Linear(-0.01, 1.01, 5)));
        Assert.Equal(["1700000000", "1700020000", "1700040000", "1700060000", "1700080000"], Labels(TickMarks.Linear(1.6999966e9, 1.700089e9, 7)));
        Assert.Equal(["0", "0.5e-6", "1.0e-6"], Labels(TickMarks.Linear(0, 1e-6, 3)));
        Assert.Equal(["1.25e15", "1.50e15", "1.75e15"], Labels(TickMarks.Linear(1.2e15, 1.8e15, 3)));
        Assert.Single(TickMarks.Linear(1e11, 1e11 + 1e-5, 7).Major);
    }

    [Fact]
    public void Linear_ticks_never_exceed_the_bound_and_cover_the_range()
    {
        var rng = new Random(9);
        for (int i = 0; i < 2000; i++)
        {
            double lo = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 12));
            double hi = lo + (rng.NextDouble() * Math.Pow(10, rng.Next(-6, 10)));
            if (!(hi > lo))
            {
                continue;
            }

            int max = rng.Next(3, 12);
            var ticks = TickMarks.Linear(lo, hi, max);
            Assert.InRange(ticks.Major.Count, 1, max);
            Assert.All(ticks.Major, t => Assert.InRange(t.Position, lo - ((hi - lo) * 1e-6), hi + ((hi - lo) * 1e-6)));
            Assert.Equal(ticks.Major.Count, ticks.Major.Select(t => t.Label).Distinct().Count());
        }
    }

    [Fact]
    public void Log_axis_over_two_decades_labels_one_two_five()
    {
        // Before: only "1" and "10" for losses from 1.2 to 50.
        Assert.Equal(["1", "2", "5", "10", "20", "50"], Labels(TickMarks.Log(Math.Log10(0.99), Math.Log10(60), 7)));
        Assert.Equal(["2", "5", "10", "20", "50"], Labels(TickMarks.Log(Math.Log10(1.2), Math.Log10(60), 7)));
    }

    [Fact]
    public void Log_axis_over_many_decades_labels_decades_within_the_bound()
    {
        var wide = TickMarks.Log(-12.3, 2.2, 7);
        Assert.InRange(wide.Major.Count, 3, 7);
        Assert.All(wide.Major, t => Assert.Equal(Math.Round(t.Position), t.Position));
        Assert.Equal(["1e-12", "1e-9", "1e-6", "0.001", "1"], Labels(wide));
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10"], Labels(TickMarks.Log(-3.2, 1.3, 7)));
    }

    [Fact]
    public void Log_axis_within_a_factor_of_two_labels_round_values()
    {
        var narrow = TickMarks.Log(Math.Log10(0.98), Math.Log10(1.35), 7);
        Assert.Equal(["1.0", "1.1", "1.2", "1.3"], Labels(narrow));
        Assert.Equal(Math.Log10(1.1), narrow.Major[1].Position, 12);
    }

    private static ChartSpec Chart(double[] x, double[] y) => new()
    {
        Title = "t",
        XLabel = "x",
        YLabel = "y",
        Points = new Series("rows", x, y),
    };

    [Fact]
    public void Legend_goes_to_the_emptiest_corner()
    {
        // Rising data leave the upper left and lower right empty; the upper left comes first.
        double[] x = [.. Enumerable.Range(0, 50).Select(i => (double)i)];
        Assert.Equal(Alignment.UpperLeft, Corner(Chart(x, x)));
        // Falling data: upper right and lower left are empty.
        Assert.Equal(Alignment.UpperRight, Corner(Chart(x, [.. x.Select(v => -v)])));
        // Data along the top, with one low point at each end: a lower corner, the right one first.
        double[] top = [.. x.Select(v => v is 0 or 49 ? 0.0 : 1.0)];
        Assert.Equal(Alignment.LowerRight, Corner(Chart(x, top)));
    }

    private static Alignment Corner(ChartSpec spec) => Charts.EmptiestCorner(spec, Charts.Frame(spec));

    private static (List<string> Texts, List<double[]> Transforms, XElement Root) SvgTexts(string path)
    {
        XNamespace svg = "http://www.w3.org/2000/svg";
        var root = XDocument.Load(path).Root!;
        var texts = new List<string>();
        var transforms = new List<double[]>();
        foreach (var t in root.Descendants(svg + "text"))
        {
            texts.Add(string.Join(" ", t.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            var m = Numbers().Matches(t.Attribute("transform")?.Value ?? "");
            transforms.Add([.. m.Select(n => double.Parse(n.Value, CultureInfo.InvariantCulture))]);
        }

        return (texts, transforms, root);
    }

    [Fact]
    public void Tutorial_pictures_match_their_golden_text()
    {
        using var dir = new TempDir();
        var fit = Path.Combine(dir.Path, "fit.svg");
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("tutorial.csv"), "-o", fit).Code);
        Golden.Match("plot-tutorial-fit.txt", string.Join("\n", SvgTexts(fit).Texts) + "\n");

        var slow = Path.Combine(dir.Path, "alpha-0.01.csv");
        var fast = Path.Combine(dir.Path, "alpha-0.1.csv");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("tutorial.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "100", "--scale", "none", "-q", "--trace", slow).Code);
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("tutorial.csv"), "-m", "gd", "-a", "0.1", "--scale", "none", "-q", "--trace", fast).Code);
        var loss = Path.Combine(dir.Path, "loss.svg");
        Assert.Equal(0, Lsq.Run("plot", "--trace", slow, fast, "-o", loss).Code);
        Golden.Match("plot-tutorial-loss.txt", string.Join("\n", SvgTexts(loss).Texts) + "\n");
    }

    [Fact]
    public void A_larger_picture_is_the_same_picture_scaled()
    {
        // Before: --width 1600 --height 1200 kept 12-pixel text and 5-pixel points.
        using var dir = new TempDir();
        var small = Path.Combine(dir.Path, "small.svg");
        var large = Path.Combine(dir.Path, "large.svg");
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("tutorial.csv"), "-o", small).Code);
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("tutorial.csv"), "-o", large, "--width", "1600", "--height", "1200").Code);
        var (smallTexts, smallAt, _) = SvgTexts(small);
        var (largeTexts, largeAt, root) = SvgTexts(large);
        Assert.Equal("1600", root.Attribute("width")?.Value);
        Assert.Equal(smallTexts, largeTexts);
        for (int i = 0; i < smallAt.Count; i++)
        {
            // translate(x y) at 800×600 becomes matrix(2 0 0 2 2x 2y) at 1600×1200 (a rotated
            // label's matrix(0 -1 1 0 x y) becomes matrix(0 -2 2 0 2x 2y)).
            double[] small6 = smallAt[i].Length == 2 ? [1, 0, 0, 1, smallAt[i][0], smallAt[i][1]] : smallAt[i];
            Assert.Equal(6, largeAt[i].Length);
            for (int k = 0; k < 6; k++)
            {
                Assert.Equal(2 * small6[k], largeAt[i][k], 1);
            }
        }
    }

    [Fact]
    public void Scale_follows_the_smaller_ratio_and_has_a_floor() =>
        Assert.Equal([1f, 2f, 1.5f, 0.5f], [Charts.ScaleFactor(new PictureSpec(PictureFormat.Png, 800, 600)), Charts.ScaleFactor(new PictureSpec(PictureFormat.Png, 1600, 1200)), Charts.ScaleFactor(new PictureSpec(PictureFormat.Png, 1200, 2000)), Charts.ScaleFactor(new PictureSpec(PictureFormat.Png, 100, 100))]);

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Numbers();
}
