namespace LeastSquares.Cli.Tests;

/// <summary>Saved models read back (predict --model, fit --init): every validation error names the file and the problem (exit 2).</summary>
public sealed class ModelFileErrorTests
{
    private const string Valid = """
        {"format":"lsq-model","version":1,"target":"y","predictors":["x"],"degree":1,"intercept":true,
         "terms":["(intercept)","x"],"coefficients":[1.5,2]}
        """;

    public static TheoryData<string, string, string> BadModels() => new()
    {
        { "not-json", "not json {", "is not valid JSON (line 1, byte 2: 'not json {' is an invalid JSON literal)" },
        { "not-an-object", "[1,2]", "is not an lsq model: the JSON is not an object" },
        { "other-format", Valid.Replace("lsq-model", "other", StringComparison.Ordinal), "is not an lsq model: \"format\" must be \"lsq-model\"" },
        { "version-4", Valid.Replace("\"version\":1", "\"version\":4", StringComparison.Ordinal), "is model format version 4, but this lsq (" },
        { "no-version", Valid.Replace("\"version\":1,", "", StringComparison.Ordinal), "has no integer \"version\"" },
        { "no-target", Valid.Replace("\"target\":\"y\",", "", StringComparison.Ordinal), "has no \"target\" field" },
        { "predictors-not-array", Valid.Replace("\"predictors\":[\"x\"]", "\"predictors\":\"x\"", StringComparison.Ordinal), "its \"predictors\" is not an array (it is '\"x\"')" },
        { "predictors-empty", Valid.Replace("\"predictors\":[\"x\"]", "\"predictors\":[]", StringComparison.Ordinal), "has an empty \"predictors\" list" },
        { "predictor-twice", Valid.Replace("\"predictors\":[\"x\"]", "\"predictors\":[\"x\",\"x\"]", StringComparison.Ordinal), "names a column twice" },
        { "degree-0", Valid.Replace("\"degree\":1", "\"degree\":0", StringComparison.Ordinal), "its \"degree\" is '0', but lsq fits degrees from 1 to 30" },
        { "intercept-not-boolean", Valid.Replace("\"intercept\":true", "\"intercept\":\"yes\"", StringComparison.Ordinal), "its \"intercept\" is not true or false" },
        { "terms-disagree", Valid.Replace("\"terms\":[\"(intercept)\",\"x\"]", "\"terms\":[\"x\"]", StringComparison.Ordinal), "lists the terms [x], but its predictors, degree and intercept give [(intercept), x]" },
        { "too-few-coefficients", Valid.Replace("[1.5,2]", "[1.5]", StringComparison.Ordinal), "has 1 coefficient for 2 terms [(intercept), x]" },
        { "too-many-coefficients", Valid.Replace("[1.5,2]", "[1.5,2,3]", StringComparison.Ordinal), "has 3 coefficients for 2 terms" },
        { "coefficient-string", Valid.Replace("[1.5,2]", "[1.5,\"2\"]", StringComparison.Ordinal), "its \"coefficients\" has an entry that is not a finite number (it is '\"2\"')" },
        { "coefficient-null", Valid.Replace("[1.5,2]", "[1.5,null]", StringComparison.Ordinal), "its \"coefficients\" has an entry that is not a finite number" },
        { "coefficient-infinite", Valid.Replace("[1.5,2]", "[1.5,1e999]", StringComparison.Ordinal), "its \"coefficients\" has an entry that is not a finite number" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void Invalid_model_is_an_input_error_naming_the_file_and_the_problem(string golden, string content, string problem)
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", content);
        var data = dir.File("data.csv", "x\n1\n");
        var r = Lsq.Run("predict", "--model", model, data);
        Expect.Error(r, 2, "model-file/" + golden, $"lsq: error: {model}: {problem}");
        Assert.EndsWith("Model files are written by 'lsq fit --save'; refit to get a valid one.\n", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file() =>
        Expect.Error(Lsq.Run("predict", "--model", "no/such/model.json", Lsq.Sample("linear.csv")), 2, "model-file/missing",
            "lsq: error: no/such/model.json: no such model file. Save one with 'lsq fit DATA --save no/such/model.json'.\n");

    [Fact]
    public void Missing_model_to_start_from() =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "--init", "no-such-model.json"), 2, "model-file/init-missing",
            "no-such-model.json: no such file");

    [Fact]
    public void A_model_of_other_terms_to_start_from_is_refused()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "--save", model, "-q").Code);
        Expect.Error(Lsq.Run("fit", Lsq.Sample("multi.csv"), "-m", "gd", "--init", model), 2, "model-file/init-other-terms",
            "the saved model is y ~ (intercept) + x, but this fit is y ~ (intercept) + x1 + x2 + x3");
    }
}
