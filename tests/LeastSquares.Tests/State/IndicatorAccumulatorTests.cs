namespace LeastSquares.Tests.State;

/// <summary>
/// The sparse entry point for factors (<see cref="IndicatorAccumulator"/>: dense values plus the
/// level set of each factor) against the same rows with their indicator columns written out and
/// read by the dense accumulator.
/// </summary>
public sealed class IndicatorAccumulatorTests
{
    [Theory]
    [InlineData(3, new[] { 4, 2 }, 5)]
    [InlineData(20, new[] { 30 }, 6)]
    [InlineData(1, new[] { 3, 5, 2 }, 7)]
    public void Levels_give_the_moments_and_fit_of_the_written_out_indicators(int densePredictors, int[] levels, int seed)
    {
        var rng = new Random(seed);
        var names = Enumerable.Range(1, densePredictors).Select(j => "x" + j)
            .Concat(levels.SelectMany((k, f) => Enumerable.Range(1, k).Select(l => $"f{f}_{l}"))).ToArray();
        var terms = new ModelTerms(names, "y");
        var sparse = new IndicatorAccumulator(terms, densePredictors, levels);
        var dense = MomentAccumulator.Create(terms);
        var byRows = new IndicatorAccumulator(terms, densePredictors, levels);
        var full = new double[names.Length + 1];
        var values = new double[densePredictors + 1];
        var set = new int[levels.Length];
        for (int i = 0; i < 3000; i++)
        {
            Array.Clear(full);
            double y = 2;
            for (int j = 0; j < densePredictors; j++)
            {
                values[j] = (j % 2 == 0 ? 1e6 : 0) + (Math.Pow(10, j % 4) * rng.NextDouble());
                full[j] = values[j];
                y += values[j] * (j + 1) / Math.Pow(10, j % 4);
            }

            for (int f = 0, at = densePredictors; f < levels.Length; at += levels[f], f++)
            {
                set[f] = rng.Next(-1, levels[f]); // −1: the reference level, no indicator set
                if (set[f] >= 0)
                {
                    full[at + set[f]] = 1;
                    y += 0.5 * (f + 1) * (set[f] + 1);
                }
            }

            values[densePredictors] = y + rng.NextDouble();
            full[^1] = values[densePredictors];
            sparse.Add(values, set);
            dense.Add(full);
            byRows.Add(full);
        }

        var a = sparse.ToMoments();
        var b = dense.ToMoments();
        Assert.Equal(b.Count, a.Count);
        int m = names.Length + 1;
        for (int i = 0; i < m; i++)
        {
            Assert.True(Math.Abs((a.GetMean(i) - b.GetMean(i)).Hi) <= 1e-26 * Math.Abs(b.GetMean(i).Hi), $"mean {i}");
            for (int j = 0; j < m; j++)
            {
                double scale = Math.Sqrt(Math.Abs(b.GetComoment(i, i).Hi * b.GetComoment(j, j).Hi));
                Assert.True(Math.Abs((a.GetComoment(i, j) - b.GetComoment(i, j)).Hi) <= 1e-26 * scale, $"co-moment ({i}, {j}): {a.GetComoment(i, j)} vs {b.GetComoment(i, j)}");
            }
        }

        var fa = Solver.Fit(sparse, new SolverOptions { Method = FitMethod.Normal });
        var fb = Solver.Fit(dense, new SolverOptions { Method = FitMethod.Normal });
        var fc = Solver.Fit(byRows, new SolverOptions { Method = FitMethod.Normal });
        for (int j = 0; j < fb.Coefficients.Count; j++)
        {
            Assert.True(Synthetic.Digits(fa.Coefficients[j], fb.Coefficients[j]) >= 14, $"coefficient {j}: {fa.Coefficients[j]:R} vs {fb.Coefficients[j]:R}");
            Assert.Equal(fa.Coefficients[j], fc.Coefficients[j]);
        }
    }

    [Fact]
    public void A_level_out_of_range_or_two_indicators_set_are_refused()
    {
        var terms = new ModelTerms(["x", "a1", "a2"], "y");
        var acc = new IndicatorAccumulator(terms, 1, [2]);
        Assert.Throws<ArgumentException>(() => acc.Add([1.0, 2.0], [2]));
        Assert.Throws<ArgumentException>(() => acc.Add([1.0, 1, 1, 2.0]));
        Assert.Throws<ArgumentException>(() => new IndicatorAccumulator(terms, 1, [3]));
    }
}
