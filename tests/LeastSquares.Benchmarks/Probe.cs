using System.Globalization;
using CsvHelper;

namespace LeastSquares.Benchmarks;

/// <summary>Takes rows and does nothing with them, to time reading alone.</summary>
internal sealed class NullAccumulator(ModelTerms terms) : MomentAccumulator
{
    public override ModelTerms Terms { get; } = terms;

    public override void Add(ReadOnlySpan<double> row) => Count++;

    public override Moments ToMoments() => throw new NotSupportedException();
}

/// <summary>Timing probes of the stages of reading a big CSV, for profiling by hand.</summary>
public static class Probe
{
    public static string Kernel(int rows, int width)
    {
        var rng = new Random(1);
        var block = new double[1000 * 11];
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = (100.0 * (i % 11)) + rng.NextDouble();
        }

        var terms = new ModelTerms(Enumerable.Range(1, 10).Select(j => "x" + j).ToArray(), "y");
        var acc = new LinearAccumulator(terms, width);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (int r = 0; r < rows; r += 1000)
        {
            acc.AddRows(block, 1000);
        }

        return FormattableString.Invariant($"{rows} rows width {width}: {sw.Elapsed.TotalSeconds:F3} s wall, {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3} s cpu, {acc.ToMoments().GetComoment(0, 10)}");
    }

    /// <summary>Times one accumulation kernel on <paramref name="rows"/> seeded rows of <paramref name="p"/> predictors held in memory.</summary>
    public static string Wide(int p, int rows, int kernel)
    {
        var rng = new Random(1);
        int block = Math.Max(1, (4 << 20) / (8 * (p + 1)));
        var data = new double[block * (p + 1)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (100.0 * (i % 7)) + rng.NextDouble();
        }

        var terms = new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y");
        var acc = new LinearAccumulator(terms, kernel);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int r = 0; r < rows; r += block)
        {
            acc.AddRows(data, Math.Min(block, rows - r));
        }

        var m = acc.ToMoments();
        double seconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return FormattableString.Invariant($"p {p}, {rows} rows, kernel {kernel}: {sw.Elapsed.TotalSeconds:F3} s wall, {seconds:F3} s cpu ({m.GetComoment(0, p).Hi:G6})");
    }

    /// <summary>lsq's own reading loop (CsvSource.ReadRow of every model column) without the fit.</summary>
    public static string ReadRows(string path)
    {
        using var source = LeastSquares.Cli.Input.CsvSource.Open(path, new LeastSquares.Cli.Input.CsvDialect(), () => Stream.Null);
        var columns = LeastSquares.Cli.Input.ModelColumns.Resolve(source, new LeastSquares.Cli.Input.ModelSpec(null, null, 1, true));
        var values = new double[columns.Columns.Length];
        long rows = 0;
        double sum = 0;
        while (source.ReadRow(columns.Columns, values) != LeastSquares.Cli.Input.RowStatus.End)
        {
            rows++;
            sum += values[^1];
        }

        return FormattableString.Invariant($"{rows} rows, checksum {sum}");
    }

    public static string Run(string path, string stage)
    {
        if (stage == "readrows")
        {
            return ReadRows(path);
        }

        if (stage is "plain" or "plainread")
        {
            using var file = File.OpenRead(path);
            int headerEnd = 0;
            while (file.ReadByte() != '\n')
            {
                headerEnd++;
            }

            var plainTerms = new ModelTerms(Enumerable.Range(1, 10).Select(j => "x" + j).ToArray(), "y");
            // plainread: lsq's fast reader of plain rows alone, the parse-only baseline of bench/big.sh.
            MomentAccumulator plainAcc = stage == "plain" ? MomentAccumulator.Create(plainTerms) : new NullAccumulator(plainTerms);
            var r = LeastSquares.Cli.Input.PlainRowReader.Read(file, ',', 11, Enumerable.Range(0, 11).ToArray(), plainAcc, null, CancellationToken.None);
            return FormattableString.Invariant($"{r} {plainAcc.Count}");
        }

        if (stage == "accumulate")
        {
            using var source = LeastSquares.Cli.Input.CsvSource.Open(path, new LeastSquares.Cli.Input.CsvDialect(), () => Stream.Null);
            var columns = LeastSquares.Cli.Input.ModelColumns.Resolve(source, new LeastSquares.Cli.Input.ModelSpec(null, null, 1, true));
            return FormattableString.Invariant($"{columns.ReadRows(source, FitMethod.Normal, onRow: null, stop: null, CancellationToken.None).Count} rows");
        }

        var options = new CsvReaderOptions { Separator = ',', HasHeader = true, TrackLineNumbers = stage.Contains("lines", StringComparison.Ordinal), BufferSize = 1 << 20, FormatProvider = CultureInfo.InvariantCulture, MalformedData = CsvMalformedDataHandling.Throw };
        using var reader = CsvReader.FromFile(path, options);
        int width = reader.Headers.Count;
        long rows = 0;
        double sum = 0;
        var values = new double[width];
        var terms = new ModelTerms(Enumerable.Range(1, width - 1).Select(j => "x" + j).ToArray(), "y");
        var acc = MomentAccumulator.Create(terms);
        while (reader.Read())
        {
            rows++;
            if (stage.StartsWith("read", StringComparison.Ordinal))
            {
                continue;
            }

            if (stage == "raw")
            {
                sum += reader.RawRecord.Length;
                continue;
            }

            if (stage == "rawparse")
            {
                var raw = reader.RawRecord;
                int pos = 0;
                for (int c = 0; c < width; c++)
                {
                    if (!LeastSquares.Cli.Input.Utf8Double.TryParsePrefix(raw[pos..], out values[c], out int used))
                    {
                        throw new FormatException("utf8 parse failed");
                    }

                    pos += used + 1;
                }

                sum += values[0];
                continue;
            }

            for (int c = 0; c < width; c++)
            {
                var span = reader.GetSpan(c);
                if (stage.StartsWith("span", StringComparison.Ordinal))
                {
                    sum += span.Length;
                    continue;
                }

                if (stage == "u8")
                {
                    if (!LeastSquares.Cli.Input.Utf8Double.TryParse(span, out values[c]))
                    {
                        throw new FormatException("utf8 parse failed");
                    }
                }
                else if (stage.StartsWith("fast", StringComparison.Ordinal) || stage == "accfast")
                {
                    if (!csFastFloat.FastDoubleParser.TryParseDouble(span, out int used, out values[c], NumberStyles.Float, (byte)'.') || used != span.Length)
                    {
                        throw new FormatException("fast parse failed");
                    }

                    if (stage == "fastcheck" && values[c] != double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture))
                    {
                        throw new FormatException("fast parse differs");
                    }
                }
                else
                {
                    values[c] = double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture);
                }
            }

            if (stage.StartsWith("acc", StringComparison.Ordinal))
            {
                acc.Add(values);
            }
            else
            {
                sum += values[0];
            }
        }

        return FormattableString.Invariant($"{rows} rows, {sum}");
    }
}
