using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
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

if (args.Length >= 2 && args[0] == "probe")
{
    var sw = Stopwatch.StartNew();
    var result = Probe.Run(args[1], args.Length > 2 ? args[2] : "parse");
    Console.WriteLine(FormattableString.Invariant($"{args[2]}: {sw.Elapsed.TotalSeconds:F3} s  ({result})"));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(BigCsv).Assembly).Run(args);
return 0;
