using System.Globalization;
using System.Text;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq plot --model: a saved model drawn against data without refitting; plot -m qr.</summary>
public sealed class PlotModelTests
{
    /// <summary>
    /// 300 rows of y = 1 + 0.5x + 0.3x² plus seeded noise, x from 5 to 34.9 (not starting at 0, so that the polynomial moments are centred away from 0); the columns are in the
    /// order target, an unused column, predictor, to show they are found by name.
    /// </summary>
    private static (string Path, double[] X, double[] Y) Data(TempDir dir)
    {
        var random = new Random(7);
        var x = Enumerable.Range(0, 300).Select(i => 5 + (i * 0.1)).ToArray();
        var y = x.Select(v => 1 + (0.5 * v) + (0.3 * v * v) + random.NextDouble()).ToArray();
        var csv = new StringBuilder("y,note,x\n");
        for (int i = 0; i < x.Length; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{y[i]:R},row{i},{x[i]:R}\n");
        }

        return (dir.File("data.csv", csv.ToString()), x, y);
    }

    private static string SaveModel(TempDir dir, ModelTerms terms, double[] coefficients, string? method = "normal", bool? converged = true)
    {
        var path = Path.Combine(dir.Path, "model.json");
        ModelFile.Write(path, new SavedModel { Terms = terms, Coefficients = coefficients, Method = method, Converged = converged });
        return path;
    }

    /// <summary>R² computed directly from the rows, as the textbook states it: 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (Σy² without an intercept).</summary>
    private static double DirectRSquared(double[] x, double[] y, Func<double, double> predict, bool intercept)
    {
        double mean = intercept ? y.Average() : 0;
        double sse = 0, sst = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sse += Math.Pow(y[i] - predict(x[i]), 2);
            sst += Math.Pow(y[i] - mean, 2);
        }

