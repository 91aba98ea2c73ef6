using System.Globalization;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>The progress line of long reads, and the fast number parsing of the reader.</summary>
public sealed class ReadProgressTests
{
    [Theory]
    [InlineData(0L, 1_000_000_000L, "lsq: reading big.csv   0% [                    ] 0 B of 1.0 GB")]
    [InlineData(461_000_000L, 1_000_000_000L, "lsq: reading big.csv  46% [#########           ] 461 MB of 1.0 GB")]
    [InlineData(1_000_000_000L, 1_000_000_000L, "lsq: reading big.csv 100% [####################] 1.0 GB of 1.0 GB")]
    public void Line_shows_percent_bar_and_sizes(long bytes, long total, string expected) =>
        Assert.Equal(expected, ReadProgress.Render("big.csv", bytes, total));

    [Fact]
    public void Without_a_size_the_line_shows_bytes_read() =>
        Assert.Equal("lsq: reading <stdin>  12.5 MB", ReadProgress.Render("<stdin>", 12_500_000, null));

    [Fact]
    public void Line_is_redrawn_in_place_and_wiped_at_the_end()
    {
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        long bytes = 0;
        using (var progress = new ReadProgress(stderr, "f.csv", 2000, () => bytes, delay: null, TimeSpan.Zero))
        {
            bytes = 1000;
            progress.Draw();
            bytes = 2000;
            progress.Draw();
        }

        var first = ReadProgress.Render("f.csv", 1000, 2000);
        var second = ReadProgress.Render("f.csv", 2000, 2000);
        Assert.Equal("\r" + first + "\r" + second + "\r" + new string(' ', second.Length) + "\r", stderr.ToString());
        Assert.DoesNotContain('\n', stderr.ToString());
    }

    [Fact]
    public void Nothing_is_drawn_when_the_read_ends_before_the_delay()
    {
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using (new ReadProgress(stderr, "f.csv", 10, () => 5, TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(100)))
        {
        }

        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void A_fit_whose_stderr_is_not_a_terminal_writes_nothing_there() =>
        Assert.Equal("", Lsq.RunWith("", c => c with { StderrIsTerminal = false }, "fit", Lsq.Sample("multi.csv")).Err);

    [Fact]
    public void Numbers_read_exactly_as_double_Parse_reads_them()
    {
        // The fast parser handles the common forms; every value must be the double that .NET's own
        // correctly rounded parser gives, including the hard cases of the round-trip form.
        var rng = new Random(11);
        var texts = new List<string>
        {
            "0", "-0", "1.5", "+3", ".5", "5.", "1e-320", "4.9406564584124654E-324", "1.7976931348623157e308",
            "2.2250738585072011e-308", "0.1", "9007199254740993", "123456789012345678901234567890", " 2.5 ", "1E+2",
        };
        for (int i = 0; i < 2000; i++)
        {
            double v = BitConverter.Int64BitsToDouble(rng.NextInt64(0, 0x7FEFFFFFFFFFFFFF));
            texts.Add(v.ToString("R", CultureInfo.InvariantCulture));
            texts.Add((rng.NextDouble() * 1000).ToString("R", CultureInfo.InvariantCulture));
        }

        using var dir = new TempDir();
        var path = dir.File("n.csv", "x,y\n" + string.Concat(texts.Select(t => $"{t},1\n")));
        using var source = CsvSource.Open(path, new CsvDialect(), () => Stream.Null);
        var values = new double[1];
        foreach (var text in texts)
        {
            Assert.Equal(RowStatus.Row, source.ReadRow([0], values));
            Assert.Equal(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), values[0]);
        }
    }
}
