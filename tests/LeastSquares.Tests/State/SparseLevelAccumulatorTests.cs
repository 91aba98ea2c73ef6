using LeastSquares.Terms.Formulas;

namespace LeastSquares.Tests.State;

/// <summary>
/// Categorical columns summed sparsely (<see cref="SparseLevelAccumulator"/>, what a reader gets for
/// a model with factors) against the accumulator that writes every indicator column out
/// (<see cref="LevelAccumulator"/>): the same moments, level for level, and the same fit, on seeded
/// rows with several factors, interactions with numeric columns and with each other, levels met in
/// different orders by parts merged later.
/// </summary>
public sealed class SparseLevelAccumulatorTests
{
    private static readonly string[] Columns = ["x1", "x2", "g", "h", "k", "y"];

    /// <summary>The reader's model of <paramref name="formula"/>: g and h text columns, k numeric (factor(k) where the formula says so); every level gets a column, in the order met.</summary>
    internal static ModelTerms Model(string formula)
    {
        var parsed = FormulaParser.Parse(formula, Columns);
        var factors = new Dictionary<string, FactorColumn>
        {
            ["g"] = new FactorColumn("g", numeric: false, []),
            ["h"] = new FactorColumn("h", numeric: false, []),
            ["k"] = new FactorColumn("k", numeric: true, []),
        };
        var used = parsed.Terms.SelectMany(t => t.Variables).SelectMany(v => v.Columns).ToHashSet();
        return ModelTerms.FromFormula(parsed, factors.Where(f => used.Contains(f.Key)).ToDictionary(), coded: false);
    }

    /// <summary>Seeded rows: x1 about 1e6 (an offset the sums must survive), x2 in (0.5, 1.5), g of 30 levels (three of them rarer), h of 4, k of 3 numbers.</summary>
    internal static List<(double X1, double X2, string G, string H, double K, double Y)> Rows(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<(double, double, string, string, double, double)>();
        for (int i = 0; i < count; i++)
        {
            double x1 = 1e6 + rng.NextDouble();
            double x2 = 0.5 + rng.NextDouble();
            int g = rng.Next(30) is int a && a >= 27 && rng.Next(3) > 0 ? rng.Next(27) : a;
            int h = rng.Next(4);
            double k = new[] { 4, 6, 8 }[rng.Next(3)];
            double y = 3 + (2 * (x1 - 1e6)) - x2 + (0.1 * g) + (h * (x1 - 1e6)) + (0.2 * k) + rng.NextDouble();
            rows.Add((x1, x2, "g" + g, "h" + h, k, y));
        }

        return rows;
    }

    /// <summary>Adds <paramref name="rows"/> to <paramref name="accumulator"/> as a reader does: each categorical cell as its code in the accumulator's levels; with <paramref name="weights"/>, weighted.</summary>
    internal static void Read(MomentAccumulator accumulator, IEnumerable<(double X1, double X2, string G, string H, double K, double Y)> rows,
        Func<(double X1, double X2, string G, string H, double K, double Y), double>? weights = null)
    {
        var terms = accumulator.Terms;
        var levels = accumulator.RowLevels!;
        var row = new double[terms.RowWidth];
        foreach (var r in rows)
        {
            for (int j = 0; j < terms.Predictors.Count; j++)
            {
                string column = terms.Predictors[j];
                object cell = column switch { "x1" => r.X1, "x2" => r.X2, "g" => r.G, "h" => r.H, "k" => r.K, _ => throw new InvalidOperationException(column) };
                row[j] = levels[j] is { } l ? l.CodeOf(cell is double d ? FactorColumn.LevelOf(d) : (string)cell) : (double)cell;
            }

            row[^1] = r.Y;
            if (weights is null)
            {
                accumulator.Add(row);
            }
            else
            {
                accumulator.AddWeighted(row, weights(r));
            }
        }
    }

    /// <summary>
    /// A seeded weight for each row (from its values, so that parts read in any order weigh a row
    /// the same): 0 on about one row in nine, else between 0.05 and 20 (a spread of 400).
    /// </summary>
    internal static double Weight((double X1, double X2, string G, string H, double K, double Y) r)
    {
        int hash = (int)(Math.Abs(r.Y * 1e6) % 9973);
        return hash % 9 == 0 ? 0 : 0.05 * Math.Pow(400, (hash % 101) / 100.0);
    }

