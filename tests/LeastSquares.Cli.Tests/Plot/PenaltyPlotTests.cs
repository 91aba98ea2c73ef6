using System.Globalization;
using System.Text.Json;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq plot --kind path and cv (glmnet's plot(fit) and plot(cv.glmnet)): the picture shows the same
/// path and cross-validation that lsq fit --lambda auto reports, and --excess-loss of loss curves.
/// </summary>
public sealed class PenaltyPlotTests
{
    private static string Diabetes => Path.Combine(Lsq.RepoRoot, "tests", "reference", "sklearn", "diabetes.csv");

    private static CliContext Context() => new(TextWriter.Null, TextWriter.Null, () => new MemoryStream());

    private static PlotSettings Settings(PlotKind kind) => new()
    {
        File = Diabetes,
        Model = new ModelSpec("y", null, 1, true),
        Kind = kind,
        Penalty = new PenaltySettings(1, null, true, new LeastSquares.Solvers.PathOptions(), Defaults.Folds, Defaults.Seed, null),
    };

    /// <summary>lsq fit's own report of the same cross-validation: the --path CSV rows and the JSON's chosen λ.</summary>
    private static (List<double[]> Rows, string[] Header, double Lambda, double Lambda1se) FitReport()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "path.csv");
        var r = Lsq.Run("fit", Diabetes, "-y", "y", "--penalty", "lasso", "--lambda", "auto", "--path", path, "--format", "json");
        Assert.Equal(0, r.Code);
        var json = JsonDocument.Parse(r.Out).RootElement;
        var lines = File.ReadAllLines(path);
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (rows, lines[0].Split(','), json.GetProperty("lambda").GetDouble(), json.GetProperty("lambda_1se").GetDouble());
    }

    [Fact]
    public void Path_draws_each_coefficient_of_lsq_fits_path_against_lambda()
    {
        var (rows, header, lambda, lambda1se) = FitReport();
        var spec = PlotCommand.PenaltyChart(Settings(PlotKind.Path), Context());
        Assert.True(spec.LogX);
        string[] predictors = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];
        Assert.Equal(predictors, spec.Lines.Select(l => l.Label));
        foreach (var line in spec.Lines)
        {
            int column = Array.IndexOf(header, line.Label);
            Assert.Equal(rows.Select(r => r[0]), line.X);
            Assert.Equal(rows.Select(r => r[column]), line.Y);
        }

        Assert.Equal(predictors, spec.Labels.Select(l => l.Text));
        Assert.Equal([lambda, lambda1se], spec.VerticalLines.Select(v => v.X));
        Assert.StartsWith("λ min = ", spec.VerticalLines[0].Label, StringComparison.Ordinal);
        Assert.StartsWith("λ 1se = ", spec.VerticalLines[1].Label, StringComparison.Ordinal);
        // At λmax every slope is zero: the path starts where glmnet's does.
        Assert.All(spec.Lines, l => Assert.Equal(0, l.Y[0]));
    }

    [Fact]
    public void Cv_draws_cv_mse_with_its_standard_error_and_both_chosen_lambdas()
    {
        var (rows, _, lambda, lambda1se) = FitReport();
        var spec = PlotCommand.PenaltyChart(Settings(PlotKind.Cv), Context());
        Assert.True(spec.LogX);
        Assert.Equal(rows.Select(r => r[0]), spec.Points!.X);
        Assert.Equal(rows.Select(r => r[2]), spec.Points.Y);
        Assert.Equal(rows.Select(r => r[3]), spec.ErrorBars!);
        Assert.Equal([lambda, lambda1se], spec.VerticalLines.Select(v => v.X));
        Assert.StartsWith("10-fold cross-validation of the lasso path", spec.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path")]
    [InlineData("cv")]
    public void Path_and_cv_svg_texts(string kind)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, kind + ".svg");
        var r = Lsq.Run("plot", Diabetes, "-y", "y", "--penalty", "lasso", "--lambda", "auto", "--kind", kind, "-o", path);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Golden.Match($"plot-diabetes-{kind}.txt", string.Join("\n", PlotTests.ReadSvg(path).Texts) + "\n");
    }

    [Fact]
    public void Excess_loss_draws_the_loss_less_the_least_loss_of_the_traces()
    {
        using var dir = new TempDir();
        var slow = Path.Combine(dir.Path, "slow.csv");
        var fast = Path.Combine(dir.Path, "fast.csv");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("tutorial.csv"), "-m", "gd", "--alpha", "0.01", "--trace", slow).Code);
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("tutorial.csv"), "-m", "gd", "--alpha", "0.1", "--trace", fast).Code);
        var plain = PlotCommand.LossChart(new PlotSettings { Traces = [slow, fast] }, Context());
        var excess = PlotCommand.LossChart(new PlotSettings { Traces = [slow, fast], ExcessLoss = true }, Context());
        double least = plain.Lines.SelectMany(l => l.Y).Min();
        Assert.True(excess.LogY);
        Assert.StartsWith("loss − " + least.ToString("G6", CultureInfo.InvariantCulture), excess.YLabel, StringComparison.Ordinal);
        for (int t = 0; t < 2; t++)
        {
            // Every point but those at the least loss itself (0 has no place on a log axis).
            var kept = plain.Lines[t].Y.Select((y, i) => (y, i)).Where(p => p.y > least).ToArray();
            Assert.Equal(kept.Select(p => plain.Lines[t].X[p.i]), excess.Lines[t].X);
            Assert.Equal(kept.Select(p => p.y - least), excess.Lines[t].Y);
        }

        // The plain curve is flat within 1e-9 of its end for hundreds of iterations; less its least, it falls by ten decades.
        Assert.True(excess.Lines[0].Y[0] / excess.Lines[0].Y[^1] > 1e10);
    }
}
