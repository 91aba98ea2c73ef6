using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using LeastSquares;
using LeastSquares.Benchmarks;

// `generate FILE ROWS PREDICTORS SEED` writes the benchmark CSV (bench/big.sh calls it);
// `beta PREDICTORS` prints the generating coefficients; `probe FILE STAGE` times one stage of
// reading a big file (read, read-lines, span, parse, fast, accfast: CsvHelper with and without
// number parsing; readrows: lsq's reader alone; accumulate: lsq's reader and the moments);
// `kernel` times the scalar and vector accumulators; anything else goes to BenchmarkDotNet.
if (args.Length == 5 && args[0] == "generate")
{
    using var file = File.Create(args[1]);
    BigCsv.Write(file, long.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
        int.Parse(args[4], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length == 2 && args[0] == "beta")
{
    Console.WriteLine(string.Join(' ', BigCsv.Beta(int.Parse(args[1], CultureInfo.InvariantCulture)).Select(b => b.ToString("R", CultureInfo.InvariantCulture))));
    return 0;
}

if (args.Length == 1 && args[0] == "kernel")
{
    foreach (int width in (int[])[4, 8, 4, 8])
    {
        Console.WriteLine(Probe.Kernel(5_000_000, width));
    }
    return 0;
}

if (args.Length >= 3 && args[0] == "widefit")
{
    // widefit P ROWS: seconds to accumulate and to solve, normal then qr.
    int p = int.Parse(args[1], CultureInfo.InvariantCulture);
    int n = int.Parse(args[2], CultureInfo.InvariantCulture);
    var rng = new Random(5);
    var terms = new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y");
    var rows = Enumerable.Range(0, n * (p + 1)).Select(_ => rng.NextDouble()).ToArray();
    foreach (var method in (FitMethod[])[FitMethod.Normal, FitMethod.Qr])
    {
        var sw = Stopwatch.StartNew();
        var acc = MomentAccumulator.Create(terms, method);
        acc.AddRows(rows, n);
        var state = acc.ToState();
        double t1 = sw.Elapsed.TotalSeconds;
        if (method == FitMethod.Normal)
        {
            var mo = acc.ToMoments();
            var t = Stopwatch.StartNew();
            var sys = LeastSquares.Solvers.WorkingSystem.Create(mo, true, terms.FeatureNames);
            Console.Write(FormattableString.Invariant($"create {t.Elapsed.TotalSeconds:F3} "));
            sys.Solve();
            Console.Write(FormattableString.Invariant($"solve {t.Elapsed.TotalSeconds:F3} "));
            sys.UnscaledCovariance();
            Console.Write(FormattableString.Invariant($"cov {t.Elapsed.TotalSeconds:F3} "));
            sys.ConditionNumber();
            Console.WriteLine(FormattableString.Invariant($"cond {t.Elapsed.TotalSeconds:F3} "));
            t1 = sw.Elapsed.TotalSeconds;
        }

        var fit = Solver.Fit(acc, new SolverOptions { Method = method });
        Console.WriteLine(FormattableString.Invariant($"{method}: accumulate {t1:F3} s, solve {sw.Elapsed.TotalSeconds - t1:F3} s ({fit.Coefficients[1]:G6})"));
    }

    return 0;
}

if (args.Length >= 3 && args[0] == "wide")
{
    // wide P ROWS [KERNEL...]: each kernel's time for ROWS rows of P predictors, in memory.
    int p = int.Parse(args[1], CultureInfo.InvariantCulture);
    int n = int.Parse(args[2], CultureInfo.InvariantCulture);
    var kernels = args.Length > 3 ? args[3..].Select(k => int.Parse(k, CultureInfo.InvariantCulture)) : [1, 4, -4, -8];
    foreach (int kernel in kernels)
    {
        Console.WriteLine(Probe.Wide(p, n, kernel));
    }

    return 0;
}

if (args.Length >= 2 && args[0] == "probe")
{
    var sw = Stopwatch.StartNew();
    var result = Probe.Run(args[1], args.Length > 2 ? args[2] : "parse");
    Console.WriteLine(FormattableString.Invariant($"{args[2]}: {sw.Elapsed.TotalSeconds:F3} s  ({result})"));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(BigCsv).Assembly).Run(args);
return 0;
