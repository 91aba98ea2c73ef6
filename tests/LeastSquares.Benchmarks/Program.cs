using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using LeastSquares;
using LeastSquares.Benchmarks;
using LeastSquares.State;

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

        if (method == FitMethod.Qr)
        {
            // A parallel read merges one factor a part (16 MB): the cost of one merge.
            var factor = (TriangularFactor)state;
            var t = Stopwatch.StartNew();
            TriangularFactor.Merge(factor, factor);
            Console.Write(FormattableString.Invariant($"merge {t.Elapsed.TotalSeconds:F3} s; "));
            t1 += t.Elapsed.TotalSeconds;
        }

        var fit = Solver.Fit(acc, new SolverOptions { Method = method, Covariance = false }); // as a plain `lsq fit`
        Console.WriteLine(FormattableString.Invariant($"{method}: accumulate {t1:F3} s, solve {sw.Elapsed.TotalSeconds - t1:F3} s ({fit.Coefficients[1]:G6})"));
    }

    return 0;
}

if (args.Length >= 3 && args[0] == "solvecost")
{
    // solvecost P ROWS [steps|plain|covariance]: after accumulating ROWS random rows of P
    // predictors (normal equations), the seconds and the peak working set of each p×p step of the
    // solve (steps: the factorisation, β, the explicit inverse, the condition number from it), or
    // of one whole fit without the covariance (plain, what `lsq fit` prints) or with it.
    int p = int.Parse(args[1], CultureInfo.InvariantCulture);
    int n = int.Parse(args[2], CultureInfo.InvariantCulture);
    string what = args.Length > 3 ? args[3] : "steps";
    var rng = new Random(5);
    var terms = new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y");
    var acc = MomentAccumulator.Create(terms, FitMethod.Normal);
    var block = new double[100 * (p + 1)];
    for (int done = 0; done < n; done += 100)
    {
        int rows = Math.Min(100, n - done);
        for (int i = 0; i < rows * (p + 1); i++)
        {
            block[i] = rng.NextDouble();
        }

        acc.AddRows(block, rows);
    }

    var mo = acc.ToMoments();
    acc = null;
    GC.Collect();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    void Step(string name)
    {
        process.Refresh();
        var now = process.TotalProcessorTime;
        Console.WriteLine(FormattableString.Invariant(
            $"{name,-28} {wall.Elapsed.TotalSeconds,7:F3} s wall {(now - cpu).TotalSeconds,7:F3} s cpu  peak {process.PeakWorkingSet64 >> 20} MB"));
        cpu = now;
        wall.Restart();
    }

    Step("moments");
    if (what == "steps")
    {
        var sys = LeastSquares.Solvers.WorkingSystem.Create(mo, true, terms.FeatureNames);
        Step("factor (Cholesky)");
        sys.Solve();
        Step("solve beta");
        double fromFactor = sys.ConditionNumber(fromInverse: false);
        Step("condition from R");
        sys.UnscaledCovariance();
        Step("inverse R^-1 R^-T");
        double fromInverse = sys.ConditionNumber();
        Step("condition from inverse");
        Console.WriteLine(FormattableString.Invariant($"condition {fromFactor:R} from R, {fromInverse:R} from the inverse"));
    }
    else
    {
        var fit = Solver.Fit(mo, new SolverOptions { Covariance = what == "covariance" });
        Step($"Solver.Fit ({what})");
        Console.WriteLine(FormattableString.Invariant($"condition {fit.ConditionNumber:R}"));
    }

    return 0;
}

