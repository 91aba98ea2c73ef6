using System.Globalization;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq predict: streamed CSV out, columns by name, every error path.</summary>
public sealed class PredictCommandTests
{
    private const string Model = """
        {"format":"lsq-model","version":1,"target":"y","predictors":["a","b"],"degree":1,"intercept":true,
         "terms":["(intercept)","a","b"],"coefficients":[1,2,-0.5]}
        """;

    private static Lsq.Result Predict(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Model);
        var data = dir.File("data.csv", csv);
        return Lsq.Run(["predict", "--model", model, data, .. extra]);
    }

    [Fact]
    public void Help_is_stable_and_has_the_exit_codes()
    {
        var r = Lsq.Run("predict", "--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("Exit codes:\n  0    success", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("numerical", r.Out, StringComparison.Ordinal); // predict never exits 3
        Golden.Match("help-predict.txt", r.Out);
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
        var model = dir.File("m.json", Model.Replace("\"a\"", "\"V2\"", StringComparison.Ordinal).Replace("\"b\"", "\"V1\"", StringComparison.Ordinal));
        var r = Lsq.Run("predict", "--model", model, "--no-header", dir.File("d.csv", "4,3\n0,1\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("4,3,5\n0,1,3\n", r.Out);
        var named = Predict("4,3\n", "--no-header");
        Assert.Equal(2, named.Code);
        Assert.Contains("has no column 'a', which the model", named.Err, StringComparison.Ordinal);
        Assert.Contains("Without a header (--no-header) the columns are named V1, V2", named.Err, StringComparison.Ordinal);
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
    public void Missing_predictor_column_is_exit_2_naming_it()
    {
        var r = Predict("a,c\n1,2\n");
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Matches(@"^lsq: error: .*data\.csv has no column 'b', which the model .*model\.json uses as a predictor\. Its columns are: 'a', 'c'\. Give the file a column of that name", r.Err);
    }

    [Fact]
    public void Non_numeric_cell_is_exit_2_with_place_and_text()
    {
        var r = Predict("a,b\n1,2\n3,x7\n");
        Assert.Equal(2, r.Code);
        Assert.Matches(@"^lsq: error: .*data\.csv:3:2: column 'b' holds 'x7', which is not a number", r.Err);
    }

    [Fact]
    public void Empty_cell_is_exit_2_without_suggesting_an_option_predict_lacks()
    {
        var r = Predict("a,b\n1,\n");
        Assert.Equal(2, r.Code);
        Assert.Matches(@"data\.csv:2:2: column 'b' is empty\. Fill in the value, or remove the row\.\n$", r.Err);
    }

    [Fact]
    public void Ragged_row_is_an_input_error() => Assert.Equal(2, Predict("a,b\n1,2,3\n").Code);

    [Fact]
    public void A_header_without_rows_gives_the_header_and_exit_0()
    {
        // Before: the header, then exit 2 "the input has a header but no data rows". Now as mlr and xsv.
        var empty = Predict("a,b\n");
        Assert.Equal(0, empty.Code);
        Assert.Equal("", empty.Err);
        Assert.Equal("a,b,prediction\n", empty.Out);
        using var dir = new TempDir();
        var only = Lsq.RunWithInput("id,a,b\n", "predict", "--model", dir.File("model.json", Model), "--only");
        Assert.Equal(0, only.Code);
        Assert.Equal("prediction\n", only.Out);
    }

    [Fact]
    public void Model_option_is_required()
    {
        var r = Lsq.Run("predict", Lsq.Sample("linear.csv"));
        Assert.Equal(1, r.Code);
        Assert.Contains("--model", r.Err, StringComparison.Ordinal);
        Assert.EndsWith("lsq: run 'lsq predict --help' for the usage.\n", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_is_read_with_dash_or_no_file()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var a = Lsq.RunWithInput("a,b\n3,4\n", "predict", "--model", model, "-");
        var b = Lsq.RunWithInput("a,b\n3,4\n", "predict", "--model", model);
        Assert.Equal("a,b,prediction\n3,4,5\n", a.Out);
        Assert.Equal(a.Out, b.Out);
    }

    [Fact]
    public void Output_file_is_written_atomically_and_not_at_all_on_error()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var target = Path.Combine(dir.Path, "out.csv");
        var r = Lsq.Run("predict", "--model", model, "-o", target, dir.File("good.csv", "a,b\n3,4\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal("a,b,prediction\n3,4,5\n", File.ReadAllText(target));

        var failed = Lsq.Run("predict", "--model", model, "-o", target, dir.File("bad.csv", "a,b\n3,4\n5,oops\n"));
        Assert.Equal(2, failed.Code);
        Assert.Equal("a,b,prediction\n3,4,5\n", File.ReadAllText(target)); // the old file, not a part of the new one
        Assert.Equal(["bad.csv", "good.csv", "m.json", "out.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Model_from_a_run_that_did_not_converge_warns_unless_quiet()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Model.Replace("[1,2,-0.5]}", "[1,2,-0.5],\"converged\":false}", StringComparison.Ordinal));
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
}
