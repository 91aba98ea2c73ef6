using LeastSquares.State;

namespace LeastSquares.Tests.Solvers;

/// <summary>sgd over rows read again block by block: a permutation of blocks and a shuffle inside each.</summary>
public sealed class StreamingSgdTests
{
    private static (Moments Moments, double[] Rows) Data(int n, int seed = 42)
    {
        var (x, y) = Synthetic.Linear(seed, n, [4, 3, -2], sigma: 1);
        var rows = x.Zip(y, (r, v) => r.Append(v)).SelectMany(r => r).ToArray();
        return (Synthetic.Moments(x, y), rows);
    }

    private static readonly SolverOptions Sgd = new() { Method = FitMethod.StochasticGradientDescent, Seed = 7, MaxIterations = 200 };

    [Theory]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Sgd_in_blocks_converges_to_the_closed_form(int blockRows)
    {
        var (m, rows) = Data(1000);
        var exact = Solver.Fit(m, new SolverOptions());
        var sgd = Solver.FitRows(m, new MemoryRowBlocks(rows, 3, blockRows), Sgd);
        for (int j = 0; j < 3; j++)
        {
            Assert.True(Math.Abs(sgd.Coefficients[j] - exact.Coefficients[j]) <= 1e-3,
                $"blocks of {blockRows}: β{j} {sgd.Coefficients[j]:R} vs {exact.Coefficients[j]:R}");
        }
    }

    [Fact]
    public void Sgd_in_blocks_is_reproducible_by_seed_and_the_seed_matters()
    {
        var (m, rows) = Data(500);
        var options = Sgd with { MaxIterations = 20 };
        var a = Solver.FitRows(m, new MemoryRowBlocks(rows, 3, 32), options);
        var b = Solver.FitRows(m, new MemoryRowBlocks(rows, 3, 32), options);
        var c = Solver.FitRows(m, new MemoryRowBlocks(rows, 3, 32), options with { Seed = 8 });
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.NotEqual(a.Coefficients, c.Coefficients);
    }

    [Fact]
    public void One_block_is_the_whole_data_shuffle_of_rows_in_memory()
    {
        var (m, rows) = Data(300);
        var inMemory = Solver.FitRows(m, rows, Sgd with { MaxIterations = 30 });
        var oneBlock = Solver.FitRows(m, new MemoryRowBlocks(rows, 3, 300), Sgd with { MaxIterations = 30 });
        Assert.Equal(inMemory.Coefficients, oneBlock.Coefficients);
    }

    [Fact]
    public void Batches_run_on_across_blocks_so_the_spread_over_seeds_matches_a_full_shuffle()
    {
        // Unchanged in distribution: over 20 seeds the spread of the estimate around the closed
        // form with blocks of 16 rows is of the same size as with one block of all the rows.
        var (m, rows) = Data(800, seed: 3);
        var exact = Solver.Fit(m, new SolverOptions());
        double Spread(int blockRows)
        {
            double sum = 0;
            for (int seed = 1; seed <= 20; seed++)
            {
                var fit = Solver.FitRows(m, new MemoryRowBlocks(rows, 3, blockRows), Sgd with { Seed = seed, MaxIterations = 10 });
                double d = fit.Coefficients[1] - exact.Coefficients[1];
                sum += d * d;
            }

            return Math.Sqrt(sum / 20);
        }

        double blocks = Spread(16);
        double whole = Spread(800);
        Assert.InRange(blocks / whole, 0.25, 4.0);
    }

    [Fact]
    public void Rows_that_do_not_match_the_moments_are_refused()
    {
        var (m, rows) = Data(100);
        Assert.Throws<ArgumentException>(() => Solver.FitRows(m, new MemoryRowBlocks(rows.AsMemory(0, 297), 3), Sgd));
    }
}
