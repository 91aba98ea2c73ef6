using System.Globalization;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests.Fit;

/// <summary><c>lsq fit --penalty</c>: fixed λ against scikit-learn, --lambda auto against an independent per-fold refit, and the errors.</summary>
public sealed class PenaltyTests
{
    private static string Reference(string file) => Path.Combine(Lsq.RepoRoot, "tests", "reference", "sklearn", file);

    [Fact]
    public void A_formula_dot_leaves_out_the_fold_column_as_it_does_by_columns()
    {
        var data = Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "cv", "iris-folds.csv");
        string[] cv = ["--penalty", "lasso", "--lambda", "auto", "--fold-column", "fold", "-f", "csv", "-q"];
        var dot = Lsq.Run(["fit", data, "Sepal.Length ~ .", .. cv]);
        Assert.True(dot.Code == 0, dot.Err);
        Assert.DoesNotContain("fold", dot.Out, StringComparison.Ordinal);
        var spelled = Lsq.Run(["fit", data, "Sepal.Length ~ . - fold", .. cv]);
        Assert.Equal(spelled.Out, dot.Out);
        var named = Lsq.Run(["fit", data, "Sepal.Length ~ Sepal.Width + fold", .. cv]);
        Assert.Equal(1, named.Code); // named in the formula, it is still refused
    }

    /// <summary>
    /// docs/penalties.md's mapping to glmnet: glmnet(alpha = a, lambda = L) is lsq's
    /// --lambda L·a + L·(1 − a)/s_y --l1-ratio L·a/(that), s_y the population sd of y (glmnet divides
    /// only the ridge part by it). Checked against glmnet 4.1.6 (tests/reference/r/glmnet-enet.json),
    /// the lsq settings computed here from alpha, lambda and s_y.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_documented_glmnet_mapping_gives_glmnets_elastic_net_and_ridge(int index)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "glmnet-enet.json")));
        var root = json.RootElement;
        var c = root.GetProperty("cases")[index];
        double a = c.GetProperty("alpha").GetDouble(), lambda = c.GetProperty("lambda").GetDouble();
        double sy = root.GetProperty("sd_pop_y").GetDouble();
        double ours = (lambda * a) + (lambda * (1 - a) / sy);
        string[] penalty = a == 0
            ? ["--penalty", "ridge", "--lambda", ours.ToString("R", CultureInfo.InvariantCulture)]
            : ["--penalty", "elasticnet", "--lambda", ours.ToString("R", CultureInfo.InvariantCulture), "--l1-ratio", (lambda * a / ours).ToString("R", CultureInfo.InvariantCulture)];
        var r = Lsq.Run(["fit", Path.Combine(Lsq.RepoRoot, root.GetProperty("data_file").GetString()!), root.GetProperty("formula").GetString()!, .. penalty, "-f", "json"]);
        Assert.True(r.Code == 0, r.Err);
        using var output = JsonDocument.Parse(r.Out);
        var estimates = output.RootElement.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("estimate").GetDouble()).ToArray();
        var expected = c.GetProperty("coefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, estimates.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(Math.Abs(estimates[j] - expected[j]) <= 1e-8 * Math.Max(1, Math.Abs(expected[j])), $"coefficient {j}: glmnet {expected[j]:R}, lsq {estimates[j]:R}");
        }
    }

    [Theory]
    [InlineData("diabetes_standard_lasso_4.52")]
    [InlineData("diabetes_none_elasticnet_113.0")]
    [InlineData("correlated_standard_ridge_0.0234")]
    [InlineData("wide_standard_lasso_0.0118")]
    public void Fixed_lambda_matches_scikit_learn(string id)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Reference("penalized.json")));
        var fit = json.RootElement.GetProperty("fits").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);
        var args = new List<string>
        {
            "fit", Reference(fit.GetProperty("dataset").GetString() + ".csv"), "--target", "y", "--format", "json",
            "--penalty", fit.GetProperty("penalty").GetString()!,
            "--lambda", fit.GetProperty("lambda").GetDouble().ToString("R", CultureInfo.InvariantCulture),
            "--scale", fit.GetProperty("scale").GetString()!,
        };
        if (fit.GetProperty("penalty").GetString() == "elasticnet")
        {
            args.AddRange(["--l1-ratio", "0.5"]);
        }

        var r = Lsq.Run([.. args]);
        Assert.Equal(0, r.Code);
        using var output = JsonDocument.Parse(r.Out);
        var estimates = output.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        var expected = fit.GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()).Prepend(fit.GetProperty("intercept").GetDouble()).ToArray();
        double scale = expected.Skip(1).Max(Math.Abs);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(Math.Abs(estimates[j] - expected[j]) <= 1e-8 * (j == 0 ? Math.Abs(expected[0]) : scale), $"{id} coefficient {j}: {estimates[j]} vs {expected[j]}");
        }

        Assert.Equal(fit.GetProperty("nonzero").GetInt32(), output.RootElement.GetProperty("df").GetInt32());
        Assert.Equal(JsonValueKind.Null, output.RootElement.GetProperty("coefficients")[1].GetProperty("std_error").ValueKind);
        Assert.Equal(JsonValueKind.Null, output.RootElement.GetProperty("f_statistic").ValueKind);
    }

    /// <summary>
    /// The cross-validated path equals a refit made without any of its machinery: each training
    /// set accumulated from its own rows (not total − fold), each λ fitted from a cold start, each
    /// held-out error summed over the fold's rows.
    /// </summary>
    [Theory]
    [InlineData("diabetes.csv", "lasso", 10, 7)]
    [InlineData("correlated.csv", "elasticnet", 5, 1)]
    [InlineData("wide.csv", "lasso", 4, 3)]
    public void Lambda_auto_equals_an_independent_per_fold_refit(string file, string kind, int folds, int seed)
    {
        string pathFile = Path.Combine(Path.GetTempPath(), $"lsq-path-{Guid.NewGuid():N}.csv");
        try
        {
            var r = Lsq.Run("fit", Reference(file), "--target", "y", "--penalty", kind, "--lambda", "auto", "--n-lambda", "30",
                "--folds", folds.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture),
                "--path", pathFile, "--format", "json");
            Assert.Equal(0, r.Code);
            using var output = JsonDocument.Parse(r.Out);
            var path = output.RootElement.GetProperty("path").EnumerateArray().ToArray();
            Assert.Equal(30, path.Length);
            Assert.Equal(31, File.ReadAllLines(pathFile).Length);

            var rows = Rows(Reference(file), out var terms);
            var fold = rows.Select((_, i) => RowState.FoldOf(i, seed, folds)).ToArray();
            AssertEqualsRefit(output.RootElement, rows, terms, fold, folds, kind == "lasso" ? 1 : 0.5);
        }
        finally
        {
            File.Delete(pathFile);
        }
    }

    [Fact]
    public void Fold_column_gives_the_folds()
    {
        var lines = File.ReadAllLines(Reference("diabetes.csv")).Where(l => l.Length > 0).ToArray();
        string data = Path.Combine(Path.GetTempPath(), $"lsq-folds-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllLines(data, lines.Select((l, i) => i == 0 ? "fold," + l : $"{(i * 7) % 5},{l}"));
            var r = Lsq.Run("fit", data, "--target", "y", "--penalty", "lasso", "--lambda", "auto", "--n-lambda", "20", "--fold-column", "fold", "--format", "json");
            Assert.Equal(0, r.Code);
            using var output = JsonDocument.Parse(r.Out);
            Assert.Equal(5, output.RootElement.GetProperty("folds").GetInt32());
            Assert.Equal(11, output.RootElement.GetProperty("coefficients").GetArrayLength()); // the fold ids are not a predictor
            var rows = Rows(Reference("diabetes.csv"), out var terms);
            var ids = rows.Select((_, i) => ((i + 1) * 7) % 5).ToArray();
            AssertEqualsRefit(output.RootElement, rows, terms, ids, 5, 1);
        }
        finally
        {
            File.Delete(data);
        }
    }

    /// <summary>--partial carries each fold's state and merge combines them: split in two, the cross-validation is the whole file's.</summary>
    [Fact]
    public void Fold_states_travel_through_partial_and_merge()
    {
        var lines = File.ReadAllLines(Reference("diabetes.csv")).Where(l => l.Length > 0).ToArray();
        var folder = Directory.CreateTempSubdirectory("lsq-cv-parts-").FullName;
        try
        {
            var withFolds = lines.Select((l, i) => i == 0 ? l + ",fold" : $"{l},{(i * 3) % 4}").ToArray();
            string whole = Path.Combine(folder, "whole.csv"), a = Path.Combine(folder, "a.csv"), b = Path.Combine(folder, "b.csv");
            File.WriteAllLines(whole, withFolds);
            File.WriteAllLines(a, withFolds[..200]);
            File.WriteAllLines(b, withFolds[200..].Prepend(withFolds[0]));
            string[] cv = ["--penalty", "elasticnet", "--lambda", "auto", "--n-lambda", "25", "--format", "json"];
            var direct = Lsq.Run(["fit", whole, "--target", "y", "--fold-column", "fold", .. cv]);
            Assert.Equal(0, direct.Code);
            var parts = new[] { a, b }.Select(f => Lsq.Run("fit", f, "--target", "y", "--partial", "--fold-column", "fold")).ToArray();
            Assert.All(parts, p => Assert.Equal(0, p.Code));
            string partials = Path.Combine(folder, "parts.jsonl");
            File.WriteAllText(partials, string.Concat(parts.Select(p => p.Out)));
            var merged = Lsq.Run(["merge", partials, .. cv]);
            Assert.Equal(0, merged.Code);
            using var x = JsonDocument.Parse(direct.Out);
            using var y = JsonDocument.Parse(merged.Out);
            var px = x.RootElement.GetProperty("path").EnumerateArray().ToArray();
            var py = y.RootElement.GetProperty("path").EnumerateArray().ToArray();
            Assert.Equal(px.Length, py.Length);
            for (int i = 0; i < px.Length; i++)
            {
                double expected = px[i].GetProperty("cv_mse").GetDouble();
                Assert.Equal(expected, py[i].GetProperty("cv_mse").GetDouble(), 1e-10 * expected);
            }

            Assert.Equal(x.RootElement.GetProperty("lambda").GetDouble(), y.RootElement.GetProperty("lambda").GetDouble());

            // A partial without folds cannot be cross-validated.
            var plain = Lsq.Run("fit", whole, "--target", "y", "--partial");
            File.WriteAllText(partials, plain.Out);
            var refused = Lsq.Run(["merge", partials, .. cv]);
            Assert.Equal(1, refused.Code);
            Assert.Contains("partial fits carry no folds", refused.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_fold_column_with_one_value_is_refused()
    {
        string data = Path.Combine(Path.GetTempPath(), $"lsq-one-fold-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(data, "x,fold,y\n1,3,2\n2,3,4.5\n3,3,5.5\n");
            var r = Lsq.Run("fit", data, "--target", "y", "--penalty", "ridge", "--lambda", "auto", "--fold-column", "fold");
            Assert.Equal(2, r.Code);
            Assert.Equal("", r.Out);
            Assert.Equal($"lsq: error: --fold-column fold holds one value only in {data}; cross-validation needs at least 2 folds.\n", r.Err);
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static double[][] Rows(string file, out ModelTerms terms)
    {
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        terms = new ModelTerms(header[..^1], header[^1]);
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return rows;
    }

    private static void AssertEqualsRefit(JsonElement output, double[][] rows, ModelTerms terms, int[] fold, int folds, double ratio)
    {
        var path = output.GetProperty("path").EnumerateArray().ToArray();
        double bestMse = double.PositiveInfinity, bestLambda = 0;
        foreach (var point in path)
        {
            double lambda = point.GetProperty("lambda").GetDouble();
            double held = 0;
            var perFold = new List<(double Mse, int Count)>();
            for (int k = 0; k < folds; k++)
            {
                var train = MomentAccumulator.Create(terms);
                foreach (var (row, i) in rows.Select((row, i) => (row, i)).Where(t => fold[t.i] != k))
                {
                    train.Add(row);
                }

                var model = PenalizedSolver.Fit(train.ToMoments(), new Penalty(lambda, ratio));
                double sse = 0;
                int count = 0;
                foreach (var (row, i) in rows.Select((row, i) => (row, i)).Where(t => fold[t.i] == k))
                {
                    double prediction = model.Coefficients[0];
                    for (int j = 0; j < row.Length - 1; j++)
                    {
                        prediction += model.Coefficients[j + 1] * row[j];
                    }

                    sse += (row[^1] - prediction) * (row[^1] - prediction);
                    count++;
                }

                held += sse;
                perFold.Add((sse / count, count));
            }

            double cvMse = held / rows.Length;
            double cvSe = Math.Sqrt(perFold.Sum(f => f.Count * (f.Mse - cvMse) * (f.Mse - cvMse)) / rows.Length / (folds - 1));
            Assert.Equal(cvMse, point.GetProperty("cv_mse").GetDouble(), 1e-8 * cvMse);
            Assert.Equal(cvSe, point.GetProperty("cv_se").GetDouble(), 1e-6 * cvSe + 1e-12);
            if (cvMse < bestMse)
            {
                bestMse = cvMse;
                bestLambda = lambda;
            }
        }

        Assert.Equal(bestLambda, output.GetProperty("lambda_min").GetDouble());
        Assert.Equal(bestLambda, output.GetProperty("lambda").GetDouble());
    }

    [Fact]
    public void Lambda_auto_path_starts_at_glmnets_lambda_max()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Reference("penalized.json")));
        var glmnet = json.RootElement.GetProperty("glmnet").GetProperty("paths")[0];
        var r = Lsq.Run("fit", Reference("diabetes.csv"), "--target", "y", "--penalty", "lasso", "--lambda", "auto", "--format", "json");
        Assert.Equal(0, r.Code);
        using var output = JsonDocument.Parse(r.Out);
        var path = output.RootElement.GetProperty("path").EnumerateArray().Select(p => p.GetProperty("lambda").GetDouble()).ToArray();
        var expected = glmnet.GetProperty("lambda").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(100, path.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], path[i], 1e-10 * expected[i]); // glmnet stops early (88 values); the ones it gives agree
        }

        Assert.Equal(0, output.RootElement.GetProperty("path")[0].GetProperty("df").GetInt32());
    }

    [Fact]
    public void Gradient_descent_takes_a_penalty_too()
    {
        string data = Reference("diabetes.csv");
        var cd = Lsq.Run("fit", data, "--target", "y", "--penalty", "lasso", "--lambda", "4.52", "--format", "json");
        var gd = Lsq.Run("fit", data, "--target", "y", "--penalty", "lasso", "--lambda", "4.52", "--method", "gd", "--max-iter", "100000", "--tol", "1e-12", "--format", "json");
        Assert.Equal(0, cd.Code);
        Assert.Equal(0, gd.Code);
        using var a = JsonDocument.Parse(cd.Out);
        using var b = JsonDocument.Parse(gd.Out);
        Assert.Equal("gd", b.RootElement.GetProperty("method").GetString());
        Assert.Equal(a.RootElement.GetProperty("df").GetInt32(), b.RootElement.GetProperty("df").GetInt32());
        var x = a.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        var y = b.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        for (int j = 0; j < x.Length; j++)
        {
            Assert.Equal(x[j], y[j], 1e-6 * (Math.Abs(x[j]) + 1));
        }
    }

    /// <summary>Every refused penalty setting: its exit code and message (golden file).</summary>
    [Fact]
    public void Bad_penalty_settings_are_refused_with_clear_messages()
    {
        string data = Reference("diabetes.csv");
        string[][] cases =
        [
            ["--penalty", "lasso", "--lambda", "-1"],
            ["--penalty", "lasso", "--lambda", "abc"],
            ["--penalty", "lasso"],
            ["--penalty", "elasticnet", "--lambda", "1", "--l1-ratio", "1.5"],
            ["--penalty", "elasticnet", "--lambda", "1", "--l1-ratio", "-0.1"],
            ["--penalty", "lasso", "--lambda", "1", "--l1-ratio", "0.3"],
            ["--penalty", "lasso", "--lambda", "auto", "--folds", "1"],
            ["--penalty", "lasso", "--lambda", "auto", "--folds", "443"],
            ["--penalty", "lasso", "--lambda", "1", "--folds", "5"],
            ["--penalty", "lasso", "--lambda", "1", "--method", "qr"],
            ["--penalty", "lasso", "--lambda", "auto", "--method", "gd"],
            ["--penalty", "lasso", "--lambda", "1", "--method", "gd", "--optimizer", "adam"],
            ["--penalty", "lasso", "--lambda", "1", "--no-intercept"],
            ["--penalty", "lasso", "--lambda", "1", "--alpha", "0.1"],
            ["--lambda", "1"],
            ["--penalty", "lasso", "--lambda", "auto", "--fold-column", "sex", "--folds", "3"],
            ["--penalty", "lasso", "--lambda", "auto", "--fold-column", "nope"],
            ["--penalty", "lasso", "--lambda", "auto", "--fold-column", "sex", "--features", "sex,bmi"],
            ["--penalty", "lass", "--lambda", "1"],
        ];
        var sb = new StringBuilder();
        foreach (var extra in cases)
        {
            var r = Lsq.Run(["fit", data, "--target", "y", .. extra]);
            Assert.NotEqual(0, r.Code);
            Assert.Equal("", r.Out);
            Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
            sb.Append("$ lsq fit diabetes.csv --target y ").Append(string.Join(' ', extra)).Append('\n')
                .Append("exit ").Append(r.Code.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append(r.Err.Replace(data, "diabetes.csv", StringComparison.Ordinal)).Append('\n');
        }

        Golden.Match("fit-penalty-errors.txt", sb.ToString());
    }
}
