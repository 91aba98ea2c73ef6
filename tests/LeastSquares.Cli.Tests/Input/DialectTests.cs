using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>What a CSV may look like: CRLF, a byte order mark, tabs and other separators, quoted fields, blank lines, numbers under any culture.</summary>
public sealed class DialectTests
{
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
        var model = dir.File("m.json", Models.YOnAB);
        var other = Path.Combine(dir.Path, "d.csv");
        File.WriteAllBytes(other, Variant("a,b\n3,4\n5,6\n", variant));
        var r = Lsq.Run("predict", "--model", model, other);
        Assert.Equal(0, r.Code);
        Assert.Equal("a,b,prediction\n3,4,5\n5,6,8\n", r.Out);
    }

    // R's read.csv skips blank lines before the header too (blank.lines.skip); lsq called such a file empty.
    [Theory]
    [InlineData("\n", "file")]
    [InlineData("\n\n", "file")]
    [InlineData("\r\n", "file")]
    [InlineData("\n", "stdin")]
    [InlineData("\n", "gz")]
    [InlineData("\n", "parts")]
    public void Blank_lines_before_the_header_are_skipped(string blank, string from)
    {
        const string Text = "g,a,y\nu,1,3.1\nv,2,4.4\nu,3,7.2\nv,4,7.5\nu,5,10.8\n";
        using var dir = new TempDir();
        var plain = dir.File("plain.csv", Text);
        var bytes = Encoding.UTF8.GetBytes(blank + Text);
        var file = Path.Combine(dir.Path, from == "gz" ? "blank.csv.gz" : "blank.csv");
        if (from == "gz")
        {
            using var z = new System.IO.Compression.GZipStream(File.Create(file), System.IO.Compression.CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(file, bytes);
        }

        string[] args = ["-y", "y", "-f", "csv"]; // g is a text column: categorical, as in the plain file
        var expected = Lsq.Run(["fit", plain, .. args]);
        Assert.Equal(0, expected.Code);
        var r = from switch
        {
            "stdin" => Lsq.RunWith("", c => c with { OpenStdin = () => new MemoryStream(bytes) }, ["fit", .. args]),
            "parts" => Lsq.RunWith("", c => c with { Parallel = new LeastSquares.Cli.Input.ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 16 } }, ["fit", file, .. args]),
            _ => Lsq.Run(["fit", file, .. args]),
        };
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(expected.Out, r.Out);
    }

    [Fact]
    public void After_blank_lines_before_the_header_a_bad_cell_is_named_at_its_line_in_the_file()
    {
        using var dir = new TempDir();
        var file = dir.File("blank.csv", "\nx,y\n1,2\n2,abc\n3,4\n");
        var r = Lsq.Run("fit", file);
        Assert.Equal(2, r.Code);
        Assert.Contains("blank.csv:4:2: column 'y' holds 'abc'", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Tsv_files_are_tab_separated_without_being_told()
    {
        using var dir = new TempDir();
        var csv = dir.File("d.csv", Data);
        var tsv = dir.File("d.tsv", Data.Replace(',', '\t'));
        Assert.Equal(Lsq.Run("fit", csv, "-f", "json").Out, Lsq.Run("fit", tsv, "-f", "json").Out);
        var model = dir.File("m.json", Models.YOnAB);
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
        var model = dir.File("m.json", Models.YOnAB);
        // Input fields are written back with the input's separator (issue 19): a comma inside a
        // field needs no quotes then, and a field holding the separator is quoted.
        var r = Lsq.Run("predict", "--model", model, "--delimiter", ";", dir.File("p.txt", "a;b;c\n3;4;x,y\n3;4;\"x;y\"\n"));
        Assert.Equal("a;b;c;prediction\n3;4;x,y;5\n3;4;\"x;y\";5\n", r.Out);
        var tab = Lsq.Run("predict", "--model", model, "--delimiter", "tab", "--only", dir.File("p2.txt", "a\tb\n3\t4\n"));
        Assert.Equal("prediction\n5\n", tab.Out);
    }

    [Fact]
    public void Quoted_fields_with_commas_and_newlines_in_unused_columns_are_read()
    {
        using var dir = new TempDir();
        var r = Lsq.Run("fit", dir.File("data.csv", "name,x,y\n\"Smith, J.\",1,2\n\"two\nlines\",2,3.5\nplain,3,7\n"), "-x", "x", "-f", "json");
        Assert.Equal(0, r.Code);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal(3, json.RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Fit_ignores_blank_lines()
    {
        var with = Lsq.RunWithInput("x,y\n1,2\n\n2,3\n3,5\n\n", "fit", "-f", "json");
        var without = Lsq.RunWithInput("x,y\n1,2\n2,3\n3,5\n", "fit", "-f", "json");
        Assert.Equal(0, with.Code);
        Assert.Equal(without.Out, with.Out);
    }

    [Fact]
    public void Predict_keeps_blank_lines_so_output_stays_aligned()
    {
        var r = Lsq.RunWithInput("x\n1\n\n2\n", "predict", "--model", Lsq.Sample("linear-model.json"), "--only");
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n');
        Assert.Equal("prediction", lines[0]);
        Assert.NotEqual("", lines[1]);
        Assert.Equal("", lines[2]);
        Assert.NotEqual("", lines[3]);
    }

    [Fact]
    public void Input_numbers_are_read_invariantly_under_a_comma_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var r = Lsq.RunWithInput("x,y\n1.5,2\n2.5,3\n4,7\n", "fit", "-f", "json");
            Assert.Equal(0, r.Code);
            using var json = JsonDocument.Parse(r.Out);
            Assert.Equal(3, json.RootElement.GetProperty("n").GetInt32());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