    public static TheoryData<string> Formulas => new()
    {
        "y ~ x1 + x2 + g",
        "y ~ x2 * g + h",
        "y ~ x2 + g:h - 1",
        "y ~ g * h + x1",
        "y ~ log(x2) + x1:g:h + poly(x2, 2, raw = TRUE):g",
        "y ~ g - 1",
        "y ~ g + h - 1",
        "log(y) ~ x1 + factor(k) + g",
        "y ~ x2:factor(k):g + x1",
        "y ~ I(x1 - 1e6):h + g:x2",
    };

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Sparse_sums_give_the_moments_and_fit_of_the_written_out_indicators(string formula)
    {
        var terms = Model(formula);
        var sparse = MomentAccumulator.Create(terms);
        Assert.IsType<SparseLevelAccumulator>(sparse);
        var dense = new LevelAccumulator(terms, FitMethod.Normal);
        var rows = Rows(6000, formula.Length);
        Read(sparse, rows);
        Read(dense, rows);

        AssertSameMoments(dense.ToMoments(), sparse.ToMoments(), formula);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Weighted_sparse_sums_give_the_weighted_moments_and_fit_of_the_written_out_indicators(string formula)
    {
        var terms = Model(formula);
        var sparse = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
        Assert.IsType<SparseLevelAccumulator>(sparse);
        var dense = new LevelAccumulator(terms, FitMethod.Normal, weighted: true);
        var rows = Rows(6000, formula.Length + 1);
        Read(sparse, rows, Weight);
        Read(dense, rows, Weight);

        var b = dense.ToMoments();
        Assert.True(b.Count < rows.Count && b.Count > rows.Count * 3 / 4, $"{b.Count} rows of positive weight");
        AssertSameMoments(b, sparse.ToMoments(), formula);
    }

    [Fact]
    public void Weighted_sparse_sums_leave_out_rows_of_weight_0_and_keep_the_levels_met_only_there()
    {
        // Level g99 only on rows of weight 0: its column is there (the level was read) and zero, as
        // in the written-out indicators, and no row of weight 0 counts or moves a sum.
        var terms = Model("y ~ x2 * g");
        var rows = Rows(500, 11);
        var zero = rows.Take(40).Select(r => r with { G = "g99", Y = r.Y * 1e9 }).ToList();
        var sparse = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
        var dense = new LevelAccumulator(terms, FitMethod.Normal, weighted: true);
        var without = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
        Read(sparse, zero.Concat(rows), r => r.G == "g99" ? 0 : Weight(r));
        Read(dense, zero.Concat(rows), r => r.G == "g99" ? 0 : Weight(r));
        Read(without, rows, Weight);

        var a = sparse.ToMoments();
        AssertSameMoments(dense.ToMoments(), a, "weight 0", fit: false);
        Assert.Equal(without.Count, a.Count);
        Assert.Contains(a.Terms.FeatureKeys, k => k.Contains("g99", StringComparison.Ordinal));
        var b = without.ToMoments();
        Assert.Equal(b.Weight.Hi, a.Weight.Hi);
        Assert.Equal(b.GetMean(b.FeatureCount).Hi, a.GetMean(a.FeatureCount).Hi);
    }

    [Theory]
    [InlineData("y ~ x2 * g + h")]
    [InlineData("y ~ g * h + x2")]
    public void Weighted_parts_that_meet_levels_in_other_orders_merge_to_the_whole(string formula)
    {
        var terms = Model(formula);
        var rows = Rows(4000, 17);
        var first = rows.Where(r => int.Parse(r.G[1..], System.Globalization.CultureInfo.InvariantCulture) >= 10).ToList();
        var second = rows.Where(r => int.Parse(r.G[1..], System.Globalization.CultureInfo.InvariantCulture) < 10).Reverse().ToList();
        var third = rows.Where(r => Weight(r) > 0).Take(1).ToList();

        var whole = new LevelAccumulator(terms, FitMethod.Normal, weighted: true);
        Read(whole, third.Concat(second).Concat(first), Weight);
        var parts = new[] { first, second, third }.Select(part =>
        {
            var accumulator = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
            Read(accumulator, part, Weight);
            return accumulator.ToMoments();
        }).ToArray();
        Assert.NotEqual(parts[0].Terms.FeatureKeys, parts[1].Terms.FeatureKeys);
        var merged = Moments.Merge(parts[2], Moments.Merge(parts[1], parts[0]));

        Assert.Equal(whole.Count, merged.Count);
        AssertSameFit(Fit(whole.ToMoments()), Fit(merged), 12, formula);
    }

    [Fact]
    public void Weighted_sparse_sums_share_a_readers_levels()
    {
        // Rows read once into an unweighted state and a weighted one beside it (as poly()'s basis is read).
        var terms = Model("y ~ x2:g + h");
        var reader = MomentAccumulator.Create(terms);
        var beside = MomentAccumulator.CreateSharingLevels(reader, FitMethod.Normal, weighted: true);
        Assert.IsType<SparseLevelAccumulator>(beside);
        var dense = new LevelAccumulator(terms, FitMethod.Normal, weighted: true);
        var rows = Rows(3000, 5);
        foreach (var r in rows)
        {
            Read(reader, [r]);
            Read(beside, [r], Weight); // the codes of the reader's levels
        }

        Read(dense, rows, Weight);
        AssertSameMoments(dense.ToMoments(), beside.ToMoments(), "shared levels");
    }

    /// <summary>The same model, rows, weights, means and co-moments to about 1e-22 of their scale, and the same fit to 12 digits.</summary>
    private static void AssertSameMoments(Moments b, Moments a, string formula, bool fit = true)
    {
        Assert.Equal(b.Terms.FeatureKeys, a.Terms.FeatureKeys);
        Assert.Equal(b.Count, a.Count);
        Assert.Equal(b.Weights is null, a.Weights is null);
        if (b.Weights is { } bw)
        {
            Assert.True(Math.Abs((a.Weights!.Total - bw.Total).Hi) <= 1e-28 * bw.Total.Hi, $"total weight {a.Weights.Total} vs {bw.Total}");
            Assert.Equal(bw.LogSum, a.Weights.LogSum, 1e-9);
        }

        int m = a.FeatureCount + 1;
        for (int i = 0; i < m; i++)
        {
            Assert.True(Math.Abs((a.GetMean(i) - b.GetMean(i)).Hi) <= 1e-26 * Math.Max(1, Math.Abs(b.GetMean(i).Hi)), $"mean {i}: {a.GetMean(i)} vs {b.GetMean(i)}");
            for (int j = 0; j < m; j++)
            {
                double scale = Math.Sqrt(Math.Abs(b.GetComoment(i, i).Hi * b.GetComoment(j, j).Hi));
                Assert.True(Math.Abs((a.GetComoment(i, j) - b.GetComoment(i, j)).Hi) <= 1e-22 * scale,
                    $"co-moment ({i}, {j}) of {formula}: {a.GetComoment(i, j)} vs {b.GetComoment(i, j)}");
            }
        }

        if (fit)
        {
            AssertSameFit(Fit(b), Fit(a), 12, formula);
        }
    }

    [Theory]
    [InlineData("y ~ x2 * g + h")]
    [InlineData("y ~ g * h + x2")]
    [InlineData("y ~ x2:factor(k):g + x1")]
    public void Parts_that_meet_levels_in_other_orders_merge_to_the_whole(string formula)
    {
        // Part one never meets g0…g9; part two meets its levels backwards (g29 first); part three is one row.
        var terms = Model(formula);
        var rows = Rows(4000, 7);
        var first = rows.Where(r => int.Parse(r.G[1..], System.Globalization.CultureInfo.InvariantCulture) >= 10).ToList();
        var second = rows.Where(r => int.Parse(r.G[1..], System.Globalization.CultureInfo.InvariantCulture) < 10)
            .Concat(rows.Where(r => r.G == "g29")).Reverse().ToList();
        var third = rows.Take(1).ToList();

        var whole = MomentAccumulator.Create(terms);
        Read(whole, first.Concat(second).Concat(third));
        var parts = new[] { first, second, third }.Select(part =>
        {
            var accumulator = MomentAccumulator.Create(terms);
            Read(accumulator, part);
            return accumulator.ToMoments();
        }).ToArray();
        Assert.NotEqual(parts[0].Terms.FeatureKeys, parts[1].Terms.FeatureKeys);
        var merged = Moments.Merge(Moments.Merge(parts[1], parts[0]), parts[2]);

        AssertSameFit(Fit(whole.ToMoments()), Fit(merged), 12, formula);
    }

    [Fact]
    public void Many_levels_fit_the_level_means()
    {
        // 400 levels, 20,000 rows: each coefficient of y ~ g - 1 is its level's mean.
        var terms = Model("y ~ g - 1");
        var accumulator = MomentAccumulator.Create(terms);
        var levels = accumulator.RowLevels![0]!;
        var sums = new double[400];
        var counts = new int[400];
        var rng = new Random(3);
        var row = new double[2];
        for (int i = 0; i < 20000; i++)
        {
            int g = rng.Next(400);
            double y = g + rng.NextDouble();
            row[0] = levels.CodeOf("s" + g.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
            row[1] = y;
            accumulator.Add(row);
            sums[g] += y;
            counts[g]++;
        }

        var fit = Fit(accumulator.ToMoments());
        Assert.Equal(400, fit.Coefficients.Count);
        for (int g = 0; g < 400; g++)
        {
            string name = "gs" + g.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            int j = fit.Terms.TermNames.ToList().IndexOf(name);
            Assert.True(Synthetic.Digits(sums[g] / counts[g], fit.Coefficients[j]) >= 13, name);
        }
    }

    private static FitResult Fit(Moments moments) =>
        Solver.Fit(moments.Reindex(moments.Terms.Coded()), new SolverOptions { Method = FitMethod.Normal });

    private static void AssertSameFit(FitResult expected, FitResult got, double digits, string what)
    {
        Assert.Equal(expected.Terms.TermNames, got.Terms.TermNames);
        for (int j = 0; j < expected.Coefficients.Count; j++)
        {
            Assert.True(Synthetic.Digits(expected.Coefficients[j], got.Coefficients[j]) >= digits,
                $"{what}: {expected.Terms.TermNames[j]} {expected.Coefficients[j]:R} vs {got.Coefficients[j]:R}");
        }
    }
}
