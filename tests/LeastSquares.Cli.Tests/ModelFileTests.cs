using System.Text.Json;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq fit --save and the model reader: the schema, atomic writing and every validation error.</summary>
public sealed class ModelFileTests
{
    private const string Valid = """
        {"format":"lsq-model","version":1,"target":"y","predictors":["x"],"degree":1,"intercept":true,
         "terms":["(intercept)","x"],"coefficients":[1.5,2]}
        """;

    [Fact]
    public void Saved_model_matches_the_golden_file()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "model.json");
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "--save", path);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Equal(Lsq.Run("fit", Lsq.Sample("linear.csv")).Out, r.Out); // results still printed
        Golden.Match("model-linear.json", File.ReadAllText(path));
        // The README's predict session uses this committed copy.
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(Lsq.Sample("linear-model.json")));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left
    }

    [Fact]
    public void Saved_coefficients_are_the_printed_ones_bit_for_bit()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "m.json");
        var json = Lsq.Run("fit", Lsq.Sample("multi.csv"), "-f", "json", "--save", path).Out;
        var printed = JsonDocument.Parse(json).RootElement.GetProperty("coefficients").EnumerateArray()
            .Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        var saved = ModelFile.Read(path);
        Assert.Equal(printed, saved.Coefficients);
        Assert.Equal(["x1", "x2", "x3"], saved.Terms.Predictors);
        Assert.Equal("y", saved.Terms.Target);
        Assert.Equal("normal", saved.Method);
        Assert.Null(saved.Scaling);
        Assert.True(saved.Converged);
    }

    [Fact]
    public void Gradient_descent_model_records_scaling_iterations_and_convergence()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "m.json");
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "7", "--scale", "none", "-q", "--save", path);
        Assert.Equal(0, r.Code);
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.Equal("gd", root.GetProperty("method").GetString());
        Assert.Equal("none", root.GetProperty("scaling").GetString());
        Assert.Equal(7, root.GetProperty("iterations").GetInt32());
        Assert.False(root.GetProperty("converged").GetBoolean());
    }

    [Fact]
    public void Polynomial_model_round_trips()
    {
        using var dir = new TempDir();
        var data = dir.File("q.csv", "x,y\n0,1\n1,2.5\n2,6\n3,11.5\n4,19\n");
        var path = Path.Combine(dir.Path, "q.json");
        Assert.Equal(0, Lsq.Run("fit", data, "--degree", "2", "--save", path).Code);
        var saved = ModelFile.Read(path);
        Assert.Equal(["(intercept)", "x", "x^2"], saved.Terms.TermNames);
        Assert.Equal(2, saved.Terms.Degree);
        var text = ModelFile.ToJson(saved);
        Assert.Equal(File.ReadAllText(path).Replace(saved.LsqVersion!, LsqApp.Version, StringComparison.Ordinal), text);
    }

    [Fact]
    public void A_failed_fit_writes_nothing_and_keeps_the_old_model()
    {
        using var dir = new TempDir();
        var path = dir.File("model.json", "old content");
        var bad = dir.File("bad.csv", "x,y\n1,2\n2,abc\n");
        var r = Lsq.Run("fit", bad, "--save", path);
        Assert.Equal(2, r.Code);
        Assert.Equal("old content", File.ReadAllText(path));
        var singular = dir.File("s.csv", "x,y\n1,2\n1,3\n1,4\n");
        Assert.Equal(3, Lsq.Run("fit", singular, "--save", path).Code);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(3, Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "3", "--scale", "none", "--strict", "--save", path).Code);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length); // model.json, bad.csv, s.csv: no temporary files
    }

    [Fact]
    public void Save_into_a_missing_folder_fails_before_reading()
    {
        var r = Lsq.Run("fit", "no/such/data.csv", "--save", "/no/such/folder/m.json");
        Assert.Equal(1, r.Code);
        Assert.StartsWith("lsq: error: cannot write /no/such/folder/m.json: the folder /no/such/folder does not exist.", r.Err, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadModels() => new()
    {
        { "not json {", @"is not valid JSON \(line 1, byte 2: 'not json {' is an invalid JSON literal\)" },
        { "[1,2]", "is not an lsq model: the JSON is not an object" },
        { Valid.Replace("lsq-model", "other", StringComparison.Ordinal), "is not an lsq model: \"format\" must be \"lsq-model\"" },
        { Valid.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal), @"is model format version 2, but this lsq \(.*\) reads version 1; upgrade lsq" },
        { Valid.Replace("\"version\":1,", "", StringComparison.Ordinal), "has no integer \"version\"" },
        { Valid.Replace("\"target\":\"y\",", "", StringComparison.Ordinal), "has no \"target\" field" },
        { Valid.Replace("\"predictors\":[\"x\"]", "\"predictors\":\"x\"", StringComparison.Ordinal), "its \"predictors\" is not an array \\(it is '\"x\"'\\)" },
        { Valid.Replace("\"predictors\":[\"x\"]", "\"predictors\":[]", StringComparison.Ordinal), "has an empty \"predictors\" list" },
        { Valid.Replace("\"predictors\":[\"x\"]", "\"predictors\":[\"x\",\"x\"]", StringComparison.Ordinal), "names a column twice" },
        { Valid.Replace("\"degree\":1", "\"degree\":0", StringComparison.Ordinal), "its \"degree\" is '0', but lsq fits degrees from 1 to 30" },
        { Valid.Replace("\"intercept\":true", "\"intercept\":\"yes\"", StringComparison.Ordinal), "its \"intercept\" is not true or false" },
        { Valid.Replace("\"terms\":[\"(intercept)\",\"x\"]", "\"terms\":[\"x\"]", StringComparison.Ordinal), @"lists the terms \[x\], but its predictors, degree and intercept give \[\(intercept\), x\]" },
        { Valid.Replace("[1.5,2]", "[1.5]", StringComparison.Ordinal), @"has 1 coefficient for 2 terms \[\(intercept\), x\]" },
        { Valid.Replace("[1.5,2]", "[1.5,2,3]", StringComparison.Ordinal), @"has 3 coefficients for 2 terms" },
        { Valid.Replace("[1.5,2]", "[1.5,\"2\"]", StringComparison.Ordinal), "its \"coefficients\" has an entry that is not a finite number \\(it is '\"2\"'\\)" },
        { Valid.Replace("[1.5,2]", "[1.5,null]", StringComparison.Ordinal), "its \"coefficients\" has an entry that is not a finite number" },
        { Valid.Replace("[1.5,2]", "[1.5,1e999]", StringComparison.Ordinal), "its \"coefficients\" has an entry that is not a finite number" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void Invalid_model_is_an_input_error_naming_the_file_and_the_problem(string content, string problem)
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", content);
        var data = dir.File("data.csv", "x\n1\n");
        var r = Lsq.Run("predict", "--model", model, data);
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Matches("^lsq: error: " + System.Text.RegularExpressions.Regex.Escape(model) + ": " + problem, r.Err);
        Assert.EndsWith("Model files are written by 'lsq fit --save'; refit to get a valid one.\n", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_hand_written_model_is_accepted()
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Valid);
        var r = Lsq.Run("predict", "--model", model, "--only", dir.File("d.csv", "x\n2\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("prediction\n5.5\n", r.Out);
    }

    [Fact]
    public void Missing_model_file()
    {
        var r = Lsq.Run("predict", "--model", "no/such/model.json", Lsq.Sample("linear.csv"));
        Assert.Equal(2, r.Code);
        Assert.Equal("lsq: error: no/such/model.json: no such model file. Save one with 'lsq fit DATA --save no/such/model.json'.\n", r.Err);
    }

    [Fact]
    public void Model_file_with_a_byte_order_mark_is_read()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bom.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Valid)]);
        Assert.Equal([1.5, 2.0], ModelFile.Read(path).Coefficients);
    }
}
