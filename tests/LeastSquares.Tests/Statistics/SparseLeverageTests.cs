using LeastSquares.Tests.State;

namespace LeastSquares.Tests.Statistics;

/// <summary>
/// A row's leverage in a design with categorical columns (<see cref="Influence.Leverage"/>, what
/// predict's intervals and diagnostics and plot's panels use) over its few nonzero features against
/// the double-double form over all p (<see cref="Influence.CompensatedLeverage"/>): the same value,
/// on seeded rows, interactions with numeric columns and of two
/// factors, transforms, and without an intercept; and for new rows at levels and values the fit never saw.
/// </summary>
public sealed class SparseLeverageTests
{
    public static TheoryData<string> Designs => new()
    {
        "y ~ x1 + x2 + g",
        "y ~ x2 * g + h",
        "y ~ x1 + g * h",
        "y ~ x2:g + h - 1",
        "y ~ log(x2) + x1:g:h + poly(x2, 2, raw = TRUE):g",
        "log(y) ~ x1 + factor(k) + g",
    };

    [Theory]
    [MemberData(nameof(Designs))]
    public void Sparse_leverage_is_the_dense_double_double_form(string formula)
    {
        var terms = SparseLevelAccumulatorTests.Model(formula);
        // x1 near 10 rather than 1e6: the covariance in the user's basis, rounded to doubles, would
        // otherwise cancel about 12 of the leverage's digits whichever way its form is summed.
        var rows = SparseLevelAccumulatorTests.Rows(3000, formula.Length + 7).Select(r => r with { X1 = r.X1 - 999_990 }).ToList();
        var accumulator = MomentAccumulator.Create(terms);
        SparseLevelAccumulatorTests.Read(accumulator, rows);
        var read = accumulator.ToMoments();
        var fit = Solver.Fit(read.Reindex(read.Terms.Coded()), new SolverOptions { Method = FitMethod.Normal });
        var influence = Influence.Of(fit)!;
        var recoding = new LevelRecoding(read.Terms, fit.Terms);
        var features = new double[influence.Parameters];
        // The fitted rows, then new ones: x far outside the data, one level each of g and h.
        var fresh = SparseLevelAccumulatorTests.Rows(200, 99).Select(r => r with { X1 = r.X1 - 999_987, X2 = r.X2 * 5 });
        int sparseRows = 0;
        int seen = 0;
        double sum = 0;
        foreach (var r in rows.Concat(fresh))
        {
            var row = Encode(accumulator, r);
            recoding.Apply(row);
            influence.Features(row.AsSpan(0, fit.Terms.Predictors.Count), features);
            int nonzeros = features.Count(v => v != 0);
            double dense = influence.CompensatedLeverage(features);
            double sparse = influence.SparseLeverage(features, nonzeros);
            Assert.True(Math.Abs(sparse - dense) <= 4 * Math.ScaleB(Math.Max(dense, double.Epsilon), -52), $"{formula}: sparse {sparse:R}, dense {dense:R}");
            double chosen = influence.Leverage(features);
            Assert.True(Math.Abs(chosen - dense) <= 1e-11 * dense, $"{formula}: Leverage {chosen:R}, dense {dense:R}");
            sparseRows += nonzeros * nonzeros * 16 < features.Length * features.Length ? 1 : 0;
            sum += seen++ < rows.Count ? dense : 0;
        }

        // Every design here is wide enough for its rows to go the sparse way; the fitted rows' leverages sum to p.
        Assert.Equal(3200, sparseRows);
        Assert.True(Math.Abs(sum - influence.Parameters) < 1e-8, $"{formula}: Σh = {sum:R}, p = {influence.Parameters}");
    }

    /// <summary>A row as the reader gives it: each categorical cell as its code in the accumulator's levels (a level not met gets a new code).</summary>
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
