using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Standard input through the fast reader: its header split off for the CSV reader, its rows read
/// plain until a line that is not, then by the CSV reader. The answer and the errors must be those
/// of a file read by the CSV reader alone.
/// </summary>
public sealed class StandardInputTests
{
    private static string Rows(int count, int seed, string lineEnd = "\n")
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            double a = 1000 * rng.NextDouble(), b = rng.NextDouble() - 0.5;
            double y = 2 + (0.5 * a) - (3 * b) + (0.01 * rng.NextDouble());
            sb.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{y:R}{lineEnd}");
        }

        return sb.ToString();
    }

    /// <summary>The same text as a small file, which lsq reads with the CSV reader alone.</summary>
    private static Lsq.Result FromFile(string text, params string[] options)
    {
        using var dir = new TempDir();
        return Lsq.Run(["fit", dir.File("data.csv", text), .. options]);
    }

    public static TheoryData<string, string> Inputs => new()
    {
        { "plain rows over several buffers", "a,b,y\n" + Rows(40_000, 1) },
        { "CRLF line ends", "a,b,y\r\n" + Rows(40_000, 2, "\r\n") },
        { "a quoted number half way", "a,b,y\n" + Rows(20_000, 3) + "\"1.5\",0.25,3\n" + Rows(20_000, 4) },
        { "blank lines and no final line break", "a,b,y\n" + Rows(1000, 5) + "\n\n" + Rows(1000, 6).TrimEnd('\n') },
        { "a quoted header", "\"a\",\"b\",\"y\"\n" + Rows(5000, 7) },
        { "a byte order mark", "\uFEFFa,b,y\n" + Rows(5000, 8) },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Standard_input_prints_what_the_CSV_reader_alone_prints(string what, string text)
    {
        foreach (string method in new[] { "normal", "qr" })
        {
            var piped = Lsq.RunWithInput(text, "fit", "-", "-m", method, "-f", "json", "--summary");
            var file = FromFile(text, "-m", method, "-f", "json", "--summary");
            Assert.True(piped.Code == 0, $"{what}: {piped.Err}");
            Assert.True(file.Out == piped.Out, $"{what}, {method}: standard input and file differ");
        }
    }

    [Fact]
    public void An_error_after_the_handover_names_its_line_in_the_whole_input()
    {
        string text = "a,b,y\n" + Rows(30_000, 9) + "\"2\",1,1\n" + Rows(10_000, 10) + "1,2,abc\n" + Rows(10, 11);
        var r = Lsq.RunWithInput(text, "fit", "-");
        Expect.Error(r, 2, "input/stdin-error-after-handover", "lsq: error: <stdin>:40003:3: column 'y' holds 'abc'");
        Assert.Equal(Regex.Replace(FromFile(text).Err, @"[^ ]*data\.csv", "<stdin>"), r.Err);
    }

    [Fact]
    public void Skipped_rows_after_the_handover_are_counted()
    {
        string text = "a,b,y\n" + Rows(1000, 12) + "1,,3\n" + Rows(1000, 13) + ",2,3\n";
        var r = Lsq.RunWithInput(text, "fit", "-", "--missing", "skip", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("skipped 2 rows of <stdin>", r.Err, StringComparison.Ordinal);
        Assert.Contains("\"n\":2000,", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b\n1,2\n", true)]
    [InlineData("a,b\r\n1,2\r\n", true)]
    [InlineData("\"a\",b\n1,2\n", false)]
    [InlineData("a\rb\n1,2\n", false)]
    [InlineData("a,b", false)]
    [InlineData("", false)]
    public void The_header_is_split_off_only_when_it_is_plain_and_nothing_is_lost_otherwise(string text, bool split)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = StandardInput.TrySplit(new MemoryStream(bytes), out var replay);
        Assert.Equal(split, result is not null);
        var all = new MemoryStream();
        if (result is not null)
        {
            all.Write(result.Header);
            result.Rows.CopyTo(all);
        }
        else
        {
            replay.CopyTo(all);
        }

        Assert.Equal(bytes, all.ToArray());
    }

    [Fact]
    public void Utf16_input_is_replayed_whole_for_the_CSV_reader()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a,y\n1,2\n2,3\n3,5\n")).ToArray();
        Assert.Null(StandardInput.TrySplit(new MemoryStream(bytes), out var replay));
        var all = new MemoryStream();
        replay.CopyTo(all);
        Assert.Equal(bytes, all.ToArray());
    }

    [Fact]
    public void Fit_reads_standard_input_with_dash_or_no_file()
    {
        var csv = File.ReadAllText(Lsq.Sample("linear.csv"));
        var fromFile = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json");
        var dash = Lsq.RunWithInput(csv, "fit", "-", "-f", "json");
        var none = Lsq.RunWithInput(csv, "fit", "--format", "json");
        Assert.Equal(0, dash.Code);
        Assert.Equal(fromFile.Out, dash.Out);
        Assert.Equal(fromFile.Out, none.Out);
    }

    [Fact]
    public void Fit_json_from_standard_input_with_chosen_features_parses_per_the_schema()
    {
        var r = Lsq.RunWithInput(File.ReadAllText(Lsq.Sample("multi.csv")), "fit", "-", "--format", "json", "-x", "x1,x3");
        Assert.Equal(0, r.Code);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        var names = doc.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("term").GetString());
        Assert.Equal(["(intercept)", "x1", "x3"], names);
        Assert.Equal(r.Out, Lsq.Run("fit", Lsq.Sample("multi.csv"), "--format", "json", "-x", "x1,x3").Out);
    }

    [Fact]
    public void Predict_reads_standard_input_with_dash_or_no_file()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.YOnAB);
        var a = Lsq.RunWithInput("a,b\n3,4\n", "predict", "--model", model, "-");
        var b = Lsq.RunWithInput("a,b\n3,4\n", "predict", "--model", model);
        Assert.Equal("a,b,prediction\n3,4,5\n", a.Out);
        Assert.Equal(a.Out, b.Out);
    }
}
