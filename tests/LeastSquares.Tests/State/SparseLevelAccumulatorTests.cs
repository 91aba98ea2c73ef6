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
    private static ModelTerms Model(string formula)
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
    private static List<(double X1, double X2, string G, string H, double K, double Y)> Rows(int count, int seed)
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

    /// <summary>Adds <paramref name="rows"/> to <paramref name="accumulator"/> as a reader does: each categorical cell as its code in the accumulator's levels.</summary>
    private static void Read(MomentAccumulator accumulator, IEnumerable<(double X1, double X2, string G, string H, double K, double Y)> rows)
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
            accumulator.Add(row);
        }
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

        var a = sparse.ToMoments();
        var b = dense.ToMoments();
        Assert.Equal(b.Terms.FeatureKeys, a.Terms.FeatureKeys);
        Assert.Equal(b.Count, a.Count);
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

        AssertSameFit(Fit(b), Fit(a), 12, formula);
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
