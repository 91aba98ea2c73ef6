using System.Text;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>Dialects (CRLF, BOM, TSV), shell completion and closed pipes, in-process.</summary>
public sealed class ShellTests
{
    private const string Model = """
        {"format":"lsq-model","version":1,"target":"y","predictors":["a","b"],"degree":1,"intercept":true,
         "terms":["(intercept)","a","b"],"coefficients":[1,2,-0.5]}
        """;

    private const string Data = "a,b,y\n1,0,3.1\n2,1,4.4\n3,0,7.2\n4,3,7.5\n5,1,10.8\n";

    private static byte[] Bom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];

    public static TheoryData<string> Variants() => ["crlf", "bom", "bom+crlf"];

    private static byte[] Variant(string text, string variant)
    {
        if (variant.Contains("crlf", StringComparison.Ordinal))
        {
            text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        return variant.Contains("bom", StringComparison.Ordinal) ? Bom(text) : Encoding.UTF8.GetBytes(text);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fit_reads_CRLF_and_byte_order_mark_like_plain_LF(string variant)
    {
        using var dir = new TempDir();
        var plain = dir.File("plain.csv", Data);
        var other = Path.Combine(dir.Path, "other.csv");
        File.WriteAllBytes(other, Variant(Data, variant));
        var expected = Lsq.Run("fit", plain, "-f", "csv", "-y", "y");
        var r = Lsq.Run("fit", other, "-f", "csv", "-y", "y"); // the first column's name must not carry the BOM
        Assert.Equal(0, r.Code);
        Assert.Equal(expected.Out, r.Out);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Predict_reads_CRLF_and_byte_order_mark_and_writes_LF(string variant)
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var other = Path.Combine(dir.Path, "d.csv");
        File.WriteAllBytes(other, Variant("a,b\n3,4\n5,6\n", variant));
        var r = Lsq.Run("predict", "--model", model, other);
        Assert.Equal(0, r.Code);
        Assert.Equal("a,b,prediction\n3,4,5\n5,6,8\n", r.Out);
    }

    [Fact]
    public void Tsv_files_are_tab_separated_without_being_told()
    {
        using var dir = new TempDir();
        var csv = dir.File("d.csv", Data);
        var tsv = dir.File("d.tsv", Data.Replace(',', '\t'));
        Assert.Equal(Lsq.Run("fit", csv, "-f", "json").Out, Lsq.Run("fit", tsv, "-f", "json").Out);
        var model = dir.File("m.json", Model);
        var r = Lsq.Run("predict", "--model", model, "--only", tsv);
        Assert.Equal(0, r.Code);
        Assert.Equal("prediction\n3\n4.5\n7\n7.5\n10.5\n", r.Out);
    }

    [Fact]
    public void Delimiter_option_for_other_separators()
    {
        using var dir = new TempDir();
        var semi = dir.File("d.txt", Data.Replace(',', ';'));
        var csv = dir.File("d.csv", Data);
        Assert.Equal(Lsq.Run("fit", csv, "-f", "csv").Out, Lsq.Run("fit", semi, "--delimiter", ";", "-f", "csv").Out);
        var model = dir.File("m.json", Model);
        // Input fields are written back comma-separated; a field holding a comma is quoted.
        var r = Lsq.Run("predict", "--model", model, "--delimiter", ";", dir.File("p.txt", "a;b;c\n3;4;x,y\n"));
        Assert.Equal("a,b,c,prediction\n3,4,\"x,y\",5\n", r.Out);
        var tab = Lsq.Run("predict", "--model", model, "--delimiter", "tab", "--only", dir.File("p2.txt", "a\tb\n3\t4\n"));
        Assert.Equal("prediction\n5\n", tab.Out);
    }

    [Fact]
    public void Fit_json_from_standard_input_parses_per_the_schema()
    {
        var r = Lsq.RunWithInput(File.ReadAllText(Lsq.Sample("multi.csv")), "fit", "-", "--format", "json", "-x", "x1,x3");
        Assert.Equal(0, r.Code);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        var names = doc.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("term").GetString());
        Assert.Equal(["(intercept)", "x1", "x3"], names);
        Assert.Equal(r.Out, Lsq.Run("fit", Lsq.Sample("multi.csv"), "--format", "json", "-x", "x1,x3").Out);
    }

    [Theory]
    [InlineData("[suggest:1]", "f", "fit\n")]
    [InlineData("[suggest:0]", "", "--help\n--version\n-?\n-h\n/?\n/h\nfit\nmerge\nplot\npredict\n")]
    [InlineData("[suggest:7]", "fit --f", "--features\n--format\n--formula\n")]
    [InlineData("[suggest:8]", "fit --sa", "--save\n")]
    [InlineData("[suggest:13]", "fit --method ", "gd\nnormal\nqr\nsgd\n")]
    [InlineData("[suggest:16]", "fit --format csv", "csv\n")]
    [InlineData("[suggest:11]", "predict --o", "--only\n--output\n")]
    [InlineData("[suggest:10]", "predict --", "--delimiter\n--help\n--model\n--no-header\n--only\n--output\n--quiet\n")]
    public void Suggest_directive_completes_commands_options_and_values(string directive, string line, string expected)
    {
        var r = Lsq.Run(directive, line);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Equal(expected, r.Out);
    }

    [Fact]
    public void A_closed_output_pipe_ends_the_run_quietly_with_exit_0()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var data = new StringBuilder("a,b\n");
        for (int i = 0; i < 100_000; i++)
        {
            data.Append("1,2\n");
        }

        var input = dir.File("d.csv", data.ToString());
        var sink = new FailingStream(allow: 100, errno: 32);
        var stdout = new StreamWriter(new StdoutStream(sink), new UTF8Encoding(false), 1 << 12);
        var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, () => Stream.Null);
        int code = LsqApp.Run(["predict", "--model", model, input], context);
        Assert.Equal(0, code);
        Assert.Equal("", stderr.ToString());
        Assert.True(sink.Attempts < 5, $"{sink.Attempts} writes after the pipe closed: lsq went on producing output");
    }

    [Fact]
    public void Other_write_errors_are_not_mistaken_for_a_closed_pipe()
    {
        // An I/O error on an output file is a real failure (exit 2 with a message).
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-o", "/proc/version");
        Assert.Equal(2, r.Code);
        Assert.StartsWith("lsq: error: cannot write /proc/version", r.Err, StringComparison.Ordinal);
    }
}
