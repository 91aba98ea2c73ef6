using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Plotting;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq plot end to end: the files it writes, their size and text (its errors are in Errors/).</summary>
public sealed class PlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Width and height from a PNG's IHDR chunk, after checking the signature.</summary>
    internal static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 33, "the file is too short to be a PNG");
        Assert.Equal(signature, png[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4)); // the first chunk, 13 bytes long
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>The SVG's root and every text it draws, whitespace trimmed.</summary>
    internal static (XElement Root, List<string> Texts) ReadSvg(string path)
    {
        var root = XDocument.Load(path).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        var texts = root.Descendants(Svg + "text").Select(t => string.Join(" ", t.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        return (root, texts);
    }

    [Theory]
    [InlineData("fit.png", 800, 600)]
    [InlineData("fit.PNG", 640, 480)]
    [InlineData("wide.png", 1200, 300)]
    public void Png_has_the_requested_size(string name, int width, int height)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, name);
        string[] size = width == 800 && height == 600 ? [] : ["--width", $"{width}", "--height", $"{height}"];
        var r = Lsq.Run(["plot", Lsq.Sample("linear.csv"), "-o", path, .. size]);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal("", r.Err);
        Assert.Equal((width, height), PngSize(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Svg_of_one_predictor_has_axis_labels_title_and_legend()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "fit.svg");
        var r = Lsq.Run("plot", Lsq.Sample("timestamps.csv"), "-o", path, "--width", "900", "--height", "500");
        Assert.Equal(0, r.Code);
        var (root, texts) = ReadSvg(path);
        Assert.Equal("900", root.Attribute("width")?.Value);
        Assert.Equal("500", root.Attribute("height")?.Value);
        Assert.Contains("timestamp", texts);
        Assert.Contains("temperature", texts);
        Assert.Contains("fitted line", texts);
        Assert.Contains("rows (500)", texts);
        Assert.Contains(texts, t => t.StartsWith("temperature ~ timestamp (normal equations, R² = 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_predictors_draw_actual_against_fitted_and_the_residuals()
    {
        using var dir = new TempDir();
        var fit = Path.Combine(dir.Path, "fit.svg");
        var residuals = Path.Combine(dir.Path, "residuals.svg");
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("multi.csv"), "-o", fit).Code);
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("multi.csv"), "--kind", "residuals", "-x", "x1,x2", "-o", residuals).Code);

        var (_, fitTexts) = ReadSvg(fit);
        Assert.Contains("fitted y", fitTexts);
        Assert.Contains("y", fitTexts);
        Assert.Contains("actual = fitted", fitTexts);
        Assert.Contains(fitTexts, t => t.StartsWith("y ~ x1 + x2 + x3 (normal equations, R² = 0.99", StringComparison.Ordinal));

        var (_, resTexts) = ReadSvg(residuals);
        Assert.Contains("fitted y", resTexts);
        Assert.Contains("residual (y − fitted)", resTexts);
        Assert.Contains("zero", resTexts);
        Assert.Contains(resTexts, t => t.StartsWith("Residuals of y ~ x1 + x2 (normal equations", StringComparison.Ordinal));
    }

    [Fact]
    public void Polynomial_fit_is_drawn_as_a_smooth_curve_of_the_fitted_coefficients()
    {
        // y = 1 - 2x + 0.5x^2 exactly: the curve must pass through the polynomial at every grid point.
        using var dir = new TempDir();
        var csv = new StringBuilder("x,y\n");
        for (int i = 0; i <= 40; i++)
        {
            double x = -3 + (0.25 * i);
            csv.Append(CultureInfo.InvariantCulture, $"{x},{1 - (2 * x) + (0.5 * x * x)}\n");
        }

        var file = dir.File("poly.csv", csv.ToString());
        var spec = PlotCommand.DataChart(new PlotSettings { File = file, Model = new(null, null, 2, true) }, Context());
        var curve = Assert.Single(spec.Lines);
        Assert.True(curve.X.Length >= 100, "a polynomial needs many points to look smooth");
        Assert.Equal(-3, curve.X[0]);
        Assert.Equal(7, curve.X[^1]);
        for (int i = 0; i < curve.X.Length; i++)
        {
            double x = curve.X[i];
            Assert.Equal(1 - (2 * x) + (0.5 * x * x), curve.Y[i], 1e-9);
        }

        Assert.Equal("fitted polynomial (degree 2)", curve.Label);
        Assert.Equal(41, spec.Points!.X.Length);
    }

    [Fact]
    public void Large_input_draws_a_bounded_sample_but_fits_every_row()
    {
        using var dir = new TempDir();
        var random = new Random(3);
        var csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 30_000; i++)
        {
            double x = random.NextDouble() * 10;
            csv.Append(CultureInfo.InvariantCulture, $"{x:R},{(2 + (0.5 * x) + random.NextDouble()):R}\n");
        }

        var file = dir.File("big.csv", csv.ToString());
        var spec = PlotCommand.DataChart(new PlotSettings { File = file, MaxPoints = 1000 }, Context());
        Assert.Equal(1000, spec.Points!.X.Length);
        Assert.Equal("rows: a random 1,000 of 30,000", spec.Points.Label);

        // The line is the fit of all 30,000 rows, as lsq fit computes it.
        var coefficients = Lsq.Run("fit", file, "-f", "csv").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var line = Assert.Single(spec.Lines);
        for (int i = 0; i < line.X.Length; i++)
        {
            Assert.Equal(coefficients[0] + (coefficients[1] * line.X[i]), line.Y[i], 1e-12);
        }

        // Another seed draws other rows; the same seed the same ones.
        var again = PlotCommand.DataChart(new PlotSettings { File = file, MaxPoints = 1000 }, Context());
        var other = PlotCommand.DataChart(new PlotSettings { File = file, MaxPoints = 1000, Seed = 2 }, Context());
        Assert.Equal(spec.Points.X, again.Points!.X);
        Assert.NotEqual(spec.Points.X, other.Points!.X);
    }

    [Fact]
    public void Standard_input_works_like_a_file()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "stdin.png");
        var r = Lsq.RunWithInput(File.ReadAllText(Lsq.Sample("linear.csv")), "plot", "-o", path);
        Assert.Equal(0, r.Code);
        Assert.Equal((800, 600), PngSize(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Loss_curves_of_several_traces_are_overlaid_with_their_file_names()
    {
        using var dir = new TempDir();
        var slow = Path.Combine(dir.Path, "alpha-0.01.csv");
        var fast = Path.Combine(dir.Path, "auto.csv");
        var momentum = Path.Combine(dir.Path, "momentum.csv");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--scale", "none", "--max-iter", "300", "-q", "--trace", slow).Code);
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "--trace", fast).Code);
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--scale", "none", "--optimizer", "momentum", "--max-iter", "300", "-q", "--trace", momentum).Code);

        var svg = Path.Combine(dir.Path, "loss.svg");
        var r = Lsq.Run("plot", "--trace", slow, fast, "--trace", momentum, "-o", svg);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        var (root, texts) = ReadSvg(svg);
        Assert.Equal("800", root.Attribute("width")?.Value);
        Assert.Equal("600", root.Attribute("height")?.Value);
        Assert.Contains("alpha-0.01.csv", texts);
        Assert.Contains("auto.csv", texts);
        Assert.Contains("momentum.csv", texts);
        Assert.Contains("iteration", texts);
        Assert.Contains("loss (MSE, log scale)", texts);
        Assert.Contains("10", texts); // a decade tick of the log axis: the losses run from about 50 to 1.2

        var png = Path.Combine(dir.Path, "loss.png");
        Assert.Equal(0, Lsq.Run("plot", "--trace", slow, "-o", png, "--width", "500", "--height", "400").Code);
        Assert.Equal((500, 400), PngSize(File.ReadAllBytes(png)));
    }

    [Fact]
    public void Loss_chart_plots_log_scale_values_and_leaves_out_zero_losses_with_a_warning()
    {
        using var dir = new TempDir();
        var trace = dir.File("t.csv", "iteration,loss,gradient_norm,step\n0,100,1,0.1\n1,10,1,0.1\n2,0,0,0.1\n");
        var stderr = new StringWriter();
        var spec = PlotCommand.LossChart(new PlotSettings { Traces = [trace] }, Context(stderr));
        Assert.True(spec.LogY);
        var line = Assert.Single(spec.Lines);
        Assert.Equal([0.0, 1.0], line.X);
        Assert.Equal([100.0, 10.0], line.Y);
        Assert.Contains("t.csv: 1 iteration with loss 0 cannot be shown on the log scale", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Traces_with_the_same_file_name_are_told_apart_by_their_paths() =>
        Assert.Equal(["a/trace.csv", "b/trace.csv", "other.csv"], PlotCommand.LegendNames(["a/trace.csv", "b/trace.csv", "c/other.csv"]));

    [Fact]
    public void Tick_labels_are_culture_invariant()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            using var dir = new TempDir();
            var path = Path.Combine(dir.Path, "fit.svg");
            Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("linear.csv"), "-o", path).Code);
            var (_, texts) = ReadSvg(path);
            Assert.Contains("0.5", texts);
            Assert.DoesNotContain(texts, t => t.Contains("0,", StringComparison.Ordinal));
            Assert.Equal("2.5e-7", TickMarks.Label(2.5e-7, 5e-8, [2.5e-7]));
            Assert.Equal("1700000000", TickMarks.Label(1.7e9, 1e7, [1.7e9]));
            Assert.Equal("1e-8", TickMarks.Decade(-8));
            Assert.Equal("0.001", TickMarks.Decade(-3));
            Assert.Equal("3.16", TickMarks.Value(3.16));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Fit_options_are_kept_unchanged_by_plot()
    {
        var before = Lsq.Run("fit", Lsq.Sample("multi.csv"), "-f", "json");
        using var dir = new TempDir();
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("multi.csv"), "-o", Path.Combine(dir.Path, "p.png")).Code);
        Assert.Equal(before, Lsq.Run("fit", Lsq.Sample("multi.csv"), "-f", "json"));
    }

    [Fact]
    public void Big_file_is_read_in_parts_with_the_same_picture_on_any_number_of_threads()
    {
        using var dir = new TempDir();
        var random = new Random(4);
        var csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 30_000; i++)
        {
            double x = random.NextDouble() * 10;
            csv.Append(CultureInfo.InvariantCulture, $"{x:R},{(2 + (0.5 * x) + random.NextDouble()):R}\n");
        }

        var file = dir.File("big.csv", csv.ToString());
        ChartSpec Chart(int threads) => PlotCommand.DataChart(new PlotSettings { File = file, MaxPoints = 1000 },
            Context() with { Parallel = new LeastSquares.Cli.Input.ParallelSettings { Threads = threads, MinBytes = 0, PartBytes = 64 << 10 } });
        var one = Chart(1);
        var three = Chart(3);
        Assert.Equal("rows: a random 1,000 of 30,000", three.Points!.Label);
        Assert.Equal(one.Points!.X, three.Points.X);
        Assert.Equal(one.Points.Y, three.Points.Y);
        Assert.Equal(1000, three.Points.X.Distinct().Count());

        // The line is the fit of every row, and spans the range of x of every part.
        var sequential = PlotCommand.DataChart(new PlotSettings { File = file, MaxPoints = 1000 }, Context());
        var line = Assert.Single(three.Lines);
        var expected = Assert.Single(sequential.Lines);
        Assert.Equal(expected.X, line.X);
        for (int i = 0; i < line.Y.Length; i++)
        {
            Assert.Equal(expected.Y[i], line.Y[i], 1e-11);
        }
    }

    private static CliContext Context(TextWriter? stderr = null) =>
        new(TextWriter.Null, stderr ?? TextWriter.Null, () => new MemoryStream());
}
