using System.Globalization;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq predict on rows with a missing predictor: by default the run stops at the row (naming
/// --missing na); with <c>--missing na</c> the row's prediction is NA, as R's
/// <c>predict(m, airquality)</c> gives it, every other row as without the option, and stderr
/// counts the NA rows — on one core and on many.
/// </summary>
public sealed class PredictMissingTests
{
    private static readonly string Airquality = Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", "airquality.csv");

    /// <summary>The model R fits as lm(Ozone ~ Solar.R + Wind, airquality), saved.</summary>
    private static string SaveModel(TempDir dir)
    {
        var model = Path.Combine(dir.Path, "aq.json");
        var fit = Lsq.Run("fit", Airquality, "Ozone ~ Solar.R + Wind", "--missing", "skip", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        return model;
    }

    /// <summary>The file's rows as fields (no quoted commas in airquality).</summary>
    private static string[][] Rows(string text) =>
        [.. text.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(','))];

    [Fact]
    public void By_default_a_missing_predictor_stops_the_run_and_names_the_option()
    {
        using var dir = new TempDir();
        var r = Lsq.Run("predict", "--model", SaveModel(dir), Airquality, "--only");
        Assert.Equal(2, r.Code);
        Assert.Contains("airquality.csv:6:3: column 'Solar.R' is missing ('NA')", r.Err, StringComparison.Ordinal);
        Assert.Contains("--missing na", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Missing_na_writes_NA_where_a_predictor_is_missing_and_the_rest_as_before(int threads)
    {
        using var dir = new TempDir();
        var model = SaveModel(dir);
        var data = Rows(File.ReadAllText(Airquality));
        // The complete rows alone, predicted as usual: what each of them must get with --missing na.
        var header = File.ReadLines(Airquality).First();
        var complete = dir.File("complete.csv", header + "\n" + string.Join("\n", data.Where(f => f[2] != "NA" && f[3] != "NA").Select(f => string.Join(',', f))) + "\n");
        var plain = Rows(Lsq.Run("predict", "--model", model, complete, "--only", "--interval", "prediction").Out);

        var r = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = threads, MinBytes = 0, PartBytes = 512 } },
            "predict", "--model", model, Airquality, "--only", "--interval", "prediction", "--missing", "na");
        Assert.True(r.Code == 0, r.Err);
        var got = Rows(r.Out);
        Assert.Equal(data.Length, got.Length); // row for row, as R's predict(m, newdata)
        int missing = 0, k = 0;
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(data[i][0].Trim('"'), got[i][0]); // the row names (quoted in the file)
            if (data[i][2] == "NA" || data[i][3] == "NA")
            {
                missing++;
                Assert.Equal(["NA", "NA", "NA"], got[i][1..]);
            }
            else
            {
                Assert.Equal(plain[k++], got[i]);
            }
        }

        Assert.Equal(7, missing); // Solar.R is NA on 7 of the 153 days, Wind never
        Assert.Contains($"{missing.ToString(CultureInfo.InvariantCulture)} rows of", r.Err, StringComparison.Ordinal);
        Assert.Contains("NA", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_target_gives_the_prediction_and_NA_diagnostics()
    {
        using var dir = new TempDir();
        var r = Lsq.Run("predict", "--model", SaveModel(dir), Airquality, "--only", "--diagnostics", "--missing", "na", "-q");
        Assert.True(r.Code == 0, r.Err);
        var got = Rows(r.Out);
        var data = Rows(File.ReadAllText(Airquality));
        int row = Array.FindIndex(data, f => f[1] == "NA" && f[2] != "NA"); // Ozone missing, Solar.R present
        Assert.True(double.IsFinite(double.Parse(got[row][1], CultureInfo.InvariantCulture)));
        Assert.Equal(["NA", "NA", "NA", "NA"], got[row][2..]);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void Missing_skip_is_not_offered_because_predict_keeps_every_row()
    {
        using var dir = new TempDir();
        var r = Lsq.Run("predict", "--model", SaveModel(dir), Airquality, "--missing", "skip");
        Assert.Equal(1, r.Code);
        Assert.Contains("skip", r.Err, StringComparison.Ordinal);
    }
}
