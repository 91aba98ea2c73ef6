using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeastSquares.Cli.Input;
using MathNet.Numerics.LinearAlgebra;

namespace LeastSquares.Cli.Tests;

/// <summary>A seeded 200,000-row file, written once for the tests of the parallel reader.</summary>
public sealed class BigFileFixture : IDisposable
{
    public const int Rows = 200_000;
    private readonly TempDir _dir = new();

    public BigFileFixture()
    {
        (Text, X, Y) = Generate(Rows, seed: 7);
        Path = _dir.File("big.csv", Text);
    }

    public string Path { get; }

    public string Text { get; }

    public double[][] X { get; }

    public double[] Y { get; }

    /// <summary>y = 2 + 0.5·x1 − 0.003·(x2 − 1e6) + 7000·x3 + N(0, 0.1²), x2 near 1e6 and x3 near 0.</summary>
    public static (string Text, double[][] X, double[] Y) Generate(int rows, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("x1,x2,x3,y\n");
        var x = new double[rows][];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double u1 = rng.NextDouble(), u2 = rng.NextDouble(), u3 = rng.NextDouble();
            double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            x[i] = [100 + u1, 1e6 + 1000 * u2, 1e-3 * u3];
            y[i] = 2 + 0.5 * x[i][0] - 0.003 * (1000 * u2) + 7000 * x[i][2] + 0.1 * noise;
            sb.Append(CultureInfo.InvariantCulture, $"{x[i][0]:R},{x[i][1]:R},{x[i][2]:R},{y[i]:R}\n");
        }

        return (sb.ToString(), x, y);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// The multi-core reading of big files: same answer as one core, errors at the right line of the
/// whole file, and a sequential read whenever a cut would fall inside a quoted field.
/// </summary>
public sealed class ParallelReadTests(BigFileFixture big) : IClassFixture<BigFileFixture>
{
    /// <summary>Several threads, and parts of 256 kB, so that a 10 MB file is cut some 40 times.</summary>
    private static CliContext Parallel(CliContext c) =>
        c with { Parallel = new ParallelSettings { Threads = 3, MinBytes = 0, PartBytes = 256 << 10 } };

    private static CliContext Sequential(CliContext c) => c with { Parallel = new ParallelSettings { Threads = 1 } };

    private static double[] Estimates(Lsq.Result r)
    {
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
    }

    private static double Digits(double a, double b)
    {
        double err = b == 0 ? Math.Abs(a) : Math.Abs(a - b) / Math.Abs(b);
        return err == 0 ? 16 : -Math.Log10(err);
    }

    [Fact]
    public void Parallel_read_agrees_with_sequential_read_and_standard_input()
    {
        var parallel = Estimates(Lsq.RunWith("", Parallel, "fit", big.Path, "-f", "json"));
        var sequential = Estimates(Lsq.RunWith("", Sequential, "fit", big.Path, "-f", "json"));
        var stdin = Estimates(Lsq.RunWith(big.Text, Parallel, "fit", "-", "-f", "json"));
        Assert.Equal(4, parallel.Length);
        for (int j = 0; j < parallel.Length; j++)
        {
            Assert.True(Digits(parallel[j], sequential[j]) >= 12, $"β{j}: parallel {parallel[j]:R}, sequential {sequential[j]:R}");
            Assert.Equal(sequential[j], stdin[j]); // standard input is read sequentially, the same way
        }
    }

