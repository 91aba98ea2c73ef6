namespace LeastSquares.Cli.Tests;

/// <summary>Errors of --weights, --vcov, --cluster and lsq anova: bad weight cells (exit 2, file:line:column), columns and models that do not fit (exit 1).</summary>
public sealed class InferenceErrorTests
{
    private const string Data = "x,y,w,g\n1,2,1,a\n2,4.1,2,a\n3,5.9,0.5,b\n4,8.2,1,b\n5,9.9,1,c\n";

    private static Lsq.Result Run(string csv, params string[] args)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run([args[0], file, .. args[1..]]);
    }

    [Fact]
    public void Negative_weight() =>
        Expect.Error(Run(Data.Replace("3,5.9,0.5", "3,5.9,-0.5", StringComparison.Ordinal), "fit", "y ~ x", "--weights", "w"), 2, "inference/negative-weight",
            "data.csv:4:3", "'w'", "-0.5");

    [Fact]
    public void Non_numeric_weight() =>
        Expect.Error(Run(Data.Replace("3,5.9,0.5", "3,5.9,half", StringComparison.Ordinal), "fit", "y ~ x", "--weights", "w"), 2, "inference/non-numeric-weight",
            "data.csv:4:3", "'w'", "half");

    [Fact]
    public void Missing_weight() =>
        Expect.Error(Run(Data.Replace("3,5.9,0.5", "3,5.9,", StringComparison.Ordinal), "fit", "y ~ x", "--weights", "w"), 2, "inference/missing-weight",
            "data.csv:4:3", "'w'");

    [Fact]
    public void Missing_weight_is_an_error_even_with_missing_skip() =>
        Expect.Error(Run(Data.Replace("3,5.9,0.5", ",5.9,", StringComparison.Ordinal), "fit", "y ~ x", "--weights", "w", "--missing", "skip"), 2,
            "inference/missing-weight-with-skip", "data.csv:4:3", "'w'");

    [Fact]
    public void Empty_model_cell_with_weights_is_the_usual_error() =>
        Expect.Error(Run(Data.Replace("3,5.9,0.5", "3,,0.5", StringComparison.Ordinal), "fit", "y ~ x", "--weights", "w"), 2, "inference/empty-cell-with-weights",
            "data.csv:4:2", "'y'", "--missing skip");

    [Fact]
    public void Unknown_cluster_column() =>
        Expect.Error(Run(Data, "fit", "y ~ x", "--cluster", "firm", "--summary"), 1, "inference/unknown-cluster-column", "--cluster", "firm");

    [Fact]
    public void Unknown_weights_column() =>
        Expect.Error(Run(Data, "fit", "y ~ x", "--weights", "weight"), 1, "inference/unknown-weights-column", "--weights", "weight");

    [Fact]
    public void One_cluster_only() =>
        Expect.Error(Run(Data.Replace(",b\n", ",a\n", StringComparison.Ordinal).Replace(",c\n", ",a\n", StringComparison.Ordinal), "fit", "y ~ x", "--cluster", "g", "--summary"), 2,
            "inference/one-cluster", "--cluster g");

    [Fact]
    public void Vcov_without_summary() =>
        Expect.Error(Run(Data, "fit", "y ~ x", "--vcov", "HC3"), 1, "inference/vcov-without-summary", "--vcov", "--summary");

    [Fact]
    public void Level_without_the_intervals_it_sets_is_refused_as_vcov_is()
    {
        // Before: ignored silently (exit 0), while --vcov in the same place was refused.
        Expect.Error(Run(Data, "fit", "y ~ x", "--level", "0.9", "-f", "csv"), 1, "inference/level-without-summary", "--level", "--summary");
        Assert.Equal(0, Run(Data, "fit", "y ~ x", "--level", "0.9", "-f", "json").Code);
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.YOnAB);
        Expect.Error(Lsq.Run("predict", "--model", model, dir.File("d.csv", "a,b\n1,2\n"), "--level", "0.9"), 1, "inference/level-without-interval",
            "--level", "--interval confidence");
    }

    [Fact]
    public void Cluster_with_HC3() =>
        Expect.Error(Run(Data, "fit", "y ~ x", "--cluster", "g", "--vcov", "HC3", "--summary"), 1, "inference/cluster-with-hc3", "--vcov HC3");

    [Fact]
    public void Weights_with_sgd() =>
        Expect.Error(Run(Data, "fit", "y ~ x", "--weights", "w", "-m", "sgd"), 1, "inference/weights-with-sgd", "sgd");

    [Fact]
    public void Weights_with_penalty() =>
        Expect.Error(Run(Data, "fit", "y ~ x", "--weights", "w", "--penalty", "ridge", "--lambda", "1"), 1, "inference/weights-with-penalty", "--penalty");

    [Fact]
    public void Weighted_partials_of_an_orthogonal_polynomial()
    {
        // poly()'s basis comes from the unweighted rows, which weighted partials do not carry.
        var part = Run(Data, "fit", "y ~ poly(x, 2)", "--weights", "w", "--partial");
        Assert.True(part.Code == 0, part.Err);
        Expect.Error(Lsq.RunWithInput(part.Out, "merge"), 1, "inference/weights-with-orthogonal-poly", "partial", "raw = TRUE");
    }

    [Fact]
    public void Anova_of_models_not_nested() =>
        Expect.Error(Run(Data, "anova", "y ~ x", "y ~ w"), 1, "inference/anova-not-nested", "'y ~ x'", "'y ~ w'", "x");

    [Fact]
    public void Anova_of_three_formulas() =>
        Expect.Error(Run(Data, "anova", "y ~ x", "y ~ x + w", "y ~ x + w + g"), 1, "inference/anova-three-formulas", "3");

    [Fact]
    public void Merge_of_weighted_and_unweighted_partials()
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", Data);
        var weighted = Lsq.Run("fit", file, "y ~ x", "--weights", "w", "--partial");
        var plain = Lsq.Run("fit", file, "y ~ x", "--partial");
        var a = dir.File("a.json", weighted.Out);
        var b = dir.File("b.json", plain.Out);
        Expect.Error(Lsq.Run("merge", a, b), 2, "inference/merge-weighted-and-unweighted", "a.json:1", "b.json:1", "weighted");
    }
}
