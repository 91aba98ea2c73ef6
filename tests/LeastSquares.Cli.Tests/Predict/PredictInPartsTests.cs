using System.Globalization;
using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq predict on several cores: a file cut into many small parts gives byte for byte the output
/// of one core and of standard input (which is never cut), pass-through columns, quoting, blank
/// lines, CRLF, quoted line breaks and errors included.
/// </summary>
public sealed class PredictInPartsTests
{
    /// <summary>y = 1 + 2a − 0.5b, with what intervals and diagnostics need (version 3).</summary>
    private const string Model = """
        {"format":"lsq-model","version":3,"target":"y","predictors":["a","b"],"degree":1,"intercept":true,
         "terms":["(intercept)","a","b"],"coefficients":[1,2,-0.5],"penalized":false,"sigma":0.5,"df_residual":10,
         "unscaled_covariance":[[0.5,0.01,0.02],[0.01,0.1,0.003],[0.02,0.003,0.2]]}
        """;

    /// <summary>Parts of 4 kB with the threshold at 0, so that a file of some 200 kB is cut about 50 times.</summary>
    private static Func<CliContext, CliContext> Parts(int threads) =>
        c => c with { Parallel = new ParallelSettings { Threads = threads, MinBytes = 0, PartBytes = 4 << 10 } };

    /// <summary>Rows of every kind the reader meets; <paramref name="lineBreaksInQuotes"/> adds quoted fields that span lines.</summary>
    private static string Data(int rows, bool lineBreaksInQuotes, string? badCell = null, char separator = ',')
    {
        var rng = new Random(11);
        var sb = new StringBuilder($"id{separator}a{separator}note{separator}b{separator}y\n");
        string s = separator.ToString();
        for (int i = 0; i < rows; i++)
        {
            double a = Math.Round((rng.NextDouble() * 200) - 100, rng.Next(0, 12));
            double b = rng.NextDouble() * Math.Pow(10, rng.Next(-8, 9));
            double y = 1 + (2 * a) - (0.5 * b) + rng.NextDouble();
            string note = (i % 7) switch
            {
                0 => "plain",
                1 => "\"quoted, with a comma\"",
                2 => "\"she said \"\"hi\"\"\"",
                3 => "",
                4 => lineBreaksInQuotes ? "\"two\nlines\"" : "\"x\"",
                5 => "tab\there",
                _ => "ünïcode",
            };
            string an = i == rows - 40 && badCell is not null ? badCell : a.ToString("R", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"r{i}{s}{an}{s}{note}{s}{b:R}{s}{y:R}");
            sb.Append(i % 13 == 0 ? "\r\n" : "\n");
            if (i % 97 == 0)
            {
                sb.Append('\n'); // a blank line, echoed as one
            }
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData(false, new string[0])]
    [InlineData(false, new[] { "--only" })]
    [InlineData(false, new[] { "--interval", "prediction", "--diagnostics" })]
    [InlineData(true, new[] { "--interval", "confidence", "--level", "0.9" })]
    [InlineData(true, new string[0])]
    public void Output_in_parts_is_byte_identical_to_one_core_and_to_standard_input(bool lineBreaksInQuotes, string[] options)
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Model);
        var text = Data(3000, lineBreaksInQuotes);
        var data = dir.File("data.csv", text);
        string[] args = ["predict", "--model", model, data, .. options];

        var stdin = Lsq.RunWithInput(text, ["predict", "--model", model, .. options]);
        Assert.True(stdin.Code == 0, stdin.Err);
        if (!options.Contains("--only"))
        {
            Assert.StartsWith("id,a,note,b,y,prediction", stdin.Out, StringComparison.Ordinal);
            Assert.Contains("\nr2999,", stdin.Out, StringComparison.Ordinal);
            Assert.Contains("\n\nr98,", stdin.Out, StringComparison.Ordinal); // a blank line stays
        }
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var parts = Lsq.RunWith("", Parts(threads), args);
            Assert.True(parts.Code == 0, parts.Err);
            Assert.Equal(stdin.Out, parts.Out);
        }

        // The default threshold (16 MB) reads this file in one pass.
        Assert.Equal(stdin.Out, Lsq.Run(args).Out);
    }

    [Fact]
    public void Tab_separated_input_gives_the_same_tab_separated_output_in_parts()
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Model);
        var text = Data(2000, lineBreaksInQuotes: false, separator: '\t').Replace("tab\there", "tab here", StringComparison.Ordinal);
        var data = dir.File("data.tsv", text);
        var one = Lsq.RunWithInput(text, "predict", "--model", model, "--delimiter", "\t");
        Assert.True(one.Code == 0, one.Err);
        Assert.Contains("r1\t", one.Out, StringComparison.Ordinal); // TSV in, TSV out
        Assert.DoesNotContain(",", one.Out.Split('\n')[0], StringComparison.Ordinal);
        Assert.Equal(one.Out, Lsq.RunWith("", Parts(2), "predict", "--model", model, data).Out);
    }

    [Fact]
    public void An_error_in_a_late_part_is_reported_at_its_line_after_the_rows_before_it()
    {
        using var dir = new TempDir();
        var model = dir.File("model.json", Model);
        var text = Data(3000, lineBreaksInQuotes: false, badCell: "5x");
        var data = dir.File("data.csv", text);
        var one = Lsq.RunWithInput(text, "predict", "--model", model);
        Assert.Equal(2, one.Code);
        Assert.Contains("holds '5x', which is not a number", one.Err, StringComparison.Ordinal);
        foreach (int threads in new[] { 1, 2 })
        {
            var parts = Lsq.RunWith("", Parts(threads), "predict", "--model", model, data);
            Assert.Equal(2, parts.Code);
            Assert.Equal(one.Out, parts.Out);
            Assert.Equal(one.Err.Replace("<stdin>", data, StringComparison.Ordinal), parts.Err);
        }
    }

    [Fact]
    public void Numbers_are_written_in_shortest_round_trip_form()
    {
        var rng = new Random(5);
        var bytes = new CsvBytes();
        for (int i = 0; i < 200_000; i++)
        {
            double v = i % 2 == 0
                ? BitConverter.Int64BitsToDouble((long)(rng.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF)) * (rng.Next(2) == 0 ? 1 : -1)
                : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20));
            bytes.Clear();
            bytes.Number(v);
            var text = Encoding.UTF8.GetString(bytes.Written);
            Assert.Equal(v, double.Parse(text, CultureInfo.InvariantCulture));
            Assert.Equal(v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'), text);
        }
    }
}
