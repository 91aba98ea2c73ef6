using System.Globalization;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using LeastSquares.Cli.Input;

namespace LeastSquares.Benchmarks;

/// <summary>
/// Reading 100,000 rows of 10 predictors from memory: lsq's readers against CsvHelper with
/// double.Parse; and the number parsers alone on the 1.1 million numbers of those rows.
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _csv = [];
    private byte[] _numbers = []; // every number of the rows, each followed by a comma and 64 bytes of room at the end
    private int[] _starts = [];

    [GlobalSetup]
    public void Setup()
    {
        using var memory = new MemoryStream();
        BigCsv.Write(memory, 100_000, 10, seed: 1);
        _csv = memory.ToArray();
        var text = System.Text.Encoding.ASCII.GetString(_csv);
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).SelectMany(line => line.Split(',')).ToArray();
        _numbers = new byte[fields.Sum(f => f.Length + 1) + Utf8Double.Padding];
        _starts = new int[fields.Length];
        int at = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            _starts[i] = at;
            at += System.Text.Encoding.ASCII.GetBytes(fields[i], _numbers.AsSpan(at));
            _numbers[at++] = (byte)',';
        }
    }

    [Benchmark(Description = "1.1M numbers: double.Parse")]
    public double NumbersDoubleParse()
    {
        double sum = 0;
        for (int i = 0; i < _starts.Length; i++)
        {
            int end = Array.IndexOf(_numbers, (byte)',', _starts[i]);
            sum += double.Parse(_numbers.AsSpan(_starts[i], end - _starts[i]), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    [Benchmark(Description = "1.1M numbers: csFastFloat")]
    public double NumbersFastFloat()
    {
        double sum = 0;
        for (int i = 0; i < _starts.Length; i++)
        {
            sum += csFastFloat.FastDoubleParser.TryParseDouble(_numbers.AsSpan(_starts[i], 32), out int _, out double v, NumberStyles.Float, (byte)'.')
                ? v
                : throw new FormatException("not a number");
        }

        return sum;
    }

    [Benchmark(Description = "1.1M numbers: lsq Utf8Double")]
    public double NumbersUtf8Double()
    {
        double sum = 0;
        for (int i = 0; i < _starts.Length; i++)
        {
            sum += Utf8Double.TryParsePadded(_numbers.AsSpan(_starts[i]), out double v, out _) ? v : throw new FormatException("not a number");
        }

        return sum;
    }

    [Benchmark(Description = "lsq fast reader of plain rows + accumulate, 100k rows")]
    public Moments PlainRows()
    {
        var terms = new ModelTerms(Enumerable.Range(1, 10).Select(j => "x" + j).ToArray(), "y");
        var accumulator = MomentAccumulator.Create(terms);
        var stream = new MemoryStream(_csv);
        while (stream.ReadByte() != '\n')
        {
        }

        PlainRowReader.Read(stream, ',', 11, Enumerable.Range(0, 11).ToArray(), accumulator, null, CancellationToken.None);
        return accumulator.ToMoments();
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

    [Benchmark(Description = "lsq CsvSource.ReadRow (CsvHelper + Utf8Double), 100k rows")]
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

    [Benchmark(Description = "lsq CsvSource read + accumulate, 100k rows")]
    public Moments ReadAndAccumulate()
    {
        using var source = CsvSource.Open("-", new CsvDialect(), () => new MemoryStream(_csv));
        var columns = ModelColumns.Resolve(source, new ModelSpec(null, null, 1, true));
        return columns.ReadRows(source, FitMethod.Normal, onRow: null, stop: null, CancellationToken.None).ToMoments();
    }
}
