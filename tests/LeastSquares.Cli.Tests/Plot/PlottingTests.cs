using LeastSquares.Cli.Plotting;

namespace LeastSquares.Cli.Tests;

/// <summary>The parts of lsq plot that need no picture: the point sample, trace thinning, fitted values, font choice.</summary>
public sealed class PlottingTests
{
    [Fact]
    public void Sample_keeps_every_row_in_order_while_under_capacity()
    {
        var sample = new PointSample(capacity: 10, width: 2, seed: 1);
        for (int i = 0; i < 7; i++)
        {
            sample.Offer([i, 10 * i]);
        }

        Assert.Equal(7, sample.Count);
        Assert.False(sample.IsSubset);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6], sample.Column(0));
        Assert.Equal([0.0, 10, 20, 30, 40, 50, 60], sample.Column(1));
    }

    [Fact]
    public void Sample_is_bounded_and_keeps_rows_whole()
    {
        var sample = new PointSample(capacity: 50, width: 2, seed: 5);
        for (int i = 0; i < 100_000; i++)
        {
            sample.Offer([i, -i]);
        }

        Assert.Equal(50, sample.Count);
        Assert.Equal(100_000, sample.Seen);
        Assert.True(sample.IsSubset);
        for (int i = 0; i < sample.Count; i++)
        {
            var row = sample.Row(i);
            Assert.Equal(-row[0], row[1]);
        }

        Assert.Equal(50, sample.Column(0).Distinct().Count());
    }

    [Fact]
    public void Sample_is_uniform_over_the_stream()
    {
        // Each of 10,000 rows is kept with probability 100/10,000. Over 200 seeds, 20,000 kept rows:
        // the share from each quarter of the stream is 0.25 with standard deviation about 0.003.
        var quarters = new int[4];
        for (int seed = 0; seed < 200; seed++)
        {
            var sample = new PointSample(100, 1, seed);
            for (int i = 0; i < 10_000; i++)
            {
                sample.Offer([i]);
            }

            foreach (var v in sample.Column(0))
            {
                quarters[(int)v / 2500]++;
            }
        }

        foreach (var q in quarters)
        {
            Assert.InRange(q / 20_000.0, 0.235, 0.265);
        }
    }

    [Fact]
    public void Samples_of_parts_merge_into_a_uniform_sample_of_all_rows()
    {
        // Parts of unequal sizes (500, 4,500, 2,000, 3,000 rows, each sampled on its own with
        // capacity 100): the merged sample of 100 takes each quarter of the 10,000 rows with
        // share 0.25 (standard deviation about 0.003 over 200 seeds).
        int[] sizes = [500, 4500, 2000, 3000];
        var quarters = new int[4];
        for (int seed = 0; seed < 200; seed++)
        {
            var parts = new List<PointSample>();
            int start = 0;
            foreach (var (size, k) in sizes.Select((size, k) => (size, k)))
            {
                var part = new PointSample(100, 1, (seed * 10) + k);
                for (int i = start; i < start + size; i++)
                {
                    part.Offer([i]);
                }

                parts.Add(part);
                start += size;
            }

            var merged = PointSample.Merge(parts, 100, seed);
            Assert.Equal(100, merged.Count);
            Assert.Equal(10_000, merged.Seen);
            Assert.Equal(100, merged.Column(0).Distinct().Count());
            foreach (var v in merged.Column(0))
            {
                quarters[(int)v / 2500]++;
            }
        }

        foreach (var q in quarters)
        {
            Assert.InRange(q / 20_000.0, 0.235, 0.265);
        }
    }

    [Fact]
    public void Parts_with_fewer_rows_than_the_capacity_in_all_merge_into_every_row_in_order()
    {
        var a = new PointSample(10, 1, 1);
        var b = new PointSample(10, 1, 2);
        a.Offer([1]);
        a.Offer([2]);
        b.Offer([3]);
        var merged = PointSample.Merge([a, b], 10, 7);
        Assert.Equal([1.0, 2, 3], merged.Column(0));
        Assert.False(merged.IsSubset);
    }

    [Fact]
    public void Every_row_of_a_short_stream_has_the_same_chance()
    {
        // 3 of 12 rows: each row is kept with probability 1/4; over 4,000 seeds the standard
        // deviation of each row's frequency is about 0.007.
        var kept = new int[12];
        for (int seed = 0; seed < 4000; seed++)
        {
            var sample = new PointSample(3, 1, seed);
            for (int i = 0; i < 12; i++)
            {
                sample.Offer([i]);
            }

            Assert.Equal(3, sample.Column(0).Distinct().Count());
            foreach (var v in sample.Column(0))
            {
                kept[(int)v]++;
            }
        }

        foreach (var k in kept)
        {
            Assert.InRange(k / 4000.0, 0.22, 0.28);
        }
    }

    [Fact]
    public void Sample_depends_only_on_the_seed()
    {
        static double[] Draw(int seed)
        {
            var sample = new PointSample(20, 1, seed);
            for (int i = 0; i < 1000; i++)
            {
                sample.Offer([i]);
            }

            return sample.Column(0);
        }

        Assert.Equal(Draw(9), Draw(9));
        Assert.NotEqual(Draw(9), Draw(10));
    }

    [Fact]
    public void Thinning_keeps_first_and_last_point_and_the_bound()
    {
        var n = 123_457;
        var curve = new LossCurve("t", Enumerable.Range(0, n).Select(i => (double)i).ToArray(), Enumerable.Range(0, n).Select(i => 1.0 / (i + 1)).ToArray());
        var thin = TraceFile.Thin(curve, 10_000);
        Assert.InRange(thin.Count, 9_000, 10_000);
        Assert.Equal(0, thin.Iterations[0]);
        Assert.Equal(n - 1, thin.Iterations[^1]);
        Assert.Equal(1.0 / n, thin.Losses[^1]);
        Assert.Same(curve, TraceFile.Thin(curve, n));
    }

    [Fact]
    public void Fitted_values_drawn_come_from_the_fit_as_a_linear_model()
    {
        var linear = Fit(new ModelTerms(["a", "b"], "y"), [1.5, 2, -3]);
        Assert.Equal(1.5 + (2 * 4) - (3 * 5), LinearModel.FromFit(linear).Predict([4, 5]));

        var noIntercept = Fit(new ModelTerms(["a"], "y", intercept: false), [2]);
        Assert.Equal(14, LinearModel.FromFit(noIntercept).Predict([7]));

        var cubic = Fit(new ModelTerms(["x"], "y", degree: 3), [1, -2, 0.5, 0.25]);
        Assert.Equal(1 - 4 + 2 + 2, LinearModel.FromFit(cubic).Predict([2]));

        // Timestamps: an intercept of -3.4e6 cancels a slope term of 3.4e6. The double nearest 0.002
        // exceeds it by 4.1633363423443370e-20 (Python: Decimal(0.002) - Decimal("0.002")), so the exact
        // value is 0.001 + 4.16e-20 * 1700000000.5 = 0.00100000007077671784; plain double arithmetic
        // gives 0.00100000016391.
        var shifted = Fit(new ModelTerms(["t"], "y"), [-3_400_000, 0.002]);
        Assert.Equal(0.00100000007077671784, LinearModel.FromFit(shifted).Predict([1_700_000_000.5]), 1e-17);
    }

    [Fact]
    public void Font_choice_prefers_common_sans_fonts_then_the_default_then_any()
    {
        Assert.Equal("DejaVu Sans", FontCheck.Choose(["DejaVu Serif", "DejaVu Sans", "Noto Sans"], "DejaVu Serif"));
        Assert.Equal("Noto Sans", FontCheck.Choose(["Noto Sans Mono", "Noto Sans"], null));
        Assert.Equal("Fira Sans", FontCheck.Choose(["Ubuntu", "Fira Sans"], "Fira Sans"));
        Assert.Equal("Cantarell", FontCheck.Choose(["Ubuntu", "Cantarell"], "Missing Family"));
    }

    [Fact]
    public void No_installed_font_is_an_error_that_says_what_to_install()
    {
        var e = Assert.Throws<InputException>(() => FontCheck.Choose([], "DejaVu Sans"));
        Assert.Contains("apt-get install fonts-dejavu-core", e.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => FontCheck.Choose(["", " "], ""));

        // Through the reporter it is an input error (exit 2) with the lsq prefix.
        var stderr = new StringWriter();
        Assert.Equal(2, ErrorReporter.Report(e, stderr));
        Assert.StartsWith("lsq: error: no font found", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void This_machine_has_a_font_with_glyphs() => Assert.False(string.IsNullOrEmpty(FontCheck.Find()));

    private static FitResult Fit(ModelTerms terms, double[] coefficients) => new()
    {
        Terms = terms,
        Method = "normal",
        Count = 10,
        Coefficients = coefficients,
        SumOfSquaredErrors = 1,
        TotalSumOfSquares = 2,
    };
}