if (args.Length >= 3 && args[0] == "qrblock")
{
    // qrblock P ROWS [BLOCK]: seconds to fold ROWS rows of P predictors into a qr factor, 128 at a time,
    // row by row and blocked, and the digits the two factors share (worst entry against its row's largest).
    int p = int.Parse(args[1], CultureInfo.InvariantCulture);
    int n = int.Parse(args[2], CultureInfo.InvariantCulture);
    int blockRows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : QrAccumulator.BlockRows;
    int m = p + 2;
    var rng = new Random(7);
    var data = Enumerable.Range(0, n * m).Select(i => i % m == 0 ? 1.0 : (rng.NextDouble() - 0.5) * Math.Pow(10, (i % m) % 5 - 2)).ToArray();
    var factors = new List<LeastSquares.Numerics.DoubleDouble[,]>();
    foreach (bool blocked in (bool[])[false, true])
    {
        var r = new LeastSquares.Numerics.DoubleDouble[m, m];
        var block = new LeastSquares.Numerics.DoubleDouble[m * blockRows];
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (int start = 0; start < n; start += blockRows)
        {
            int rows = Math.Min(blockRows, n - start);
            for (int q = 0; q < rows; q++)
            {
                for (int j = 0; j < m; j++)
                {
                    block[(j * blockRows) + q] = new LeastSquares.Numerics.DoubleDouble(data[((start + q) * m) + j]);
                }
            }

            if (blocked)
            {
                LeastSquares.Numerics.Householder.Absorb(r, block, blockRows, rows);
            }
            else
            {
                LeastSquares.Numerics.Householder.AbsorbRowByRow(r, block, blockRows, rows);
            }
        }

        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(FormattableString.Invariant($"{(blocked ? "blocked" : "row by row")}: {sw.Elapsed.TotalSeconds:F3} s wall, {cpu.TotalSeconds:F3} s cpu"));
        factors.Add(r);
        int nan = 0;
        int zeroDiagonal = 0;
        for (int i = 0; i < m; i++)
        {
            zeroDiagonal += r[i, i].Hi == 0 ? 1 : 0;
            for (int j = i; j < m; j++)
            {
                nan += r[i, j].IsFinite ? 0 : 1;
            }
        }

        Console.WriteLine(FormattableString.Invariant($"  {nan} entries not finite, {zeroDiagonal} zero on the diagonal"));
    }

    {
        // The normal equations' accumulation of the same rows, for scale.
        var terms = new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y");
        var rowsOnly = new double[n * (p + 1)];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(data, (i * m) + 1, rowsOnly, i * (p + 1), p + 1);
        }

        foreach (var method in (FitMethod[])[FitMethod.Normal, FitMethod.Qr])
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var acc = MomentAccumulator.Create(terms, method);
            acc.AddRows(rowsOnly, n);
            _ = acc.ToState();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(FormattableString.Invariant($"{method} accumulator: {cpu.TotalSeconds:F3} s cpu"));
        }
    }

    foreach (bool blocked in (bool[])[false, true])
    {
        // A merge: the factor absorbs a triangle (another part's factor) of m rows.
        var r = (LeastSquares.Numerics.DoubleDouble[,])factors[0].Clone();
        var block = new LeastSquares.Numerics.DoubleDouble[m * m];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                block[(j * m) + i] = factors[1][i, j];
            }
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        if (blocked)
        {
            LeastSquares.Numerics.Householder.Absorb(r, block, m, m);
        }
        else
        {
            LeastSquares.Numerics.Householder.AbsorbRowByRow(r, block, m, m);
        }

        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(FormattableString.Invariant($"merge {(blocked ? "blocked" : "row by row")}: {cpu.TotalSeconds:F3} s cpu"));
    }

    double worst = 99;
    for (int i = 0; i < m; i++)
    {
        double big = 0;
        for (int j = i; j < m; j++)
        {
            big = Math.Max(big, Math.Abs(factors[0][i, j].Hi));
        }

        for (int j = i; j < m; j++)
        {
            var d = factors[0][i, j] - factors[1][i, j];
            double e = Math.Abs(d.Hi) / big;
            worst = Math.Min(worst, e == 0 ? 99 : -Math.Log10(e));
        }
    }

    Console.WriteLine(FormattableString.Invariant($"agreement: {worst:F1} digits"));
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
