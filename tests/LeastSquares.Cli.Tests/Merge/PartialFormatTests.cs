using System.Globalization;
using LeastSquares.Cli.Partials;
using LeastSquares.Numerics;

namespace LeastSquares.Cli.Tests;

/// <summary>The partial's JSON form: a bit-exact round trip under any culture (its errors are in Errors/MergeErrorTests).</summary>
public sealed class PartialFormatTests
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
}
