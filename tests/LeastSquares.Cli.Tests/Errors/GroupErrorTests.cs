namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq fit --by and the commands that read its output: too many groups, a group that cannot be
/// fitted under --strict, a missing group cell, options with no per-group meaning, and a row of a
/// group the grouped model does not hold (predict).
/// </summary>
public sealed class GroupErrorTests
{
    private const string Data = "region,x,y\nnorth,1,2\nnorth,2,4.1\nnorth,3,5.9\nsouth,1,1\nsouth,2,0.5\nsouth,4,-1\nwest,1,1\n";

    private static Lsq.Result Fit(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        return Lsq.Run(["fit", dir.File("data.csv", csv), .. extra]);
    }

    [Theory]
    [InlineData("--interval", "prediction")]
    [InlineData("--diagnostics", null)]
    public void Intervals_and_diagnostics_from_a_grouped_model_are_refused_not_dropped(string option, string? value)
    {
        using var dir = new TempDir();
        var data = dir.File("data.csv", Data);
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", data, "--by", "region", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        Expect.Error(Lsq.Run(["predict", "--model", model, data, option, .. value is null ? Array.Empty<string>() : [value]]), 1,
            "groups/predict-grouped" + option, option, "fit --by");
    }

    [Fact]
    public void Too_many_groups_names_the_limit_and_what_to_do() =>
        Expect.Error(Fit(Data, "--by", "region", "--max-groups", "2"), 2, "groups/too-many-groups",
            "data.csv: --by region makes more than 2 groups", "Raise --max-groups");

    [Fact]
    public void A_group_too_small_under_strict_fails_the_run_naming_it() =>
        Expect.Error(Fit(Data, "--by", "region", "--strict"), 3, "groups/small-group-strict",
            "group region='west' cannot be fitted (1 data row but the model has 2 coefficients", "1 of 3 groups failed");

    [Fact]
    public void A_missing_group_cell_is_an_error_unless_missing_skip() =>
        Expect.Error(Fit(Data + ",5,6\n", "--by", "region"), 2, "groups/empty-group-cell",
            "data.csv:9:1: column 'region' is empty", "--missing skip");

    [Fact]
    public void A_group_column_in_the_model_is_refused() =>
        Expect.Error(Fit("region,x,y\n1,2,3\n", "--by", "region", "-x", "region,x"), 1, "groups/by-column-in-model",
            "--by column 'region' is also in the model");

    [Fact]
    public void A_missing_group_cell_with_weights_is_an_error_unless_missing_skip() =>
        Expect.Error(Fit("region,x,w,y\nnorth,1,1,2\n,2,1,4\n", "--by", "region", "--weights", "w", "-x", "x"), 2, "groups/empty-group-cell-weights",
            "data.csv:3:1: column 'region' is empty", "--missing skip");

    [Fact]
    public void Lambda_auto_is_refused_with_the_reason() =>
        Expect.Error(Fit(Data, "--by", "region", "--penalty", "ridge", "--lambda", "auto"), 1, "groups/lambda-auto",
            "--lambda auto does not work with --by");

    [Fact]
    public void Predict_names_a_row_of_a_group_the_model_does_not_hold()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", dir.File("data.csv", Data), "--by", "region", "--save", model).Code);
        var known = Lsq.Run("predict", dir.File("known.csv", "region,x\nnorth,5\n"), "--model", model);
        Assert.Equal(0, known.Code);
        var r = Lsq.Run("predict", dir.File("new.csv", "region,x\nnorth,5\neast,1\n"), "--model", model);
        Expect.ErrorAfter(known.Out, r, 2, "groups/unseen-group",
            "new.csv:3: the row's group region='east' is not in", "m.json");
    }

    [Fact]
    public void Predict_names_a_level_the_rows_group_was_not_fitted_with()
    {
        // Each group's model has its own levels: south never saw kind a, though north did.
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var data = "region,kind,x,y\nnorth,a,1,2\nnorth,b,2,4.1\nnorth,a,3,5.9\nnorth,b,4,8.2\nsouth,b,1,1\nsouth,c,2,0.5\nsouth,b,4,-1\nsouth,c,5,-2.2\n";
        var fit = Lsq.Run("fit", dir.File("data.csv", data), "y ~ x + kind", "--by", "region", "--save", model);
        Assert.True(fit.Code == 0, fit.Err);
        var known = Lsq.Run("predict", dir.File("known.csv", "region,kind,x\nnorth,a,5\n"), "--model", model);
        Assert.True(known.Code == 0, known.Err);
        var r = Lsq.Run("predict", dir.File("new.csv", "region,kind,x\nnorth,a,5\nsouth,a,1\n"), "--model", model);
        Expect.ErrorAfter(known.Out, r, 2, "groups/predict-level-not-in-group",
            "new.csv:3:2: column 'kind' holds the level 'a'", "'b', 'c'");
    }

    [Fact]
    public void Predict_names_a_row_of_a_group_whose_fit_failed()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", dir.File("data.csv", Data), "--by", "region", "--save", model).Code);
        Expect.ErrorAfter("region,x,prediction\n", Lsq.Run("predict", dir.File("new.csv", "region,x\nwest,5\n"), "--model", model), 2, "groups/unfitted-group",
            "new.csv:2: the row's group region='west' has no model");
    }

    [Fact]
    public void Plot_of_more_groups_than_panels_names_the_limit()
    {
        using var dir = new TempDir();
        var csv = "g,x,y\n" + string.Concat(Enumerable.Range(0, 90).Select(i => $"g{i % 30},{i},{2 * i}\n"));
        Expect.Error(Lsq.Run("plot", dir.File("data.csv", csv), "--by", "g", "-o", Path.Combine(dir.Path, "p.png")), 2, "groups/plot-too-many-groups",
            "data.csv: --by g makes more than 25 groups", "at most 25 panels");
        Assert.False(File.Exists(Path.Combine(dir.Path, "p.png")));
    }

    [Fact]
    public void Plot_by_with_a_diagnostic_kind_is_refused() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("regions.csv"), "--by", "region", "--kind", "qq", "-o", "p.png"), 1, "groups/plot-by-qq",
            "--kind qq draws one fit");
}
