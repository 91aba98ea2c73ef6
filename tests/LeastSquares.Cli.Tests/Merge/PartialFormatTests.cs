using System.Globalization;
using System.Text.RegularExpressions;
using LeastSquares.Cli.Partials;
using LeastSquares.Numerics;

namespace LeastSquares.Cli.Tests;

/// <summary>The partial's JSON form: bit-exact round trip, and every way a partial can be wrong is an input error.</summary>
public sealed class PartialTests
{
    private static DoubleDouble RandomPair(Random rng)
    {
        // Magnitudes from subnormal to 1e300, both signs, and lo anywhere below half an ulp of hi.
        double hi = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-310, 300));
        double lo = hi * (rng.NextDouble() - 0.5) * Math.Pow(2, -53);
        return hi + lo == hi ? new DoubleDouble(hi, lo) : new DoubleDouble(hi, 0);
    }

    private static Moments RandomMoments(Random rng, ModelTerms terms, double centre, long count)
    {
        int m = terms.FeatureCount + 1;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            mean[i] = RandomPair(rng);
            for (int j = i; j < m; j++)
            {
                co[i, j] = co[j, i] = RandomPair(rng);
            }
        }

        // Special values: negative zero as a lo part, the smallest subnormal, the largest double.
        mean[0] = new DoubleDouble(1.0, -0.0);
        co[0, 0] = new DoubleDouble(double.Epsilon, 0);
        co[m - 1, m - 1] = new DoubleDouble(double.MaxValue, 0);
        return new Moments(terms, centre, count, mean, co);
    }

    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Round_trip_is_bit_exact(int seed)
    {
        var rng = new Random(seed);
        var models = new[]
        {
            (new ModelTerms(["a", "b \"quoted\"", "c,d", "ünïcode"], "y", 1, true), 0.0),
            (new ModelTerms(["t"], "temp", 7, false), 1.7e9 + 0.123),
        };
        foreach (var (terms, centre) in models)
        {
            var original = RandomMoments(rng, terms, centre, rng.NextInt64(0, long.MaxValue));
            var line = PartialJson.Serialize(original, 42, "9.9.9");
            Assert.EndsWith("}\n", line, StringComparison.Ordinal);
            Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var back = PartialJson.Parse(line, "test:1");
            Assert.Equal(42, back.SkippedRows);
            Assert.Equal("9.9.9", back.LsqVersion);
            Assert.True(back.Moments.Terms.SameModelAs(terms));
            Assert.Equal(original.Count, back.Moments.Count);
            Assert.Equal(BitConverter.DoubleToInt64Bits(original.Centre), BitConverter.DoubleToInt64Bits(back.Moments.Centre));
            int m = terms.FeatureCount + 1;
            for (int i = 0; i < m; i++)
            {
                AssertSameBits(original.GetMean(i), back.Moments.GetMean(i));
                for (int j = 0; j < m; j++)
                {
                    AssertSameBits(original.GetComoment(i, j), back.Moments.GetComoment(i, j));
                }
            }

            Assert.Equal(line, PartialJson.Serialize(back.Moments, 42, "9.9.9"));
        }
    }

    private static void AssertSameBits(DoubleDouble expected, DoubleDouble actual)
    {
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Hi), BitConverter.DoubleToInt64Bits(actual.Hi));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Lo), BitConverter.DoubleToInt64Bits(actual.Lo));
    }

    [Fact]
    public void Partials_are_culture_invariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "--partial");
            Assert.Equal(0, r.Code);
            Assert.Contains("\"mean\":[[0.95052327,", r.Out, StringComparison.Ordinal);
            Assert.Equal(r.Out, PartialJson.Serialize(PartialJson.Parse(r.Out, "x").Moments, 0, LsqApp.Version));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Accumulated_moments_survive_the_round_trip_through_the_command_line()
    {
        var r = Lsq.Run("fit", Lsq.Sample("timestamps.csv"), "--partial", "--degree", "2");
        Assert.Equal(0, r.Code);
        Assert.Matches("^\\{\"schema\":\"lsq-partial\",\"schema_version\":1,\"lsq_version\":\"[^\"]+\",\"predictors\":\\[\"timestamp\"\\],\"target\":\"temperature\",\"degree\":2,\"intercept\":true,\"centre\":[0-9.e+]+,\"n\":500,\"skipped_rows\":0,\"mean\":\\[(\\[[^\\]]+\\],?){3}\\],\"comoments\":\\[(\\[[^\\]]+\\],?){6}\\]\\}\n$", r.Out);
        Assert.Equal(r.Out, PartialJson.Serialize(PartialJson.Parse(r.Out, "x").Moments, 0, LsqApp.Version));
    }

    private const string Good =
        "{\"schema\":\"lsq-partial\",\"schema_version\":1,\"lsq_version\":\"0.1.0\",\"predictors\":[\"x\"],\"target\":\"y\",\"degree\":1,\"intercept\":true,\"centre\":0,\"n\":3,\"skipped_rows\":0,\"mean\":[[2,0],[4,0]],\"comoments\":[[2,0],[4,0],[8.5,0]]}";

    private static Lsq.Result MergeFiles(params string[] contents)
    {
        using var dir = new TempDir();
        var files = contents.Select((c, i) => dir.File($"p{i}.partial", c)).ToArray();
        var r = Lsq.Run(["merge", .. files]);
        return r with { Err = r.Err.Replace(dir.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal) };
    }

    private static void AssertInputError(Lsq.Result r, string pattern)
    {
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Matches("^lsq: error: " + pattern, r.Err);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_good_partial_fits() => Assert.Equal(0, MergeFiles(Good + "\n", Good).Code);

    public static TheoryData<string, string> Corruptions() => new()
    {
        { Good[..^40], @"p0\.partial:1: not a usable lsq partial: it is not valid JSON" },
        { "", @"no partials to merge: .*p0\.partial held no lines" },
        { "[1,2]", @"p0\.partial:1: not a usable lsq partial: it is a JSON array, not an object" },
        { "{\"n\":3}", "p0\\.partial:1: not a usable lsq partial: it has no \"schema\":\"lsq-partial\" field" },
        { Good.Replace("\"target\":\"y\",", "", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: the field \"target\" is missing" },
        { Good.Replace("[8.5,0]", "[8.5,0],[1,0]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"comoments\" has 4 entries, but its model needs 3" },
        { Good.Replace("[[2,0],[4,0]]", "[[2,0]]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"mean\" has 1 entries, but its model needs 2" },
        { Good.Replace("[8.5,0]", "[1e999,0]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"comoments\" entry \\(2, 2\\) holds 1e999, which is not a finite double" },
        { Good.Replace("[8.5,0]", "[8.5,\"0\"]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"comoments\" entry \\(2, 2\\) holds a string where a number belongs" },
        { Good.Replace("[8.5,0]", "[8.5,1]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"comoments\" entry \\(2, 2\\) \\[8.5, 1\\] is not a double-double" },
        { Good.Replace("[4,0]]", "[4]]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"mean\" entry 2 is not a pair" },
        { Good.Replace("\"n\":3", "\"n\":-3", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"n\" is negative \\(-3\\)" },
        { Good.Replace("\"n\":3", "\"n\":3.5", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"n\" holds '3.5', which is not a whole number" },
        { Good.Replace("\"centre\":0", "\"centre\":null", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"centre\" holds a null where a number belongs" },
        { Good.Replace("\"degree\":1", "\"degree\":0", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"degree\" is 0; lsq fits degrees 1 to 30" },
        { Good.Replace("\"degree\":1", "\"degree\":2000000000", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: \"degree\" is 2000000000; lsq fits degrees 1 to 30" },
        { Good.Replace("\"predictors\":[\"x\"]", "\"predictors\":[]", StringComparison.Ordinal), "p0\\.partial:1: not a usable lsq partial: its model is not one lsq can fit \\(A model needs at least one predictor" },
        { Good.Replace("\"schema_version\":1", "\"schema_version\":2", StringComparison.Ordinal), "p0\\.partial:1: the partial has schema version 2, but lsq [^ ]+ reads version 1 only" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_partial_is_an_input_error_naming_the_place(string content, string pattern) =>
        AssertInputError(MergeFiles(content), pattern);

    [Fact]
    public void A_corrupt_line_among_good_ones_is_named_by_line()
    {
        var r = Lsq.RunWithInput(Good + "\n\n" + Good + "\n" + Good[..50] + "\n", "merge");
        AssertInputError(r, Regex.Escape("<stdin>:4: not a usable lsq partial: it is not valid JSON"));
    }

    public static TheoryData<string, string, string> ModelDifferences() => new()
    {
        { "\"predictors\":[\"x\"]", "\"predictors\":[\"z\"]", "predictors is 'z', but the first partial \\(p0\\.partial:1\\) has 'x'" },
        { "\"target\":\"y\"", "\"target\":\"w\"", "target is 'w', but the first partial \\(p0\\.partial:1\\) has 'y'" },
        { "\"intercept\":true", "\"intercept\":false", "intercept is off \\(--no-intercept\\), but the first partial \\(p0\\.partial:1\\) has on" },
    };

    [Theory]
    [MemberData(nameof(ModelDifferences))]
    public void Partials_of_different_models_do_not_merge(string from, string to, string pattern) =>
        AssertInputError(MergeFiles(Good, Good + "\n" + Good.Replace(from, to, StringComparison.Ordinal)),
            "p1\\.partial:2: the partial's " + pattern + "\\. Partials merge only when they come from the same model");

    [Fact]
    public void Partials_of_different_degree_do_not_merge()
    {
        var linear = Lsq.RunWithInput("x,y\n1,2\n2,3\n3,5\n", "fit", "--partial");
        var quadratic = Lsq.RunWithInput("x,y\n1,2\n2,3\n3,5\n", "fit", "--partial", "--degree", "2");
        AssertInputError(Lsq.RunWithInput(linear.Out + quadratic.Out, "merge"),
            "<stdin>:2: the partial's degree is 2, but the first partial \\(<stdin>:1\\) has 1\\.");
    }

    [Fact]
    public void Missing_partial_file() =>
        AssertInputError(Lsq.Run("merge", "nowhere.partial"), Regex.Escape("nowhere.partial: no such file."));

    [Fact]
    public void Standard_input_twice_is_a_usage_error()
    {
        var r = Lsq.Run("merge", "-", "-");
        Assert.Equal(1, r.Code);
        Assert.Equal("lsq: error: '-' (standard input) is given more than once; it can be read only once.\n", r.Err);
    }

    [Theory]
    [InlineData("--method", "gd")]
    [InlineData("--format", "json")]
    [InlineData("--summary", null)]
    public void Solve_options_are_refused_with_partial(string option, string? value)
    {
        string[] extra = value is null ? [option] : [option, value];
        var fit = Lsq.Run(["fit", Lsq.Sample("linear.csv"), "--partial", .. extra]);
        Assert.Equal(1, fit.Code);
        Assert.Equal($"lsq: error: {option} has no effect with --partial, which writes the state to merge instead of a fit. Give {option} to 'lsq merge', which solves.\n", fit.Err);
        var merge = Lsq.RunWithInput(Good, ["merge", "--partial", .. extra]);
        Assert.Equal(1, merge.Code);
    }
}
