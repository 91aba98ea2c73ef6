using System.Globalization;
using LeastSquares.Numerics;

namespace LeastSquares.Tests.State;

/// <summary>
/// qr's blocked Householder form (factors of 24 columns or more) against the row-by-row form it
/// replaces there. The two build the same reflectors in a different order of double-double
/// operations, so they are held to a bound, not to the bit: every entry of R within 1e-26 of its
/// column's norm (R's column norms are the data's, whatever the rounding). Then wide fits through
/// the accumulator: ill-conditioned designs against the exact rational answer, and parts merged.
/// </summary>
public sealed class BlockedHouseholderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The bound: −log10 of the worst |ΔR_ij| / ‖R_j‖.</summary>
    private const double Digits = 26;

    public static TheoryData<int, int> Shapes => new()
    {
        { 24, 1 }, { 24, 128 }, { 25, 7 }, { 31, 128 }, { 33, 100 }, { 64, 128 }, { 130, 128 }, { 130, 300 },
    };

    [SkippableTheory]
    [MemberData(nameof(Shapes))]
    public void Blocked_and_row_by_row_factors_agree_to_the_stated_digits(int m, int rows)
    {
        Skip.IfNot(BlockedHouseholder.IsSupported, "no vectors on this CPU: qr absorbs row by row");
        var rng = new Random(m * 1000 + rows);
        var (blocked, reference) = (new DoubleDouble[m, m], new DoubleDouble[m, m]);

        // Two blocks in turn, so the second meets a full R; columns of several scales and offsets,
        // the first a column of ones (the intercept's).
        for (int pass = 0; pass < 2; pass++)
        {
            var block = Block(rng, m, rows, (q, j) => j == 0 ? 1 : ((j % 3 == 0 ? 1e3 : 0) + rng.NextDouble() - 0.5) * Math.Pow(10, (j % 5) - 2));
            Absorb(blocked, reference, block, rows);
        }

        Check(blocked, reference);
    }

    [SkippableFact]
    public void Zero_and_repeated_columns_reflect_as_row_by_row()
    {
        // Column 5 is zero in every row (no reflector: the row-by-row form skips it too), column 9
        // repeats column 8 (R_99 falls to rounding), column 30 is zero but for the last row. With
        // a repeated column the rows of R after it are a reflector of rounding errors away from
        // unique, so the two are compared by what is unique: RᵀR, the Gram matrix of the data.
        Skip.IfNot(BlockedHouseholder.IsSupported, "no vectors on this CPU: qr absorbs row by row");
        int m = 40;
        int rows = 50;
        var rng = new Random(40);
        var values = new double[rows, m];
        for (int q = 0; q < rows; q++)
        {
            for (int j = 0; j < m; j++)
            {
                values[q, j] = j == 5 || (j == 30 && q < rows - 1) ? 0 : j == 9 ? values[q, 8] : rng.NextDouble();
            }
        }

        var (blocked, reference) = (new DoubleDouble[m, m], new DoubleDouble[m, m]);
        Absorb(blocked, reference, Block(rng, m, rows, (q, j) => values[q, j]), rows);
        Check(Gram(blocked), Gram(reference), symmetric: true);
        Assert.Equal(DoubleDouble.Zero, blocked[5, 5]);
    }

    [SkippableFact]
    public void A_merged_triangle_is_absorbed_as_row_by_row()
    {
        // Merging factors absorbs a triangle: its reflectors reach only the rows above the
        // diagonal, and the blocked form passes over no more rows than that.
        Skip.IfNot(BlockedHouseholder.IsSupported, "no vectors on this CPU: qr absorbs row by row");
        int m = 70;
        var rng = new Random(70);
        var (a, b) = (new DoubleDouble[m, m], new DoubleDouble[m, m]);
        Householder.AbsorbRowByRow(a, Block(rng, m, 200, (q, j) => rng.NextDouble() * (j + 1)), 200, 200);
        Householder.AbsorbRowByRow(b, Block(rng, m, 200, (q, j) => rng.NextDouble() - (j % 2)), 200, 200);
        var triangle = new DoubleDouble[m * m];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                triangle[(j * m) + i] = b[i, j];
            }
        }

        var reference = (DoubleDouble[,])a.Clone();
        Absorb(a, reference, triangle, m);
        Check(a, reference);
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)] // the row-by-row form (narrow factors, machines without vectors): NaN before its floor
    public void Blocks_far_narrower_than_the_factor_keep_it_finite_and_exact(bool blocked)
    {
        // 120 columns absorbed 8 rows at a time, as qr's 2,000 columns 128 rows at a time: after a
        // block's rows are used up, what is left of the later columns is rounding noise, then noise
        // of noise, until the squares underflow (an overflow error at p = 2,000 before the noise
        // floor). RᵀR must be XᵀX (formed exactly) to 26 digits, every entry finite.
        Skip.If(blocked && !BlockedHouseholder.IsSupported, "no vectors on this CPU: qr absorbs row by row");
        int m = 120;
        int rows = 8;
        int n = 30 * rows;
        var rng = new Random(120);
        var x = new double[n, m];
        for (int q = 0; q < n; q++)
        {
            for (int j = 0; j < m; j++)
            {
                x[q, j] = j == 0 ? 1 : ((j % 3 == 0 ? 1e3 : 0) + rng.NextDouble() - 0.5) * Math.Pow(10, (j % 5) - 2);
            }
        }

        var r = new DoubleDouble[m, m];
        for (int start = 0; start < n; start += rows)
        {
            var block = Block(rng, m, rows, (q, j) => x[start + q, j]);
            if (blocked)
            {
                BlockedHouseholder.Absorb(r, block, rows, rows);
            }
            else
            {
                Householder.AbsorbRowByRow(r, block, rows, rows);
            }
        }

        Assert.All(r.Cast<DoubleDouble>(), v => Assert.True(v.IsFinite));
        var gram = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int q = 0; q < n; q++)
                {
                    gram[i, j] += DoubleDouble.TwoProduct(x[q, i], x[q, j]);
                }
            }
        }

        Check(Gram(r), gram, symmetric: true);
    }

    [Theory]
    [InlineData(1e-5, QrAccumulator.BlockRows)]
    [InlineData(1e-7, QrAccumulator.BlockRows)]
    [InlineData(1e-9, QrAccumulator.BlockRows)]
    [InlineData(1e-7, 4)]
    [InlineData(1e-9, 4)]
    public void An_ill_conditioned_wide_fit_matches_the_exact_rational_solution(double spread, int blockRows)
    {
        // 30 predictors, each the same base column plus its own part `spread` times smaller, all
        // offset by 1e4 (so near the column of ones too): condition numbers, as lsq reports them,
        // of about 1e6, 1e8 and 1e10. The exact solution of these doubles is found in rational
        // arithmetic; qr, in double-double throughout, recovers it to 12 digits or more (15.7 when
        // this test was written). Blocks of 4 rows against 32 columns make most reflectors of a
        // block from what earlier ones left (as 128 rows do at p = 500 and more).
        int p = 30;
        var rng = new Random(30);
        var x = new double[160][];
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double common = rng.NextDouble();
            x[i] = Enumerable.Range(0, p).Select(j => 1e4 + common + (spread * rng.NextDouble())).ToArray();
            y[i] = 2 + x[i].Select((v, j) => v * ((j % 2 == 0 ? 1 : -1) + (j / 10.0))).Sum() + (1e-3 * Synthetic.Normal(rng));
        }

        var (theta, sse) = ExactLeastSquares.Solve(x, y, intercept: true);
        var acc = new QrAccumulator(new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y"), weighted: false, blockRows);
        foreach (var (row, response) in x.Zip(y))
        {
            acc.Add([.. row, response]);
        }

        var fit = Solver.Fit(acc, new SolverOptions { Method = FitMethod.Qr });
        var digits = theta.Select((t, j) => Synthetic.Digits(fit.Coefficients[j], t)).ToArray();
        output.WriteLine(FormattableString.Invariant($"spread {spread:G}, blocks of {blockRows}: condition number {fit.ConditionNumber:G3}, worst {digits.Min():F1} digits, SSE {Synthetic.Digits(fit.SumOfSquaredErrors, sse):F1}"));
        Assert.True(digits.Min() >= 12, FormattableString.Invariant($"{digits.Min():F1} digits"));
        Assert.True(Synthetic.Digits(fit.SumOfSquaredErrors, sse) >= 12);
    }

    [Fact]
    public void Wide_parts_merged_fit_as_one_pass()
    {
        // 40 predictors in three parts (each with its own shift, as a file read in parallel), merged
        // in order and out of order: the same fit as one pass over all rows to 13 digits.
        int p = 40;
        var rng = new Random(41);
        var beta = Enumerable.Range(0, p).Select(j => (j % 3) - 1.0 + (j / 7.0)).ToArray();
        var x = Enumerable.Range(0, 900).Select(_ => Enumerable.Range(0, p).Select(j => (j % 4 == 0 ? 1e3 : 0) + rng.NextDouble() * (j + 1)).ToArray()).ToArray();
        var y = x.Select(r => 1 + r.Select((v, j) => v * beta[j]).Sum() + Synthetic.Normal(rng)).ToArray();
        var terms = new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y");
        TriangularFactor Fold(Range range)
        {
            var acc = new QrAccumulator(terms);
            foreach (var i in Enumerable.Range(0, y.Length).Take(range))
            {
                acc.Add([.. x[i], y[i]]);
            }

            return acc.ToFactor();
        }

        var options = new SolverOptions { Method = FitMethod.Qr };
        var whole = Solver.Fit(Fold(..), options);
        var (a, b, c) = (Fold(..250), Fold(250..700), Fold(700..));
        foreach (var merged in (TriangularFactor[])[TriangularFactor.Merge(TriangularFactor.Merge(a, b), c), TriangularFactor.Merge(c, TriangularFactor.Merge(b, a))])
        {
            var fit = Solver.Fit(merged, options);
            Assert.Equal(whole.Count, fit.Count);
            for (int j = 0; j < whole.CoefficientCount; j++)
            {
                Assert.True(Synthetic.Digits(fit.Coefficients[j], whole.Coefficients[j]) >= 13, string.Create(CultureInfo.InvariantCulture, $"θ{j}"));
            }

            Assert.True(Synthetic.Digits(fit.SumOfSquaredErrors, whole.SumOfSquaredErrors) >= 13);
        }
    }

    private static DoubleDouble[] Block(Random rng, int m, int rows, Func<int, int, double> value)
    {
        _ = rng;
        var block = new DoubleDouble[m * rows];
        for (int j = 0; j < m; j++)
        {
            for (int q = 0; q < rows; q++)
            {
                block[(j * rows) + q] = new DoubleDouble(value(q, j));
            }
        }

        return block;
    }

    private static void Absorb(DoubleDouble[,] blocked, DoubleDouble[,] reference, DoubleDouble[] block, int rows)
    {
        var copy = (DoubleDouble[])block.Clone(); // the row-by-row form overwrites its block
        BlockedHouseholder.Absorb(blocked, block, rows, rows);
        Householder.AbsorbRowByRow(reference, copy, rows, rows);
    }

    /// <summary>RᵀR: entry (i, j) is the dot product of columns i and j of the data.</summary>
    private static DoubleDouble[,] Gram(DoubleDouble[,] r)
    {
        int m = r.GetLength(0);
        var g = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int k = 0; k <= Math.Min(i, j); k++)
                {
                    g[i, j] += r[k, i] * r[k, j];
                }
            }
        }

        return g;
    }

    /// <summary>
    /// Every entry of the upper triangle within 10^−<see cref="Digits"/> of its column's norm (of
    /// the product of its row's and its column's norms for a Gram matrix); zeros below.
    /// </summary>
    private void Check(DoubleDouble[,] blocked, DoubleDouble[,] reference, bool symmetric = false)
    {
        int m = reference.GetLength(0);
        var norms = new double[m];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                norms[j] += reference[i, j].Hi * reference[i, j].Hi;
            }

            norms[j] = symmetric ? reference[j, j].Hi : Math.Sqrt(norms[j]);
        }

        double worst = double.PositiveInfinity;
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                double error = Math.Abs((blocked[i, j] - reference[i, j]).Hi);
                double scale = symmetric ? Math.Sqrt(norms[i] * norms[j]) : norms[j];
                if (error > 0)
                {
                    worst = Math.Min(worst, -Math.Log10(error / scale));
                }
            }

            for (int i = j + 1; i < m && !symmetric; i++)
            {
                Assert.Equal(DoubleDouble.Zero, blocked[i, j]); // below the diagonal: untouched zeros
            }
        }

        output.WriteLine(FormattableString.Invariant($"m = {m}: worst entry within 1e-{worst:F1} of its column's norm"));
        Assert.True(worst >= Digits, FormattableString.Invariant($"the blocked factor agrees to {worst:F1} digits only"));
    }
}
