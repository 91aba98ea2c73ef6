using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Splits a CSV into parts, fits each with <c>lsq fit --partial</c> and merges the partials in
/// several orders and groupings, so that each merged fit can be compared with one pass.
/// </summary>
internal static class SplitFit
{
    /// <summary>
    /// Sizes of k parts of n rows: the first has one row, the others grow unevenly (1 : 2 : 3 …).
    /// With fewer rows than parts, the parts past the n-th are empty (header only).
    /// </summary>
    public static int[] Sizes(int n, int k)
    {
        var sizes = new int[k];
        if (n <= k)
        {
            for (int i = 0; i < n; i++)
            {
                sizes[i] = 1;
            }

            return sizes;
        }

        sizes[0] = 1;
        int rest = n - k; // every other part gets one row, then a share of this by weight
        int weights = k * (k - 1) / 2;
        int given = 0;
        for (int i = 1; i < k; i++)
        {
            int share = i == k - 1 ? rest - given : rest * i / weights;
            sizes[i] = 1 + share;
            given += share;
        }

        return sizes;
    }

    /// <summary>Writes the parts (each with the header) and their partials; returns the partial files.</summary>
    public static string[] Partials(TempDir dir, string header, IReadOnlyList<string> rows, int[] sizes, string[] model)
    {
        var partials = new string[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.True(sizes[i] >= 0);
            var part = dir.File($"part{i}.csv", header + "\n" + string.Concat(rows.Skip(start).Take(sizes[i]).Select(r => r + "\n")));
            start += sizes[i];
            partials[i] = Path.Combine(dir.Path, $"part{i}.partial");
            var r = Lsq.Run(["fit", part, "--partial", .. model, "-o", partials[i]]);
            Assert.True(r.Code == 0, r.Err);
        }

        Assert.Equal(rows.Count, start);
        return partials;
    }

    /// <summary>The JSON fits of the same partials merged in four different ways.</summary>
    public static IEnumerable<(string How, JsonElement Fit)> MergedFits(TempDir dir, string[] partials, string[] solve)
    {
        // In the order written, as files.
        yield return ("files in order", Json(Lsq.Run(["merge", .. partials, "-f", "json", "--summary", .. solve])));

        // Reversed, as many lines on standard input (what a pipe of mappers gives).
        var reversed = string.Concat(partials.Reverse().Select(File.ReadAllText));
        yield return ("stdin reversed", Json(Lsq.RunWithInput(reversed, ["merge", "-f", "json", "--summary", .. solve])));

        // A tree: pairs merged into partials, level by level.
        var level = partials.ToList();
        int step = 0;
        while (level.Count > 1)
        {
            var next = new List<string>();
            for (int i = 0; i < level.Count; i += 2)
            {
                if (i + 1 == level.Count)
                {
                    next.Add(level[i]);
                    continue;
                }

                var output = Path.Combine(dir.Path, $"tree{step++}.partial");
                var r = Lsq.Run("merge", "--partial", level[i + 1], level[i], "-o", output);
                Assert.True(r.Code == 0, r.Err);
                next.Add(output);
            }

            level = next;
        }

        yield return ("pairwise tree", Json(Lsq.Run(["merge", level[0], "-f", "json", "--summary", .. solve])));

        // Shuffled (seeded), half from files, half from standard input in the middle.
        var shuffled = partials.ToArray();
        new Random(partials.Length).Shuffle(shuffled);
        int half = shuffled.Length / 2;
        var stdin = string.Concat(shuffled.Skip(half).Select(File.ReadAllText));
        var args = shuffled.Take(half).Take(1).Append("-").Concat(shuffled.Take(half).Skip(1)).ToArray();
        yield return ("shuffled, files and stdin", Json(Lsq.RunWithInput(stdin, ["merge", .. args, "-f", "json", "--summary", .. solve])));
    }

    public static JsonElement Json(Lsq.Result r)
    {
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    /// <summary>The numbers compared between fits: each coefficient and its standard error, then the fit statistics.</summary>
    public static IEnumerable<(string What, double Value)> Numbers(JsonElement fit)
    {
        foreach (var c in fit.GetProperty("coefficients").EnumerateArray())
        {
            var term = c.GetProperty("term").GetString();
            yield return ($"{term} estimate", c.GetProperty("estimate").GetDouble());
            yield return ($"{term} std_error", c.GetProperty("std_error").GetDouble());
        }

        foreach (var name in new[] { "mse", "residual_std_error", "r_squared", "f_statistic", "aic" })
        {
            if (fit.GetProperty(name).ValueKind == JsonValueKind.Number)
            {
                yield return (name, fit.GetProperty(name).GetDouble());
            }
        }
    }

    /// <summary>LRE = −log10(|a − b| / |b|), absolute where b is 0, capped at 15.</summary>
    public static double Lre(double estimate, double reference)
    {
        double err = reference == 0 ? Math.Abs(estimate) : Math.Abs(estimate - reference) / Math.Abs(reference);
        return err == 0 ? 15 : Math.Min(15, -Math.Log10(err));
    }

    public static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary>The NIST StRD files in ../shared/reference/nist-strd beside the checkout (skipped when absent).</summary>
internal static class NistFiles
{
    public static readonly string[] Names =
        ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley", "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"];

    public sealed record Set(string Name, string Header, string[] Rows, string[] Model, string[] Estimates, string[] StdDevs,
        string ResidualSd, string RSquared);

    public static Set Load(string name)
    {
        var folder = Path.Combine(Path.GetDirectoryName(Lsq.RepoRoot)!, "shared", "reference", "nist-strd");
        Skip.If(!Directory.Exists(folder), $"{folder} is not beside this checkout; the NIST tests need it.");
        var lines = File.ReadAllLines(Path.Combine(folder, name + ".csv")).Where(l => l.Length > 0).ToArray();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, name + ".json")));
        var root = json.RootElement;
        var degree = root.GetProperty("degree");
        var model = new List<string> { "-y", "y" }; // NIST files put y first
        if (degree.ValueKind == JsonValueKind.Number && degree.GetInt32() > 1)
        {
            model.AddRange(["--degree", degree.GetInt32().ToString(CultureInfo.InvariantCulture)]);
        }

        if (!root.GetProperty("intercept").GetBoolean())
        {
            model.Add("--no-intercept");
        }

        var parameters = root.GetProperty("parameters").EnumerateArray().ToArray();
        return new Set(name, lines[0], lines[1..], [.. model],
            parameters.Select(p => p.GetProperty("estimate").GetString()!).ToArray(),
            parameters.Select(p => p.GetProperty("std_dev").GetString()!).ToArray(),
            root.GetProperty("residual_sd").GetString()!, root.GetProperty("r_squared").GetString()!);
    }
}
