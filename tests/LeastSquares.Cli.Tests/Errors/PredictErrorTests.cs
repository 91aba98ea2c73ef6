namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq predict: the data's columns against the model's, and its cells (exit 2). Predictions are
/// streamed, so the rows before the one at fault are on standard output already (with -o, nothing
/// is written: see OutputFileTests).
/// </summary>
public sealed class PredictErrorTests
{
    private static Lsq.Result Predict(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Models.YOnAB);
        var data = dir.File("data.csv", csv);
        return Lsq.Run(["predict", "--model", model, data, .. extra]);
    }

    /// <summary>Fits multi.csv with <paramref name="fitOptions"/> and saves the model as <paramref name="name"/> in <paramref name="dir"/>.</summary>
    private static string SavedFit(TempDir dir, string name, params string[] fitOptions)
    {
        var model = Path.Combine(dir.Path, name);
        Assert.Equal(0, Lsq.Run(["fit", Lsq.Sample("multi.csv"), .. fitOptions, "--save", model, "-q"]).Code);
        return model;
    }

    [Fact]
    public void Missing_predictor_column_is_named_with_the_columns_there_are() =>
        Expect.Error(Predict("a,c\n1,2\n"), 2, "predict/missing-predictor-column",
            "data.csv has no column 'b', which the model ", "model.json uses as a predictor. Its columns are: 'a', 'c'. Give the file a column of that name");

    [Fact]
    public void Without_a_header_the_columns_are_V1_V2_and_the_message_says_so() =>
        Expect.Error(Predict("4,3\n", "--no-header"), 2, "predict/no-header-column-names",
            "has no column 'a', which the model", "Without a header (--no-header) the columns are named V1, V2");

    [Fact]
    public void Non_numeric_cell_names_the_place_and_the_text() =>
        Expect.ErrorAfter("a,b,prediction\n1,2,2\n", Predict("a,b\n1,2\n3,x7\n"), 2, "predict/non-numeric-cell", "data.csv:3:2: column 'b' holds 'x7', which is not a number");

    [Fact]
    public void Empty_cell_suggests_predict_s_own_missing_na_not_fit_s_skip()
    {
        var r = Predict("a,b\n1,\n");
        Expect.ErrorAfter("a,b,prediction\n", r, 2, "predict/empty-cell",
            "data.csv:2:2: column 'b' is empty. Fill in the value, or pass --missing na to write NA as the row's prediction (as R's predict does), or remove the row.\n");
        Assert.DoesNotContain("--missing skip", r.Err, StringComparison.Ordinal);
    }

    // One field more than the header is R's write.table (row names first); two more is an error.
    [Fact]
    public void Too_many_fields_in_a_row() =>
        Expect.ErrorAfter("a,b,prediction\n", Predict("a,b\n1,2,3,4\n"), 2, "predict/too-many-fields", "data.csv:2: the row has 4 fields but the header has 2");

    [Fact]
    public void Interval_from_a_model_file_before_version_3_says_to_refit_and_save_again() =>
        Expect.Error(Predict("a,b\n1,2\n", "--interval", "confidence"), 2, "predict/interval-from-old-model",
            "--interval needs the fit's residual standard error and covariance", "model.json has none", "version 1 model file",
            "Refit with 'lsq fit ... --save'");

    [Fact]
    public void Diagnostics_from_a_model_file_before_version_3_says_to_refit_too() =>
        Expect.Error(Predict("a,b,y\n1,2,3\n", "--diagnostics"), 2, "predict/diagnostics-from-old-model",
            "--diagnostics needs the fit's residual standard error and covariance", "version 1 model file");

    /// <summary>
    /// Intervals and diagnostics from a fit that has no least-squares inference (penalized, or gd
    /// stopped before it converged): the model's name, its fit options, predict's options, the
    /// golden case, and what the message must say ('|' between facts).
    /// </summary>
    [Theory]
    [InlineData("ridge.json", "--penalty ridge --lambda 0.1", "--interval prediction", "predict/interval-from-penalized-model",
        "ridge.json has none|penalized fit|Refit without --penalty")]
    [InlineData("gd.json", "-m gd --max-iter 2", "--diagnostics -q", "predict/diagnostics-from-unconverged-model",
        "gd.json has none|did not converge|--max-iter")]
    public void Inference_from_a_model_without_it_is_refused_with_why(string name, string fitOptions, string predictOptions, string golden, string facts)
    {
        using var dir = new TempDir();
        var model = SavedFit(dir, name, fitOptions.Split(' '));
        Expect.Error(Lsq.Run(["predict", "--model", model, Lsq.Sample("multi.csv"), .. predictOptions.Split(' ')]), 2, golden, facts.Split('|'));
    }

    [Fact]
    public void Diagnostics_without_the_target_column_name_it()
    {
        using var dir = new TempDir();
        var model = SavedFit(dir, "m.json");
        var data = dir.File("new.csv", "x1,x2,x3\n1,2,3\n");
        Expect.Error(Lsq.Run("predict", "--model", model, data, "--diagnostics"), 2, "predict/diagnostics-without-target",
            "new.csv has no column 'y', the target of the model", "--diagnostics compares each row's 'y' with its prediction");
    }

    [Fact]
    public void Interval_word_must_be_one_of_R_s() =>
        Expect.Error(Predict("a,b\n1,2\n", "--interval", "tolerance"), 1, "predict/interval-unknown-word", "tolerance", "confidence", "prediction");

    // A header without rows is not an error: PredictTests.A_header_without_rows_gives_the_header_and_exit_0.

    // lsq fit refuses a row whose computed values are not finite; predict does too, naming the row (it wrote NaN, exit 0, before).
    [Fact]
    public void A_prediction_that_overflows_is_an_input_error_naming_the_row() =>
        Expect.ErrorAfter("a,b,prediction\n1,2,2\n", Predict("a,b\n1,2\n1e308,-1e308\n"), 2, "predict/prediction-overflows",
            "data.csv:3: the prediction of this row is", "(a = 1e308, b = -1e308)", "lsq fit refuses such rows too");

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_transform_outside_its_domain_is_an_input_error_naming_the_row(string x)
    {
        using var dir = new TempDir();
        var data = dir.File("fit.csv", "x,y\n1,2\n2,2.9\n3,3.5\n4,3.9\n");
        var model = Path.Combine(dir.Path, "log.json");
        Assert.Equal(0, Lsq.Run("fit", data, "y ~ log(x)", "--save", model, "-q").Code);
        var before = Lsq.Run("predict", "--model", model, dir.File("good.csv", "x\n2\n"));
        Assert.Equal(0, before.Code);
        var rows = dir.File("new.csv", $"x\n2\n{x}\n");
        Expect.ErrorAfter(before.Out, Lsq.Run("predict", "--model", model, rows), 2, "predict/transform-outside-domain-" + (x == "0" ? "zero" : "negative"),
            "new.csv:3: the prediction of this row is", $"(x = {x})");
        var interval = Lsq.Run("predict", "--model", model, rows, "--interval", "prediction", "--only");
        Assert.Equal(2, interval.Code);
        Assert.Contains("new.csv:3:", interval.Err, StringComparison.Ordinal);
    }
}

/// <summary>lsq predict with a model that has categorical columns.</summary>
public sealed class PredictFactorErrorTests
{
    [Fact]
    public void A_level_the_model_never_saw_is_named_with_its_place_and_the_known_levels()
    {
        using var dir = new TempDir();
        var train = dir.File("train.csv", "g,x,y\na,1,2\nb,2,3\na,3,5\nc,4,4\nb,5,7\n");
        var model = Path.Combine(dir.Path, "model.json");
        Assert.Equal(0, Lsq.Run("fit", train, "y ~ x + g", "--save", model, "-q").Code);
        var data = dir.File("new.csv", "x,g\n1,a\n2,d\n");
        Expect.ErrorAfter("x,g,prediction\n1,a,2.1153846153846154\n", Lsq.Run("predict", "--model", model, data), 2, "predict/unseen-level",
            "new.csv:3:2: column 'g' holds the level 'd'", "its levels are 'a', 'b', 'c'");
    }

}
