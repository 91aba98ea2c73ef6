using LeastSquares.Tests.State;

namespace LeastSquares.Tests.Statistics;

/// <summary>
/// The sandwich of a design with categorical columns from its rows in sparse form
/// (<see cref="SparseSandwich"/>, what a fit with factors gets) against the dense pass that forms
/// (XᵀWX)⁻¹xᵢ per row in double-double: the same HC0–HC3 and clustered covariances, weighted and
/// not, with a numeric column offset by 1e6 (the centring must keep its digits), interactions with
/// a numeric column and of two factors, and without an intercept (nothing to centre at).
/// </summary>
public sealed class SparseSandwichTests
{
    public static TheoryData<string, bool> Designs => new()
    {
        { "y ~ x1 + x2 + g", false },
        { "y ~ x1 + x2 + g", true },
        { "y ~ x2 * g + h", true },
        { "y ~ x1 + g * h", false },
        { "y ~ x2:g + h - 1", true },
    };

    [Theory]
    [MemberData(nameof(Designs))]
    public void Sparse_rows_give_the_dense_passs_sandwich(string formula, bool weighted)
    {
        var terms = SparseLevelAccumulatorTests.Model(formula);
        var rows = SparseLevelAccumulatorTests.Rows(3000, formula.Length);
        Func<(double X1, double X2, string G, string H, double K, double Y), double>? weights = weighted ? SparseLevelAccumulatorTests.Weight : null;
        var accumulator = weighted ? MomentAccumulator.CreateWeighted(terms, FitMethod.Normal) : MomentAccumulator.Create(terms);
        SparseLevelAccumulatorTests.Read(accumulator, rows, weights);
        var read = accumulator.ToMoments();
        var moments = read.Reindex(read.Terms.Coded());
        var fit = Solver.Fit(moments, new SolverOptions { Method = FitMethod.Normal });
        Assert.True(SparseSandwich.Takes(fit.Terms));
        var recoding = new LevelRecoding(read.Terms, fit.Terms);
        var encoded = rows.Select(r =>
        {
            var row = Encode(accumulator, r);
            recoding.Apply(row);
            return (Row: row, Weight: weights?.Invoke(r) ?? 1, Cluster: (long)(r.X2 * 1000) % 13);
        }).ToList();

        foreach (var (type, clustered) in new[]
        {
            (CovarianceType.HC0, false), (CovarianceType.HC1, false), (CovarianceType.HC2, false), (CovarianceType.HC3, false),
            (CovarianceType.HC0, true), (CovarianceType.HC1, true),
        })
        {
            var sparse = new SandwichAccumulator(fit, moments, type, clustered, sparse: true);
            var dense = new SandwichAccumulator(fit, moments, type, clustered, sparse: false);
            foreach (var (row, weight, cluster) in encoded)
            {
                sparse.Add(row, weight, cluster);
                dense.Add(row, weight, cluster);
            }

            Assert.Equal(dense.Count, sparse.Count);
            Assert.Equal(dense.Groups, sparse.Groups);
            var a = sparse.Result("c").Covariance;
            var b = dense.Result("c").Covariance;
            int p = fit.CoefficientCount;
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    double scale = Math.Sqrt(b[i, i] * b[j, j]);
                    Assert.True(Math.Abs(a[i, j] - b[i, j]) <= 1e-10 * scale,
                        $"{formula} {type}{(clustered ? " clustered" : "")} ({fit.Terms.TermNames[i]}, {fit.Terms.TermNames[j]}): {a[i, j]:R} vs {b[i, j]:R}");
                }
            }
        }
    }

    /// <summary>A row as the reader gives it: each categorical cell as its code in the accumulator's levels.</summary>
    private static double[] Encode(MomentAccumulator accumulator, (double X1, double X2, string G, string H, double K, double Y) r)
    {
        var terms = accumulator.Terms;
        var levels = accumulator.RowLevels!;
        var row = new double[terms.RowWidth];
        for (int j = 0; j < terms.Predictors.Count; j++)
        {
            object cell = terms.Predictors[j] switch { "x1" => r.X1, "x2" => r.X2, "g" => r.G, "h" => r.H, "k" => r.K, var c => throw new InvalidOperationException(c) };
            row[j] = levels[j] is { } l ? l.CodeOf(cell is double d ? FactorColumn.LevelOf(d) : (string)cell) : (double)cell;
        }

        row[^1] = r.Y;
        return row;
    }
}
