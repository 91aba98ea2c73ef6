using System.Globalization;
using Xunit.Abstractions;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq fit --partial + lsq merge give the numbers of one lsq fit over all rows (and the NIST
/// certified values), whatever the split, order and grouping of the parts.
/// </summary>
public sealed class MergeAccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> NistSplits()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in NistFiles.Names)
        {
            foreach (var k in new[] { 2, 3, 7 })
            {
                data.Add(name, k);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(NistSplits))]
    public void Nist_set_split_and_merged_matches_one_fit_and_the_certified_values(string name, int k)
    {
        var set = NistFiles.Load(name);
        using var dir = new TempDir();
        var whole = dir.File("whole.csv", set.Header + "\n" + string.Join("\n", set.Rows) + "\n");
        var single = SplitFit.Json(Lsq.Run(["fit", whole, .. set.Model, "-f", "json", "--summary"]));
        var sizes = SplitFit.Sizes(set.Rows.Length, k);
        var partials = SplitFit.Partials(dir, set.Header, set.Rows, sizes, set.Model);

        foreach (var (how, merged) in SplitFit.MergedFits(dir, partials, []))
        {
            Assert.Equal(set.Rows.Length, merged.GetProperty("n").GetInt64());
            var reference = SplitFit.Numbers(single).ToArray();
            var actual = SplitFit.Numbers(merged).ToArray();
            Assert.Equal(reference.Select(r => r.What), actual.Select(a => a.What));
            var vsSingle = actual.Zip(reference, (a, r) => (a.What, Lre: SplitFit.Lre(a.Value, r.Value))).MinBy(x => x.Lre);

            var coefficients = merged.GetProperty("coefficients").EnumerateArray().ToArray();
            var vsCertified = new List<(string What, double Lre)>();
            for (int j = 0; j < set.Estimates.Length; j++)
            {
                vsCertified.Add(($"B{j} estimate", SplitFit.Lre(coefficients[j].GetProperty("estimate").GetDouble(), SplitFit.Parse(set.Estimates[j]))));
                vsCertified.Add(($"B{j} std_dev", SplitFit.Lre(coefficients[j].GetProperty("std_error").GetDouble(), SplitFit.Parse(set.StdDevs[j]))));
            }

            vsCertified.Add(("residual_sd", SplitFit.Lre(merged.GetProperty("residual_std_error").GetDouble(), SplitFit.Parse(set.ResidualSd))));
            vsCertified.Add(("r_squared", SplitFit.Lre(merged.GetProperty("r_squared").GetDouble(), SplitFit.Parse(set.RSquared))));
            var worst = vsCertified.MinBy(x => x.Lre);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} k={k} parts [{string.Join(" ", sizes)}] {how}: LRE vs one fit {vsSingle.Lre:F1} ({vsSingle.What}), vs certified {worst.Lre:F1} ({worst.What})"));
            Assert.True(vsSingle.Lre >= 12, $"{name}, {k} parts, {how}: {vsSingle.What} agrees with one fit to LRE {vsSingle.Lre:F2} < 12");
            Assert.True(worst.Lre >= 12, $"{name}, {k} parts, {how}: {worst.What} agrees with NIST to LRE {worst.Lre:F2} < 12");
        }
    }

    [Theory]
    [InlineData(2, "linear")]
    [InlineData(3, "linear")]
    [InlineData(7, "linear")]
    [InlineData(2, "cubic")]
    [InlineData(3, "cubic")]
    [InlineData(7, "cubic")]
    public void Shifted_predictor_split_and_merged_matches_one_fit(int k, string model)
    {
        var (header, rows) = SeededRows.Shifted(1000, 20240 + k);
        // The cubic in t alone exercises the merge of parts with different polynomial centres.
        string[] args = model == "cubic" ? ["-x", "t", "-y", "y", "--degree", "3"] : ["-x", "t,u", "-y", "y"];
        using var dir = new TempDir();
        var whole = dir.File("whole.csv", header + "\n" + string.Join("\n", rows) + "\n");
        var single = SplitFit.Json(Lsq.Run(["fit", whole, .. args, "-f", "json", "--summary"]));
        var partials = SplitFit.Partials(dir, header, rows, SplitFit.Sizes(rows.Length, k), args);
        foreach (var (how, merged) in SplitFit.MergedFits(dir, partials, []))
        {
            var worst = SplitFit.Numbers(merged).Zip(SplitFit.Numbers(single), (a, r) => (a.What, Lre: SplitFit.Lre(a.Value, r.Value)))
                .MinBy(x => x.Lre);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model} k={k} {how}: LRE vs one fit {worst.Lre:F1} ({worst.What})"));
            Assert.True(worst.Lre >= 12, $"{model}, {k} parts, {how}: {worst.What} has LRE {worst.Lre:F2} < 12");
        }
    }

    [Fact]
    public void Gradient_descent_runs_on_merged_partials()
    {
        var (header, rows) = SeededRows.Shifted(500, 7);
        string[] model = ["-x", "t,u", "-y", "y"];
        using var dir = new TempDir();
        var whole = dir.File("whole.csv", header + "\n" + string.Join("\n", rows) + "\n");
        var exact = SplitFit.Json(Lsq.Run(["fit", whole, .. model, "-f", "json"]));
        var partials = SplitFit.Partials(dir, header, rows, SplitFit.Sizes(rows.Length, 3), model);
        var gd = SplitFit.Json(Lsq.Run(["merge", .. partials, "-f", "json", "--method", "gd", "--tol", "1e-13", "--max-iter", "100000"]));
        Assert.Equal("gd", gd.GetProperty("method").GetString());
        Assert.True(gd.GetProperty("converged").GetBoolean());
        var estimates = gd.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble());
        var reference = exact.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble());
        foreach (var (a, r) in estimates.Zip(reference))
        {
            Assert.True(SplitFit.Lre(a, r) >= 8, $"gd on merged partials gave {a}, the exact fit {r}");
        }
    }
}
