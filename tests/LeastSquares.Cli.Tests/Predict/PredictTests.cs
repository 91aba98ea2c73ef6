using System.Globalization;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq predict: streamed CSV out, columns by name, any saved model (its errors are in Errors/).</summary>
public sealed class PredictTests
{
    /// <summary>y = 1.5 + 2x, as a person might write it.</summary>
    private const string ModelOfX = """
        {"format":"lsq-model","version":1,"target":"y","predictors":["x"],"degree":1,"intercept":true,
         "terms":["(intercept)","x"],"coefficients":[1.5,2]}
        """;

    private static Lsq.Result Predict(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Models.YOnAB);
        var data = dir.File("data.csv", csv);
        return Lsq.Run(["predict", "--model", model, data, .. extra]);
    }

    [Fact]
    public void Sample_predictions_match_the_golden_file_and_the_coefficients()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "--save", model).Code);
        var r = Lsq.Run("predict", "--model", model, Lsq.Sample("linear.csv"));
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Golden.Match("predict-linear.csv", r.Out);

        var coefficients = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "csv").Out.Split('\n')[1..3]
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        foreach (var line in r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var f = line.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(coefficients[0] + (coefficients[1] * f[0]), f[2], 1e-12 * Math.Abs(f[2]));
        }
    }

    [Fact]
    public void Columns_are_found_by_name_in_any_order_and_extra_columns_pass_through()
    {
        var r = Predict("id,b,note,a\n7,4,hello,3\n8,0,,1\n");
        Assert.Equal(0, r.Code);
        // 1 + 2·3 − 0.5·4 = 5; 1 + 2·1 − 0 = 3
        Assert.Equal("id,b,note,a,prediction\n7,4,hello,3,5\n8,0,,1,3\n", r.Out);
    }

    [Fact]
    public void A_column_the_input_already_has_gets_a_unique_name_and_a_warning()
    {
        // Chained predicts: the second 'prediction' is 'prediction.1' (R's make.unique), readable by name again.
        var r = Predict("a,b,prediction\n3,4,9\n");
        Assert.Equal(0, r.Code);
        Assert.Equal("a,b,prediction,prediction.1\n3,4,9,5\n", r.Out);
        Assert.Contains("already has a column 'prediction': the new one is named 'prediction.1'", r.Err, StringComparison.Ordinal);
        using var dir = new TempDir();
        var again = Lsq.Run("fit", dir.File("p.csv", "a,prediction,prediction.1\n1,2,3\n2,3,5\n3,5,6\n4,4,9\n"), "-f", "csv");
        Assert.True(again.Code == 0, again.Err);
    }

    [Fact]
    public void A_version_2_model_file_still_predicts()
    {
        using var dir = new TempDir();
        var model = dir.File("v2.json", """
            {"format":"lsq-model","version":2,"target":"y","predictors":["a","b"],"degree":1,"intercept":true,
             "formula":"y ~ a + b","terms":["(intercept)","a","b"],"coefficients":[1,2,-0.5],"method":"normal","converged":true}
            """);
        var r = Lsq.Run("predict", "--model", model, dir.File("data.csv", "a,b\n3,4\n0.1,0.2\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("a,b,prediction\n3,4,5\n0.1,0.2,1.1\n", r.Out);
    }

    [Fact]
    public void Saved_model_is_version_3_with_sigma_df_and_the_unscaled_covariance_of_the_fit()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", Lsq.Sample("multi.csv"), "--save", path, "--summary", "-f", "json");
        Assert.Equal(0, fit.Code);
        using var summary = System.Text.Json.JsonDocument.Parse(fit.Out);
        var saved = ModelFile.Read(path);
        Assert.Equal(3, saved.Version);
        Assert.False(saved.Penalized);
        Assert.Equal(summary.RootElement.GetProperty("residual_std_error").GetDouble(), saved.Sigma);
        Assert.Equal(summary.RootElement.GetProperty("df_residual").GetInt64(), saved.ResidualDegreesOfFreedom);

        // σ̂²·(XᵀX)⁻¹ is the covariance of the estimates: its diagonal gives the standard errors printed.
        var se = summary.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("std_error").GetDouble()).ToArray();
        var cov = saved.UnscaledCovariance!;
        Assert.Equal(se.Length, cov.GetLength(0));
        for (int j = 0; j < se.Length; j++)
        {
            Assert.Equal(se[j], saved.Sigma!.Value * Math.Sqrt(cov[j, j]), 1e-12 * se[j]);
        }

        // Read back, written again: the same text (the numbers round-trip).
        Assert.Equal(File.ReadAllText(path), ModelFile.ToJson(saved));
    }

    [Fact]
    public void Only_writes_just_the_predictions()
    {
        var r = Predict("a,b\n3,4\n0.1,0.2\n", "--only");
        Assert.Equal(0, r.Code);
        Assert.Equal("prediction\n5\n1.1\n", r.Out);
    }

    [Fact]
    public void Fields_are_quoted_as_RFC_4180_requires()
    {
        var r = Predict("a,b,text\n3,4,\"say \"\"hi\"\", then, go\"\n3,4,\"two\nlines\"\n");
        Assert.Equal(0, r.Code);
        Assert.Equal("a,b,text,prediction\n3,4,\"say \"\"hi\"\", then, go\",5\n3,4,\"two\nlines\",5\n", r.Out);
    }

    [Fact]
    public void Numbers_are_in_shortest_round_trip_form()
    {
        var r = Predict("a,b\n0.1,0\n1e200,0\n", "--only");
        // 1 + 2·0.1 rounds to the double nearest 1.2; 2·1e200 is 2e200
        Assert.Equal("prediction\n1.2\n2e+200\n", r.Out);
    }

    [Fact]
    public void Without_a_header_columns_are_V1_V2_and_no_header_is_written()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.YOnAB.Replace("\"a\"", "\"V2\"", StringComparison.Ordinal).Replace("\"b\"", "\"V1\"", StringComparison.Ordinal));
        var r = Lsq.Run("predict", "--model", model, "--no-header", dir.File("d.csv", "4,3\n0,1\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("4,3,5\n0,1,3\n", r.Out);
    }

    [Fact]
    public void Polynomial_model_computes_the_powers()
    {
        using var dir = new TempDir();
        var data = dir.File("q.csv", "x,y\n0,1\n1,2.5\n2,6\n3,11.5\n4,19\n");
        var model = Path.Combine(dir.Path, "q.json");
        Assert.Equal(0, Lsq.Run("fit", data, "--degree", "2", "--save", model).Code);
        // The data are exactly y = 1 + 0.5x + x²; at x = 10 that is 106.
        var r = Lsq.Run("predict", "--model", model, "--only", dir.File("new.csv", "x\n10\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal(106, double.Parse(r.Out.Split('\n')[1], CultureInfo.InvariantCulture), 1e-9);
    }

    [Fact]
    public void Model_from_a_run_that_did_not_converge_warns_unless_quiet()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.YOnAB.Replace("[1,2,-0.5]}", "[1,2,-0.5],\"converged\":false}", StringComparison.Ordinal));
        var data = dir.File("d.csv", "a,b\n3,4\n");
        var loud = Lsq.Run("predict", "--model", model, data);
        Assert.Equal(0, loud.Code);
        Assert.StartsWith("lsq: warning: the model in ", loud.Err, StringComparison.Ordinal);
        var quiet = Lsq.Run("predict", "--model", model, "-q", data);
        Assert.Equal("", quiet.Err);
        Assert.Equal(loud.Out, quiet.Out);
    }

    [Fact]
    public void Many_rows_stream_through()
    {
        var csv = new System.Text.StringBuilder("a,b\n");
        for (int i = 0; i < 200_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{2 * i}\n");
        }

        var r = Predict(csv.ToString(), "--only");
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200_001, lines.Length);
        Assert.Equal("1", lines[1]); // 1 + 2·0 − 0.5·0
        Assert.Equal("200000", lines[^1]); // 1 + 2·199999 − 0.5·399998
    }

    [Fact]
    public void Valid_hand_written_model_is_accepted()
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", ModelOfX);
        var r = Lsq.Run("predict", "--model", model, "--only", dir.File("d.csv", "x\n2\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("prediction\n5.5\n", r.Out);
    }

    [Fact]
    public void Model_file_with_a_byte_order_mark_is_read()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bom.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(ModelOfX)]);
        Assert.Equal([1.5, 2.0], ModelFile.Read(path).Coefficients);
    }

    [Fact]
    public void A_header_without_rows_gives_the_header_and_exit_0()
    {
        // Before: the header, then exit 2 "the input has a header but no data rows". Now as mlr and xsv.
        var empty = Predict("a,b\n");
        Assert.Equal(0, empty.Code);
        Assert.Equal("", empty.Err);
        Assert.Equal("a,b,prediction\n", empty.Out);
        using var dir = new TempDir();
        var only = Lsq.RunWithInput("id,a,b\n", "predict", "--model", dir.File("model.json", Models.YOnAB), "--only");
        Assert.Equal(0, only.Code);
        Assert.Equal("prediction\n", only.Out);
    }
}
