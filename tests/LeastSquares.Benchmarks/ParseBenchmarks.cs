using System.Globalization;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using LeastSquares.Cli.Input;

namespace LeastSquares.Benchmarks;

/// <summary>Reading 100,000 rows of 10 predictors from memory: lsq's reader against plain double.Parse.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        using var memory = new MemoryStream();
        BigCsv.Write(memory, 100_000, 10, seed: 1);
        _csv = memory.ToArray();
    }

    [Benchmark(Baseline = true, Description = "CsvHelper + double.Parse, 100k rows")]
    public double DoubleParse()
    {
        using var reader = CsvReader.Create(new MemoryStream(_csv), new CsvReaderOptions { Separator = ',', HasHeader = true }, leaveOpen: false);
        double sum = 0;
        while (reader.Read())
        {
            for (int c = 0; c < 11; c++)
            {
                sum += double.Parse(reader.GetSpan(c), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [Benchmark(Description = "lsq CsvSource.ReadRow (csFastFloat), 100k rows")]
    public double ReadRows()
    {
        using var source = CsvSource.Open("-", new CsvDialect(), () => new MemoryStream(_csv));
        var columns = ModelColumns.Resolve(source, new ModelSpec(null, null, 1, true));
        var values = new double[columns.Columns.Length];
        double sum = 0;
        while (source.ReadRow(columns.Columns, values) != RowStatus.End)
        {
            sum += values[0];
        }

        return sum;
    }

    [Benchmark(Description = "lsq read + accumulate, 100k rows")]
    public Moments ReadAndAccumulate()
    {
        using var source = CsvSource.Open("-", new CsvDialect(), () => new MemoryStream(_csv));
        var columns = ModelColumns.Resolve(source, new ModelSpec(null, null, 1, true));
        return columns.Accumulate(source, FitMethod.Normal, CancellationToken.None).ToMoments();
    }
}
