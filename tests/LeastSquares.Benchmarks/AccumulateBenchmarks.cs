using BenchmarkDotNet.Attributes;
using LeastSquares;

namespace LeastSquares.Benchmarks;

/// <summary>Cost of folding rows into double-double moments, and of solving from them.</summary>
[MemoryDiagnoser]
public class AccumulateBenchmarks
{
    private double[] _rows = [];
    private ModelTerms _terms = null!;
    private Moments _moments = null!;

    [Params(1, 10)]
    public int Predictors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int N = 100_000;
        var rng = new Random(1);
        int w = Predictors + 1;
        _rows = new double[N * w];
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = rng.NextDouble() * 100;
        }

        _terms = new ModelTerms(Enumerable.Range(1, Predictors).Select(j => "x" + j).ToArray(), "y");
        var acc = MomentAccumulator.Create(_terms);
        acc.AddRows(_rows, N);
        _moments = acc.ToMoments();
    }

    [Benchmark(Description = "accumulate 100k rows (default: packed AVX-512 kernel here)")]
    public Moments Accumulate()
    {
        var acc = MomentAccumulator.Create(_terms);
        acc.AddRows(_rows, _rows.Length / _terms.RowWidth);
        return acc.ToMoments();
    }

    [Benchmark(Description = "accumulate 100k rows, 4-wide kernel")]
    public Moments AccumulateVector256()
    {
        var acc = new LinearAccumulator(_terms, width: 4);
        acc.AddRows(_rows, _rows.Length / _terms.RowWidth);
        return acc.ToMoments();
    }

    [Benchmark(Description = "accumulate 100k rows, scalar kernel")]
    public Moments AccumulateScalar()
    {
        var acc = new LinearAccumulator(_terms, width: 1);
        acc.AddRows(_rows, _rows.Length / _terms.RowWidth);
        return acc.ToMoments();
    }

    [Benchmark(Description = "merge two moments")]
    public Moments Merge() => Moments.Merge(_moments, _moments);

    [Benchmark(Description = "solve normal equations")]
    public FitResult Solve() => Solver.Fit(_moments, new SolverOptions());

    [Benchmark(Description = "gd, 1000 iterations")]
    public FitResult GradientDescent() => Solver.Fit(_moments, new SolverOptions
    {
        Method = FitMethod.GradientDescent,
        MaxIterations = 1000,
        Tolerance = 0,
    });
}
