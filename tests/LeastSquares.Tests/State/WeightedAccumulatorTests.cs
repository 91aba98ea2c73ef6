namespace LeastSquares.Tests.State;

/// <summary>
/// Weighted rows (lm(weights =)): a row of integer weight k is the same, for the estimates and the
/// weighted sums of squares, as k copies of it; a weight of 0 leaves the row out; QR's rows scaled
/// by √w give the same fit as the weighted moments.
/// </summary>
public sealed class WeightedAccumulatorTests
{
    private static (double[][] Rows, int[] Weights) Data()
    {
        var rng = new Random(5);
        var rows = new double[80][];
        var weights = new int[80];
        for (int i = 0; i < rows.Length; i++)
        {
            double a = 1e6 + (rng.NextDouble() * 10), b = rng.NextDouble();
            rows[i] = [a, b, 3 + (2 * (a - 1e6)) - b + Synthetic.Normal(rng)];
            weights[i] = rng.Next(0, 4);
        }

        return (rows, weights);
    }

    [Theory]
    [InlineData(FitMethod.Normal)]
    [InlineData(FitMethod.Qr)]
    public void Integer_weights_fit_as_repeated_rows(FitMethod method)
    {
        var terms = new ModelTerms(["a", "b"], "y");
        var (rows, weights) = Data();
        var weighted = MomentAccumulator.CreateWeighted(terms, method);
        var repeated = MomentAccumulator.Create(terms);
        for (int i = 0; i < rows.Length; i++)
        {
            weighted.AddWeighted(rows[i], weights[i]);
            for (int k = 0; k < weights[i]; k++)
            {
                repeated.Add(rows[i]);
            }
        }

        var w = Solver.Fit(weighted.ToState(), new SolverOptions { Method = method });
        var r = Solver.Fit(repeated.ToMoments(), new SolverOptions());
        Assert.Equal(weights.Count(k => k > 0), w.Count); // rows of weight 0 are not counted
        Assert.True(w.IsWeighted);
        for (int j = 0; j < r.Coefficients.Count; j++)
        {
            Assert.Equal(r.Coefficients[j], w.Coefficients[j], (Math.Abs(r.Coefficients[j]) * 1e-12) + 1e-12);
        }

        Assert.Equal(r.SumOfSquaredErrors, w.SumOfSquaredErrors, r.SumOfSquaredErrors * 1e-12);
        Assert.Equal(r.TotalSumOfSquares, w.TotalSumOfSquares, r.TotalSumOfSquares * 1e-12);
    }

    [Fact]
    public void Weighted_moments_merge_as_one_pass()
    {
        var terms = new ModelTerms(["a", "b"], "y");
        var (rows, weights) = Data();
        var all = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
        var first = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
        var second = MomentAccumulator.CreateWeighted(terms, FitMethod.Normal);
        for (int i = 0; i < rows.Length; i++)
        {
            all.AddWeighted(rows[i], weights[i] + 0.5);
            (i < 30 ? first : second).AddWeighted(rows[i], weights[i] + 0.5);
        }

        var one = all.ToMoments();
        var merged = Moments.Merge(first.ToMoments(), second.ToMoments());
        Assert.Equal(one.Count, merged.Count);
        Assert.Equal(one.Weight.ToDouble(), merged.Weight.ToDouble());
        Assert.Equal(one.Weights!.LogSum, merged.Weights!.LogSum, 1e-12);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(one.GetMean(i).ToDouble(), merged.GetMean(i).ToDouble(), Math.Abs(one.GetMean(i).ToDouble()) * 1e-15);
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(one.GetComoment(i, j).ToDouble(), merged.GetComoment(i, j).ToDouble(), Math.Abs(one.GetComoment(i, i).ToDouble()) * 1e-14);
            }
        }

        Assert.Throws<ArgumentException>(() => Moments.Merge(one, Unweighted(terms, rows))); // weighted with unweighted: refused
    }

    [Fact]
    public void A_negative_weight_is_refused()
    {
        var acc = MomentAccumulator.CreateWeighted(new ModelTerms(["a", "b"], "y"), FitMethod.Normal);
        Assert.Throws<ArgumentException>(() => acc.AddWeighted([1, 2, 3], -1));
        Assert.Throws<NotSupportedException>(() => MomentAccumulator.Create(new ModelTerms(["a", "b"], "y")).AddWeighted([1, 2, 3], 1));
    }

    private static Moments Unweighted(ModelTerms terms, double[][] rows)
    {
        var acc = MomentAccumulator.Create(terms);
        foreach (var row in rows)
        {
            acc.Add(row);
        }

        return acc.ToMoments();
    }
}
