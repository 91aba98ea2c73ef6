namespace LeastSquares.Tests.State;

/// <summary>Moments.Merge with empty parts, and its agreement with one pass over all rows.</summary>
public sealed class MergeTests
{
    private static Moments Polynomial(double[] x, double[] y, int from, int to)
    {
        var acc = MomentAccumulator.Create(new ModelTerms(["t"], "y", 3));
        for (int i = from; i < to; i++)
        {
            acc.Add([x[i], y[i]]);
        }

        return acc.ToMoments();
    }

    private static (double[] X, double[] Y) Data()
    {
        var rng = new Random(11);
        var x = new double[300];
        var y = new double[300];
        for (int i = 0; i < x.Length; i++)
        {
            double dt = rng.NextDouble() * 1e5;
            x[i] = 1.7e9 + dt;
            y[i] = 1 + 1e-5 * dt - 2e-10 * dt * dt + Synthetic.Normal(rng);
        }

        return (x, y);
    }

    [Fact]
    public void An_empty_part_on_either_side_leaves_the_other_unchanged()
    {
        var (x, y) = Data();
        var full = Polynomial(x, y, 0, x.Length);
        var empty = Polynomial(x, y, 0, 0);
        Assert.Equal(0, empty.Count);
        foreach (var merged in new[] { Moments.Merge(empty, full), Moments.Merge(full, empty), Moments.Merge(empty, empty) })
        {
            var expected = merged.Count == 0 ? empty : full;
            Assert.Equal(expected.Count, merged.Count);
            // The centre stays that of the rows (near 1.7e9), not the empty part's 0.
            Assert.Equal(expected.Centre, merged.Centre);
            for (int i = 0; i <= merged.FeatureCount; i++)
            {
                Assert.Equal(expected.GetMean(i), merged.GetMean(i));
                for (int j = 0; j <= merged.FeatureCount; j++)
                {
                    Assert.Equal(expected.GetComoment(i, j), merged.GetComoment(i, j));
                }
            }
        }
    }

    [Fact]
    public void Parts_with_different_centres_merge_to_the_fit_of_all_rows()
    {
        var (x, y) = Data();
        var one = Solver.Fit(Polynomial(x, y, 0, x.Length), new SolverOptions());
        var parts = new[] { (0, 1), (1, 50), (50, 51), (51, 180), (180, 300) }.Select(r => Polynomial(x, y, r.Item1, r.Item2)).ToArray();
        Assert.NotEqual(parts[0].Centre, parts[1].Centre);
        var leftFold = parts.Aggregate(Moments.Merge);
        var rightFold = parts.Reverse().Aggregate((acc, p) => Moments.Merge(p, acc));
        var tree = Moments.Merge(Moments.Merge(parts[3], parts[0]), Moments.Merge(parts[4], Moments.Merge(parts[2], parts[1])));
        foreach (var merged in new[] { leftFold, rightFold, tree })
        {
            Assert.Equal(x.Length, merged.Count);
            var fit = Solver.Fit(merged, new SolverOptions());
            for (int j = 0; j < one.Coefficients.Count; j++)
            {
                Assert.True(Synthetic.Digits(fit.Coefficients[j], one.Coefficients[j]) >= 12,
                    $"coefficient {j}: {fit.Coefficients[j]} merged, {one.Coefficients[j]} in one pass");
            }
        }
    }
}
