using System.Text.Json;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq fit --save: the model file's schema, and what it records, read back as written.</summary>
public sealed class ModelFileTests
{
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
        // kept at format version 1 so that loading a file of the older version stays tested; it differs in the version
        // and the fields version 3 added (penalized, df_residual, sigma, unscaled_covariance) only.
        var saved = File.ReadAllText(path);
        int added = saved.IndexOf(",\n  \"penalized\"", StringComparison.Ordinal);
        Assert.True(added > 0);
        Assert.Equal(saved[..added].Replace("\"version\": 3,", "\"version\": 1,", StringComparison.Ordinal) + "\n}\n", File.ReadAllText(Lsq.Sample("linear-model.json")));
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
}
