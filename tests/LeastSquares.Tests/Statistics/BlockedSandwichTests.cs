namespace LeastSquares.Tests.Statistics;

/// <summary>
/// The sandwich of a wide dense design with its meat summed by the blocked kernel
/// (<see cref="BlockedMeat"/>, what 16 coefficients or more get) against the pass that forms
/// (XᵀWX)⁻¹xᵢ per row in double-double: the same HC0–HC3 and clustered covariances, weighted and
/// not, with columns offset by 1e6 and nearly collinear ones, with an intercept and without.
/// </summary>
public sealed class BlockedSandwichTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Blocked_meat_gives_the_per_row_passs_sandwich(bool intercept, bool weighted)
    {
        const int K = 23;
        var names = Enumerable.Range(1, K).Select(j => "x" + j).ToArray();
        var terms = new ModelTerms(names, "y", intercept: intercept);
        var random = new Random(intercept ? 11 : 12);
        var rows = new List<(double[] Row, double Weight, long Cluster)>();
        for (int i = 0; i < 1500; i++)
        {
            var row = new double[K + 1];
            for (int j = 0; j < K; j++)
            {
                row[j] = j % 5 == 0 ? 1e6 + random.NextDouble() : (j + 1) * (random.NextDouble() - 0.3);
            }

            row[K - 1] = row[K - 2] + (1e-3 * random.NextDouble()); // nearly collinear with its neighbour
            double y = 1;
            for (int j = 0; j < K; j++)
            {
                y += (j % 2 == 0 ? 1 : -1) * row[j] / (j + 1);
            }

            row[K] = y + ((1 + Math.Abs(row[1])) * (random.NextDouble() - 0.5)); // heteroskedastic noise
            double w = weighted ? (i % 9 == 0 ? 0 : 0.1 + (3 * random.NextDouble())) : 1;
            rows.Add((row, w, i % 17));
        }

        var accumulator = weighted ? MomentAccumulator.CreateWeighted(terms, FitMethod.Normal) : MomentAccumulator.Create(terms);
        foreach (var (row, w, _) in rows)
        {
            if (weighted)
            {
                accumulator.AddWeighted(row, w);
            }
            else
            {
                accumulator.Add(row);
            }
        }

        var moments = accumulator.ToMoments();
        var fit = Solver.Fit(moments, new SolverOptions { Method = FitMethod.Normal });
        int p = fit.CoefficientCount;
        Assert.True(BlockedMeat.Takes(p) || !System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
        foreach (var (type, clustered) in new[]
        {
            (CovarianceType.HC0, false), (CovarianceType.HC1, false), (CovarianceType.HC2, false), (CovarianceType.HC3, false),
            (CovarianceType.HC0, true), (CovarianceType.HC1, true),
        })
        {
            var blocked = new SandwichAccumulator(fit, moments, type, clustered, sparse: false, blocked: true);
            var perRow = new SandwichAccumulator(fit, moments, type, clustered, sparse: false, blocked: false);
            foreach (var (row, w, cluster) in rows)
            {
                blocked.Add(row, w, cluster);
                perRow.Add(row, w, cluster);
            }

            Assert.Equal(perRow.Count, blocked.Count);
            Assert.Equal(perRow.Groups, blocked.Groups);
            var a = blocked.Result("c").Covariance;
            var b = perRow.Result("c").Covariance;
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    double scale = Math.Sqrt(b[i, i] * b[j, j]);
                    Assert.True(Math.Abs(a[i, j] - b[i, j]) <= 1e-11 * scale,
                        $"{type}{(clustered ? " clustered" : "")} ({i}, {j}): blocked {a[i, j]:R}, per row {b[i, j]:R}");
                }
            }
        }
    }
}
