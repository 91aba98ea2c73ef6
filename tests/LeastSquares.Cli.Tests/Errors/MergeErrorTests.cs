namespace LeastSquares.Cli.Tests;

/// <summary>lsq merge: every way a partial can be wrong, or partials can disagree, is an input error (exit 2) naming the file and line.</summary>
public sealed class MergeErrorTests
{
    /// <summary>A valid partial of y = x over three rows, to corrupt.</summary>
    internal const string Good =
        "{\"schema\":\"lsq-partial\",\"schema_version\":1,\"lsq_version\":\"0.1.0\",\"predictors\":[\"x\"],\"target\":\"y\",\"degree\":1,\"intercept\":true,\"centre\":0,\"n\":3,\"skipped_rows\":0,\"mean\":[[2,0],[4,0]],\"comoments\":[[2,0],[4,0],[8.5,0]]}";

    private static Lsq.Result MergeFiles(params string[] contents)
    {
        using var dir = new TempDir();
        var files = contents.Select((c, i) => dir.File($"p{i}.partial", c)).ToArray();
        return Lsq.Run(["merge", .. files]);
    }

    [Fact]
    public void The_good_partial_fits() => Assert.Equal(0, MergeFiles(Good + "\n", Good).Code);

    public static TheoryData<string, string, string> Corruptions() => new()
    {
        { "truncated", Good[..^40], "p0.partial:1: not a usable lsq partial: it is not valid JSON" },
        { "empty-file", "", "p0.partial held no lines" },
        { "array", "[1,2]", "p0.partial:1: not a usable lsq partial: it is a JSON array, not an object" },
        { "no-schema", "{\"n\":3}", "p0.partial:1: not a usable lsq partial: it has no \"schema\":\"lsq-partial\" field" },
        { "no-target", Good.Replace("\"target\":\"y\",", "", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: the field \"target\" is missing" },
        { "comoments-too-many", Good.Replace("[8.5,0]", "[8.5,0],[1,0]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"comoments\" has 4 entries, but its model needs 3" },
        { "mean-too-few", Good.Replace("[[2,0],[4,0]]", "[[2,0]]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"mean\" has 1 entries, but its model needs 2" },
        { "comoment-infinite", Good.Replace("[8.5,0]", "[1e999,0]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"comoments\" entry (2, 2) holds 1e999, which is not a finite double" },
        { "comoment-string", Good.Replace("[8.5,0]", "[8.5,\"0\"]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"comoments\" entry (2, 2) holds a string where a number belongs" },
        { "comoment-not-double-double", Good.Replace("[8.5,0]", "[8.5,1]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"comoments\" entry (2, 2) [8.5, 1] is not a double-double" },
        { "mean-not-a-pair", Good.Replace("[4,0]]", "[4]]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"mean\" entry 2 is not a pair" },
        { "n-negative", Good.Replace("\"n\":3", "\"n\":-3", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"n\" is negative (-3)" },
        { "n-fraction", Good.Replace("\"n\":3", "\"n\":3.5", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"n\" holds '3.5', which is not a whole number" },
        { "centre-null", Good.Replace("\"centre\":0", "\"centre\":null", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"centre\" holds a null where a number belongs" },
        { "degree-0", Good.Replace("\"degree\":1", "\"degree\":0", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"degree\" is 0; lsq fits degrees 1 to 30" },
        { "degree-huge", Good.Replace("\"degree\":1", "\"degree\":2000000000", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: \"degree\" is 2000000000; lsq fits degrees 1 to 30" },
        { "no-predictors", Good.Replace("\"predictors\":[\"x\"]", "\"predictors\":[]", StringComparison.Ordinal), "p0.partial:1: not a usable lsq partial: its model is not one lsq can fit (A model needs at least one predictor" },
        { "schema-version-2", Good.Replace("\"schema_version\":1", "\"schema_version\":2", StringComparison.Ordinal), "p0.partial:1: the partial has schema version 2, but lsq " },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_partial_is_an_input_error_naming_the_place(string golden, string content, string message) =>
        Expect.Error(MergeFiles(content), 2, "merge/corrupt-" + golden, message);

    [Fact]
    public void A_corrupt_line_among_good_ones_is_named_by_line() =>
        Expect.Error(Lsq.RunWithInput(Good + "\n\n" + Good + "\n" + Good[..50] + "\n", "merge"), 2, "merge/corrupt-line-4",
            "<stdin>:4: not a usable lsq partial: it is not valid JSON");

    public static TheoryData<string, string, string, string> ModelDifferences() => new()
    {
        { "predictors", "\"predictors\":[\"x\"]", "\"predictors\":[\"z\"]", "predictors is 'z', but the first partial (" },
        { "target", "\"target\":\"y\"", "\"target\":\"w\"", "target is 'w', but the first partial (" },
        { "intercept", "\"intercept\":true", "\"intercept\":false", "intercept is off (--no-intercept), but the first partial (" },
    };

    [Theory]
    [MemberData(nameof(ModelDifferences))]
    public void Partials_of_different_models_do_not_merge(string golden, string from, string to, string difference)
    {
        var r = MergeFiles(Good, Good + "\n" + Good.Replace(from, to, StringComparison.Ordinal));
        Expect.Error(r, 2, "merge/different-" + golden, "p1.partial:2: the partial's " + difference, "Partials merge only when they come from the same model");
        Assert.Matches(@"p0\.partial:1\) has ", r.Err);
    }

    [Fact]
    public void Partials_of_different_degree_do_not_merge()
    {
        var linear = Lsq.RunWithInput("x,y\n1,2\n2,3\n3,5\n", "fit", "--partial");
        var quadratic = Lsq.RunWithInput("x,y\n1,2\n2,3\n3,5\n", "fit", "--partial", "--degree", "2");
        Expect.Error(Lsq.RunWithInput(linear.Out + quadratic.Out, "merge"), 2, "merge/different-degree",
            "<stdin>:2: the partial's degree is 2, but the first partial (<stdin>:1) has 1.");
    }

    [Fact]
    public void Missing_partial_file() =>
        Expect.Error(Lsq.Run("merge", "nowhere.partial"), 2, "merge/missing-file", "nowhere.partial: no such file.");

    [Fact]
    public void No_partials_on_standard_input() =>
        Expect.Error(Lsq.RunWithInput("\n", "merge"), 2, "merge/no-partials",
            "lsq: error: no partials to merge: <stdin> held no lines. Pass the files that 'lsq fit --partial' wrote, or pipe them in, one per line.\n");

    [Fact]
    public void An_empty_input_without_the_model_named_cannot_be_a_partial() =>
        Expect.Error(Lsq.RunWithInput("", "fit", "--partial"), 2, "merge/empty-input-partial-unnamed",
            "lsq: error: <stdin>: the input is empty, so there is no header to name the model's columns. Name them with --features and --target (by number with --no-header) so that an empty part still writes a partial of the right model.\n");
}