    [Fact]
    public void Parallel_read_is_deterministic()
    {
        var first = Lsq.RunWith("", Parallel, "fit", big.Path, "-f", "json", "--summary");
        var second = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 256 << 10 } },
            "fit", big.Path, "-f", "json", "--summary");
        Assert.Equal(0, first.Code);
        Assert.Equal(first.Out, second.Out); // same parts, merged in file order, whatever the thread count
    }

    [Fact]
    public void One_thread_reads_the_same_parts_and_prints_the_same_bytes()
    {
        var three = Lsq.RunWith("", Parallel, "fit", big.Path, "-f", "json", "--summary");
        var one = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 1, MinBytes = 0, PartBytes = 256 << 10 } },
            "fit", big.Path, "-f", "json", "--summary");
        Assert.Equal(0, one.Code);
        Assert.Equal(three.Out, one.Out);
    }

    [Fact]
    public void Qr_reads_the_parts_into_factors_that_agree_with_one_sequential_factor()
    {
        var parts = Lsq.RunWith("", Parallel, "fit", big.Path, "-m", "qr", "-f", "json", "--summary");
        var one = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 1, MinBytes = 0, PartBytes = 256 << 10 } },
            "fit", big.Path, "-m", "qr", "-f", "json", "--summary");
        Assert.Equal(parts.Out, one.Out); // the same factors merged in the same order

        var merged = Estimates(parts);
        var sequential = Estimates(Lsq.RunWith("", Sequential, "fit", big.Path, "-m", "qr", "-f", "json"));
        var normal = Estimates(Lsq.RunWith("", Parallel, "fit", big.Path, "-f", "json"));
        Assert.Contains("\"method\":\"qr\"", parts.Out, StringComparison.Ordinal);
        for (int j = 0; j < merged.Length; j++)
        {
            Assert.True(Digits(merged[j], sequential[j]) >= 12, $"β{j}: parts {merged[j]:R}, sequential {sequential[j]:R}");
            Assert.True(Digits(merged[j], normal[j]) >= 12, $"β{j}: qr {merged[j]:R}, normal {normal[j]:R}");
        }
    }

    [Fact]
    public void Qr_in_parts_reports_an_error_at_its_line_in_the_whole_file()
    {
        const int Line = 160_003;
        var r = FitFile(WithLine(big.Text, Line, "1,2,3,x y"), "-m", "qr");
        Assert.Equal(2, r.Code);
        Assert.Matches($@"^lsq: error: .*data\.csv:{Line}:4: column 'y' holds 'x y', which is not a number", r.Err);
    }

    [Fact]
    public void Parallel_read_matches_an_independent_QR_solution()
    {
        // Householder QR (MathNet, plain double) of the design shifted by its first row: a
        // different algorithm on the same numbers. The shift is exact (Sterbenz) and keeps the
        // columns well scaled; the intercept is shifted back at the end.
        int n = big.Y.Length;
        var shift = big.X[0];
        var a = Matrix<double>.Build.Dense(n, 4, (i, j) => j == 0 ? 1 : big.X[i][j - 1] - shift[j - 1]);
        var b = Vector<double>.Build.Dense(big.Y);
        var qr = a.QR().Solve(b);
        double intercept = qr[0] - (qr[1] * shift[0]) - (qr[2] * shift[1]) - (qr[3] * shift[2]);
        double[] expected = [intercept, qr[1], qr[2], qr[3]];

        var parallel = Estimates(Lsq.RunWith("", Parallel, "fit", big.Path, "-f", "json"));
        for (int j = 0; j < 4; j++)
        {
            Assert.True(Digits(parallel[j], expected[j]) >= 10, $"β{j}: lsq {parallel[j]:R}, QR {expected[j]:R}");
        }
    }

    private static string WithLine(string text, int line, string replacement)
    {
        var lines = text.Split('\n');
        lines[line - 1] = replacement;
        return string.Join('\n', lines);
    }

    private static Lsq.Result FitFile(string text, params string[] extra)
    {
        using var dir = new TempDir();
        var path = dir.File("data.csv", text);
        return Lsq.RunWith("", Parallel, ["fit", path, .. extra]);
    }

    [Fact]
    public void An_error_in_the_second_half_names_its_line_in_the_whole_file()
    {
        const int Line = 150_001; // a data row three quarters down the file, far past the first cut
        var r = FitFile(WithLine(big.Text, Line, "1,2,3,abc"));
        Assert.Equal(2, r.Code);
        Assert.Matches($@"^lsq: error: .*data\.csv:{Line}:4: column 'y' holds 'abc', which is not a number", r.Err);
    }

    [Fact]
    public void Of_two_errors_the_first_in_the_file_is_reported()
    {
        var text = WithLine(WithLine(big.Text, 190_000, "1,2,3,x"), 120_000, "1,2,,4");
        var r = FitFile(text);
        Assert.Equal(2, r.Code);
        Assert.Matches(@"^lsq: error: .*data\.csv:120000:3: column 'x3' is empty", r.Err);
    }

    [Fact]
    public void A_ragged_row_late_in_a_file_with_CRLF_line_ends_has_its_line_number()
    {
        var text = WithLine(big.Text, 170_123, "1,2,3,4,5").Replace("\n", "\r\n", StringComparison.Ordinal);
        var r = FitFile(text);
        Assert.Equal(2, r.Code);
        Assert.Matches(@"^lsq: error: .*data\.csv:170123: the row has 5 fields but the header has 4", r.Err);
    }

    [Fact]
    public void Skipped_rows_are_counted_over_all_parts()
    {
        var text = WithLine(WithLine(WithLine(big.Text, 10, "1,2,,4"), 100_000, ",2,3,4"), 199_999, "1,2,3,");
        var r = FitFile(text, "--missing", "skip", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("skipped 3 rows", r.Err, StringComparison.Ordinal);
        Assert.Contains($"\"n\":{BigFileFixture.Rows - 3},", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_field_across_a_cut_makes_the_read_sequential()
    {
        // Line 100,000 opens a quoted field that holds many line breaks; every cut made inside it
        // would start a part in the middle of a field, so the parallel reader must give up.
        var (text, _, _) = BigFileFixture.Generate(50_000, seed: 3);
        var lines = text.Split('\n').ToList();
        lines[20_000] = "1,2,3,\"4";
        lines[40_000] = "5\""; // closes it: one record of 20,001 lines whose y is not a number
        text = string.Join('\n', lines);
        using var dir = new TempDir();
        var path = dir.File("quoted.csv", text);
        var r = Lsq.RunWith("", Parallel, "fit", path);
        Assert.Equal(2, r.Code);
        Assert.Matches(@"^lsq: error: .*quoted\.csv:20001:4: column 'y' holds '4\\n.*', which is not a number", r.Err);

        var header = new CsvDialect();
        using var source = CsvSource.Open(path, header, () => Stream.Null);
        var columns = ModelColumns.Resolve(source, new ModelSpec(null, null, 1, true));
        var settings = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 64 << 10 };
        Assert.Null(ParallelFileReader.TryRead(path, source.DisplayName, header, ',', columns, source.Header, settings, null, CancellationToken.None));
    }

    [Fact]
    public void A_long_quoted_note_across_cuts_in_a_column_the_model_does_not_use_makes_the_read_sequential()
    {
        // Quoted notes on one line are skipped by the fast reader; one that runs over thousands
        // of lines puts cuts inside quotes, and the parity of the quotes must still show it.
        var (text, _, _) = BigFileFixture.Generate(50_000, seed: 5);
        var lines = text.TrimEnd('\n').Split('\n').Select((l, i) => l + (i == 0 ? ",note" : i % 7 == 0 && (i < 20_000 || i > 40_000) ? ",\"a, \"\"quoted\"\" note\"" : ",plain")).ToList();
        lines[20_000] = lines[20_000][..lines[20_000].LastIndexOf(',')] + ",\"opens";
        lines[40_000] = lines[40_000][..lines[40_000].LastIndexOf(',')] + ",closes\"";
        text = string.Join('\n', lines) + "\n";
        using var dir = new TempDir();
        var path = dir.File("notes.csv", text);
        var dialect = new CsvDialect();
        using var source = CsvSource.Open(path, dialect, () => Stream.Null);
        var columns = ModelColumns.Resolve(source, new ModelSpec("y", ["x1", "x2", "x3"], 1, true));
        var settings = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 64 << 10 };
        Assert.Null(ParallelFileReader.TryRead(path, source.DisplayName, dialect, ',', columns, source.Header, settings, null, CancellationToken.None));

        var file = Lsq.RunWith("", Parallel, "fit", path, "-y", "y", "-x", "x1,x2,x3", "-f", "json");
        var piped = Lsq.RunWith(text, Parallel, "fit", "-", "-y", "y", "-x", "x1,x2,x3", "-f", "json");
        Assert.Equal(0, file.Code);
        Assert.Equal(piped.Out, file.Out);
        Assert.Contains($"\"n\":{50_000 - 20_000},", file.Out, StringComparison.Ordinal); // the 20,001 lines of the long note are one record
    }

    [Fact]
    public void Quotes_that_close_before_each_cut_keep_the_read_parallel()
    {
        var (text, _, _) = BigFileFixture.Generate(50_000, seed: 4);
        text = "\"x1\",\"x2\",\"x3\",\"y\"" + text[text.IndexOf('\n', StringComparison.Ordinal)..];
        text = WithLine(text, 30_000, "\"1.5\",2,3,4");
        using var dir = new TempDir();
        var path = dir.File("q.csv", text);
        var dialect = new CsvDialect();
        using var source = CsvSource.Open(path, dialect, () => Stream.Null);
        var columns = ModelColumns.Resolve(source, new ModelSpec(null, null, 1, true));
        var settings = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 64 << 10 };
        var result = ParallelFileReader.TryRead(path, source.DisplayName, dialect, ',', columns, source.Header, settings, null, CancellationToken.None);
        Assert.NotNull(result);
        Assert.Equal(50_000, result.Value.Moments.Count);
    }

    [Fact]
    public void A_separator_that_can_be_part_of_a_number_gives_the_same_error_as_a_sequential_read()
    {
        // With '-' as the separator, "5--7" is three fields to the CSV reader, never the numbers 5 and −7.
        var text = new StringBuilder("x-y\n");
        for (int i = 1; i < 60_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i}-{(2 * i) + 0.25}\n");
        }

        text.Append("5--7\n");
        var parts = FitFile(text.ToString(), "--delimiter", "-");
        var sequential = Lsq.RunWith(text.ToString(), Parallel, "fit", "-", "--delimiter", "-");
        Assert.Equal(2, parts.Code);
        Assert.Contains(":60001: the row has 3 fields but the header has 2", parts.Err, StringComparison.Ordinal);
        Assert.Equal(sequential.Err.Replace("<stdin>", "", StringComparison.Ordinal), Regex.Replace(parts.Err, @"[^ ]*data\.csv", ""));
    }

    [Fact]
    public void A_malformed_field_late_in_a_part_is_reported_as_a_sequential_read_reports_it()
    {
        const int Line = 120_007;
        var text = WithLine(big.Text, Line, "0.1,0.2,\"0.3\"x,0.4");
        var parts = FitFile(text);
        var one = Lsq.RunWith(text, c => c with { Parallel = new ParallelSettings { Threads = 1, MinBytes = 0, PartBytes = 256 << 10 } }, "fit", "-");
        Assert.Equal(2, parts.Code);
        Assert.Matches($@"^lsq: error: .*data\.csv:{Line}: malformed CSV: text after the closing quote of a quoted field\.\n$", parts.Err);
        Assert.Equal($"lsq: error: <stdin>:{Line}: malformed CSV: text after the closing quote of a quoted field.\n", one.Err);
    }

    /// <summary>The big file with a blank line after every 300th row and an empty cell in every 1000th.</summary>
    private List<string> Gappy()
    {
        var lines = big.Text.TrimEnd('\n').Split('\n').ToList();
        for (int i = 1; i < lines.Count; i += 1000)
        {
            lines[i] = "," + lines[i][(lines[i].IndexOf(',', StringComparison.Ordinal) + 1)..];
        }

        for (int i = lines.Count - 1; i > 0; i -= 300)
        {
            lines.Insert(i, "");
        }

        return lines;
    }

    [Fact]
    public void Many_lines_the_fast_reader_does_not_take_are_read_as_a_sequential_read_reads_them()
    {
        var text = string.Join('\n', Gappy()) + "\n";
        using var dir = new TempDir();
        var path = dir.File("gappy.csv", text);
        string[] args = ["fit", path, "--missing", "skip", "-f", "json", "--summary"];
        var three = Lsq.RunWith("", Parallel, args);
        var one = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 1, MinBytes = 0, PartBytes = 256 << 10 } }, args);
        var piped = Lsq.RunWith(text, Parallel, "fit", "-", "--missing", "skip", "-f", "json");
        Assert.True(three.Code == 0, three.Err);
        Assert.Equal(three.Out, one.Out);
        Assert.Contains("skipped 200 rows", three.Err, StringComparison.Ordinal);
        Assert.Contains($"\"n\":{BigFileFixture.Rows - 200},", three.Out, StringComparison.Ordinal);
        var parts = Estimates(three);
        var sequential = Estimates(piped);
        for (int j = 0; j < parts.Length; j++)
        {
            Assert.True(Digits(parts[j], sequential[j]) >= 12, $"β{j}: parts {parts[j]:R}, sequential {sequential[j]:R}");
        }
    }

    [Fact]
    public void An_error_in_a_file_of_many_lines_the_fast_reader_does_not_take_names_its_line()
    {
        var lines = Gappy();
        int line = lines.Count - 12_345; // 1-based line numbers: index line − 1
        lines[line - 1] = "1,2,3,4,5";
        var r = FitFile(string.Join('\n', lines) + "\n", "--missing", "skip");
        Assert.Equal(2, r.Code);
        Assert.Matches($@"^lsq: error: .*data\.csv:{line}: the row has 5 fields but the header has 4", r.Err);
    }

    [Fact]
    public void Progress_counts_every_byte_once_when_the_fast_reader_hands_over()
    {
        // A blank line early in every part sends the rest of each part to the CSV reader.
        var lines = big.Text.Split('\n');
        for (int i = 1; i < lines.Length - 1; i += 5_000)
        {
            lines[i] += "\n";
        }

        using var dir = new TempDir();
        var path = dir.File("blank-lines.csv", string.Join('\n', lines));
        var dialect = new CsvDialect();
        using var source = CsvSource.Open(path, dialect, () => Stream.Null);
        var columns = ModelColumns.Resolve(source, new ModelSpec(null, null, 1, true));
        var counter = new ByteCounter();
        var settings = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 2 << 20 };
        var result = ParallelFileReader.TryRead(path, source.DisplayName, dialect, ',', columns, source.Header, settings, counter, CancellationToken.None);
        Assert.NotNull(result);
        Assert.Equal(BigFileFixture.Rows, result.Value.Moments.Count);
        long header = lines[0].Length + 1;
        Assert.Equal(new FileInfo(path).Length - header, counter.Bytes);
    }

    [Theory]
    [InlineData("two")]
    [InlineData("-1")]
    [InlineData("257")]
    public void A_bad_LSQ_THREADS_is_a_usage_error(string value)
    {
        var r = Lsq.RunWith("", c => c with { ThreadsVariable = value }, "fit", Lsq.Sample("linear.csv"));
        Assert.Equal(1, r.Code);
        Assert.Equal($"lsq: error: LSQ_THREADS is '{value}', but it must be a whole number from 0 to 256: the threads that read a big file, 0 for one per core (as when it is unset), 1 to read its parts one after another. Fix or unset it.\n", r.Err);
    }

    [Fact]
    public void LSQ_THREADS_0_means_one_thread_per_core()
    {
        // Before: exit 1, even on a 100-row file.
        var unset = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json");
        var zero = Lsq.RunWith("", c => c with { ThreadsVariable = "0" }, "fit", Lsq.Sample("linear.csv"), "-f", "json");
        Assert.Equal(0, zero.Code);
        Assert.Equal(unset.Out, zero.Out);
    }

    [Theory]
    // The 20,000 × 500 benchmark file (190 MB, rows of 9.5 kB; a factor 502 wide): 11 merges of
    // 16 MB parts would cost as much as 3,000 rows; parts of at least 16·502 rows, as many as the
    // cores (a multiple of them), or one a core when the file is too short for that.
    [InlineData(2, 95_000_000L)]
    [InlineData(8, 23_750_000L)]
    [InlineData(32, 16L << 20)] // never below the usual part size
    public void Wide_qr_parts_are_long_enough_for_their_merges_and_shared_by_the_cores(int cores, long expected)
    {
        long bytes = ParallelFileReader.QrPartBytes(190_000_000, 9_500, 502, cores, 16L << 20);
        Assert.Equal(expected, bytes);
        long parts = (190_000_000 + bytes - 1) / bytes;
        Assert.True(parts % cores == 0 || bytes == 16L << 20, $"{parts} parts on {cores} cores");
        // Shorter parts only where the file has too few rows to give every core one long part.
        Assert.True(bytes / 9_500 >= 16 * 502 || parts == cores || bytes == 16L << 20, $"{bytes / 9_500} rows a part");
    }

    [Theory]
    [InlineData(20)] // a narrow factor merges in no time: the usual parts
    [InlineData(502)]
    public void Qr_parts_of_short_rows_or_narrow_factors_keep_the_usual_size(int m)
    {
        Assert.Equal(16L << 20, ParallelFileReader.QrPartBytes(190_000_000, m == 20 ? 9_500 : 100, m, 2, 16L << 20));
    }
}