        return 1 - (sse / sst);
    }

    private static double Polynomial(double[] c, bool intercept, double x)
    {
        double sum = 0;
        int first = intercept ? 1 : 0;
        for (int j = first; j < c.Length; j++)
        {
            sum += c[j] * Math.Pow(x, j - first + 1);
        }

        return sum + (intercept ? c[0] : 0);
    }

    private static CliContext Context(TextWriter? stderr = null) =>
        new(TextWriter.Null, stderr ?? TextWriter.Null, () => new MemoryStream());

    [Theory]
    [InlineData(1, true, new[] { 40.0, -2.0 }, "saved model's line")]
    [InlineData(2, true, new[] { 5.0, 1.0, 0.25 }, "saved model's polynomial (degree 2)")]
    [InlineData(1, false, new[] { 7.5 }, "saved model's line")]
    [InlineData(3, false, new[] { 2.0, 0.1, 0.001 }, "saved model's polynomial (degree 3)")]
    public void Saved_model_is_drawn_with_its_own_coefficients_not_refitted(int degree, bool intercept, double[] coefficients, string label)
    {
        using var dir = new TempDir();
        var (data, x, y) = Data(dir);
        var model = SaveModel(dir, new ModelTerms(["x"], "y", degree, intercept), coefficients);

        var spec = PlotCommand.DataChart(new PlotSettings { File = data, ModelPath = model }, Context());

        var curve = Assert.Single(spec.Lines);
        Assert.Equal(label, curve.Label);
        Assert.Equal(5, curve.X[0]);
        Assert.Equal(34.9, curve.X[^1], 1e-12);
        for (int i = 0; i < curve.X.Length; i++)
        {
            Assert.Equal(Polynomial(coefficients, intercept, curve.X[i]), curve.Y[i], 1e-9);
        }

        // The data's own fit of the same terms is far from these coefficients, so a refit would fail the loop above.
        var own = PlotCommand.DataChart(new PlotSettings { File = data, Model = new("y", ["x"], degree, intercept) }, Context());
        Assert.True(Math.Abs(own.Lines[0].Y[^1] - curve.Y[^1]) > 1, "the test model must differ from the data's fit");

        Assert.Equal(x, spec.Points!.X);
        Assert.Equal(y, spec.Points.Y);
        Assert.Equal("x", spec.XLabel);
        Assert.Equal("y", spec.YLabel);
        var r2 = DirectRSquared(x, y, v => Polynomial(coefficients, intercept, v), intercept);
        Assert.EndsWith($"(normal equations; R² on this data = {r2.ToString("0.####", CultureInfo.InvariantCulture)})", spec.Title, StringComparison.Ordinal);
        Assert.StartsWith("saved model model.json: y ~ ", spec.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_model_svg_names_the_model_its_method_and_the_r_squared_on_this_data()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "linear.json");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "--save", model).Code);
        var svg = Path.Combine(dir.Path, "fit.svg");

        var r = Lsq.Run("plot", Lsq.Sample("linear.csv"), "--model", model, "-o", svg);

        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal("", r.Err);
        var (_, texts) = PlotTests.ReadSvg(svg);
        Assert.Contains("x", texts);
        Assert.Contains("y", texts);
        Assert.Contains("rows (100)", texts);
        Assert.Contains("saved model's line", texts);
        // On the data it was fitted to, the R² is the one the model file records (0.730795442407072).
        Assert.Contains("saved model linear.json: y ~ x (normal equations; R² on this data = 0.7308)", texts);
    }

    [Fact]
    public void Several_predictors_draw_actual_against_predicted_and_the_residuals()
    {
        using var dir = new TempDir();
        // Deliberately not the data's fit: y ≈ 2x1 + 3x2 + 0.01x3 in multi.csv, whatever it is exactly.
        double[] c = [1, 2, -1, 0.02];
        var model = SaveModel(dir, new ModelTerms(["x1", "x2", "x3"], "y"), c, method: "gd");
        var rows = File.ReadAllLines(Lsq.Sample("multi.csv")).Skip(1)
            .Select(l => l.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var predicted = rows.Select(r => c[0] + (c[1] * r[0]) + (c[2] * r[1]) + (c[3] * r[2])).ToArray();

        var fit = PlotCommand.DataChart(new PlotSettings { File = Lsq.Sample("multi.csv"), ModelPath = model }, Context());
        Assert.Equal("predicted y", fit.XLabel);
        Assert.Equal("y", fit.YLabel);
        Assert.Equal("actual = predicted", Assert.Single(fit.Lines).Label);
        Assert.StartsWith("saved model model.json: y ~ x1 + x2 + x3   (batch gradient descent; R² on this data = ", fit.Title, StringComparison.Ordinal);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(predicted[i], fit.Points!.X[i], 1e-9);
            Assert.Equal(rows[i][3], fit.Points.Y[i]);
        }

        var residuals = PlotCommand.DataChart(new PlotSettings { File = Lsq.Sample("multi.csv"), ModelPath = model, Kind = PlotKind.Residuals }, Context());
        Assert.Equal("residual (y − predicted)", residuals.YLabel);
        Assert.StartsWith("Residuals of saved model model.json: ", residuals.Title, StringComparison.Ordinal);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i][3] - predicted[i], residuals.Points!.Y[i], 1e-9);
        }

        using var svgDir = new TempDir();
        var svg = Path.Combine(svgDir.Path, "res.svg");
        Assert.Equal(0, Lsq.Run("plot", Lsq.Sample("multi.csv"), "--model", model, "--kind", "residuals", "-o", svg).Code);
        var (_, texts) = PlotTests.ReadSvg(svg);
        Assert.Contains("predicted y", texts);
        Assert.Contains("residual (y − predicted)", texts);
    }

    [Fact]
    public void Saved_model_draws_a_bounded_sample_but_scores_every_row()
    {
        using var dir = new TempDir();
        var (data, x, y) = Data(dir);
        double[] c = [3, 9];
        var model = SaveModel(dir, new ModelTerms(["x"], "y"), c);

        var spec = PlotCommand.DataChart(new PlotSettings { File = data, ModelPath = model, MaxPoints = 50 }, Context());

        Assert.Equal(50, spec.Points!.X.Length);
        Assert.Equal("rows: a random 50 of 300", spec.Points.Label);
        var r2 = DirectRSquared(x, y, v => c[0] + (c[1] * v), intercept: true);
        Assert.Contains($"R² on this data = {r2.ToString("0.####", CultureInfo.InvariantCulture)})", spec.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Unconverged_model_is_drawn_with_a_warning_and_an_unrecorded_method_is_said_so()
    {
        using var dir = new TempDir();
        var (data, _, _) = Data(dir);
        var model = SaveModel(dir, new ModelTerms(["x"], "y"), [1, 1], method: null, converged: false);
        var stderr = new StringWriter();

        var spec = PlotCommand.DataChart(new PlotSettings { File = data, ModelPath = model }, Context(stderr));

        Assert.Contains("(method not recorded; R² on this data = ", spec.Title, StringComparison.Ordinal);
        Assert.Equal($"lsq: warning: the model in {model} comes from a gradient-descent run that did not converge; its predictions are not the least-squares ones. Refit with more --max-iter or --method normal.\n",
            stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Qr_method_draws_the_same_line_as_the_normal_equations()
    {
        using var dir = new TempDir();
        var (data, _, _) = Data(dir);
        var model = new ModelSpec("y", ["x"], 2, true);
        var qr = PlotCommand.DataChart(new PlotSettings { File = data, Model = model, Solver = new SolverOptions { Method = FitMethod.Qr } }, Context());
        var normal = PlotCommand.DataChart(new PlotSettings { File = data, Model = model }, Context());
        Assert.StartsWith("y ~ poly(x, 2)   (QR factorisation, R² = ", qr.Title, StringComparison.Ordinal);
        Assert.Equal(normal.Lines[0].X, qr.Lines[0].X);
        for (int i = 0; i < qr.Lines[0].X.Length; i++)
        {
            Assert.Equal(normal.Lines[0].Y[i], qr.Lines[0].Y[i], 1e-9);
        }

        var svg = Path.Combine(dir.Path, "qr.svg");
        var r = Lsq.Run("plot", Lsq.Sample("linear.csv"), "-m", "qr", "-o", svg);
        Assert.Equal(0, r.Code);
        Assert.Contains(PlotTests.ReadSvg(svg).Texts, t => t.StartsWith("y ~ x (QR factorisation, R² = 0.7308", StringComparison.Ordinal));
    }
}
