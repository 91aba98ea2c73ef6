using System.IO.Compression;
using System.Text;

namespace LeastSquares.Cli.Tests;

/// <summary>gzip and zstd input, from files and standard input, fit as the plain file does; other formats and broken data are clear input errors.</summary>
public sealed class CompressedInputTests
{
    private static readonly string Plain = File.ReadAllText(Lsq.Sample("linear.csv"));

    private static byte[] Gzip(byte[] data)
    {
        var m = new MemoryStream();
        using (var z = new GZipStream(m, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(data);
        }

        return m.ToArray();
    }

    private static byte[] Zstd(byte[] data)
    {
        using var c = new ZstdSharp.Compressor(3);
        c.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1); // as the zstd command writes it
        return c.Wrap(data).ToArray();
    }

    private static string Fit(params string[] args)
    {
        var r = Lsq.Run(["fit", .. args, "-f", "json"]);
        Assert.True(r.Code == 0, r.Err);
        return r.Out;
    }

    [Theory]
    [InlineData("gz")]
    [InlineData("zst")]
    public void A_compressed_file_fits_as_the_plain_file(string kind)
    {
        using var dir = new TempDir();
        var bytes = Encoding.UTF8.GetBytes(Plain);
        var packed = kind == "gz" ? Gzip(bytes) : Zstd(bytes);
        var file = Path.Combine(dir.Path, "data.csv." + kind);
        File.WriteAllBytes(file, packed);
        var noSuffix = Path.Combine(dir.Path, "data");
        File.WriteAllBytes(noSuffix, packed); // recognised by its bytes, not its name
        var expected = Fit(Lsq.Sample("linear.csv"));
        Assert.Equal(expected, Fit(file));
        Assert.Equal(expected, Fit(noSuffix));
    }

    [Theory]
    [InlineData("gz")]
    [InlineData("zst")]
    public void Compressed_standard_input_fits_as_the_plain_file(string kind)
    {
        var bytes = Encoding.UTF8.GetBytes(Plain);
        var packed = kind == "gz" ? Gzip(bytes) : Zstd(bytes);
        var r = Lsq.RunWith("", c => c with { OpenStdin = () => new MemoryStream(packed) }, "fit", "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(Fit(Lsq.Sample("linear.csv")), r.Out);
    }

    [Fact]
    public void A_gzipped_tsv_is_read_with_tabs()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "data.tsv.gz");
        File.WriteAllBytes(file, Gzip(Encoding.UTF8.GetBytes(Plain.Replace(',', '\t'))));
        Assert.Equal(Fit(Lsq.Sample("linear.csv")), Fit(file));
    }

    [Theory]
    [InlineData("bzip2", "BZh91AY&SY", "bzip2 -dc")]
    [InlineData("xz", "\u00FD7zXZ\0\0", "xz -dc")]
    [InlineData("zip", "PK\u0003\u0004\u0014\0", "unzip -p")]
    public void Other_formats_name_the_command_that_decompresses_them(string format, string head, string command)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "data.bin");
        File.WriteAllBytes(file, [.. head.Select(c => (byte)c), .. new byte[20]]);
        var r = Lsq.Run("fit", file);
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Contains($"is {format}-compressed", r.Err, StringComparison.Ordinal);
        Assert.Contains($"'{command} {file} | lsq fit ...'", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_file_cut_short_says_so_in_plain_words_with_its_name()
    {
        // Cut after the 10-byte gzip header: no trailer is there, so no size from it is quoted.
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "cut.csv.gz");
        File.WriteAllBytes(file, Gzip(Encoding.UTF8.GetBytes("x,y\n1,2\n2,4\n3,5\n"))[..10]);
        Expect.Error(Lsq.Run("fit", file), 2, "input/gzip-cut-short", "cut.csv.gz: the gzip data is corrupt or cut short",
            "the file ends before its compressed data does", "gzip -t");
    }

    [Theory]
    [InlineData("gz", true)]
    [InlineData("gz", false)]
    [InlineData("zst", true)]
    [InlineData("zst", false)]
    public void Corrupt_or_truncated_data_is_exit_2_and_writes_nothing(string kind, bool truncate)
    {
        using var dir = new TempDir();
        var rows = new StringBuilder("x,y\n");
        for (int i = 0; i < 20000; i++)
        {
            rows.Append(i).Append(',').Append(2 * i + 1).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(rows.ToString());
        var packed = kind == "gz" ? Gzip(bytes) : Zstd(bytes);
        if (truncate)
        {
            packed = packed[..(packed.Length / 2)];
        }
        else
        {
            for (int i = packed.Length / 3; i < packed.Length / 3 + 64; i++)
            {
                packed[i] ^= 0x5A;
            }
        }

        var file = Path.Combine(dir.Path, "data.csv." + kind);
        File.WriteAllBytes(file, packed);
        var output = Path.Combine(dir.Path, "out.json");
        var r = Lsq.Run("fit", file, "-o", output);
        Assert.Equal(2, r.Code);
        Assert.Matches("^lsq: error: .*data\\.csv\\." + kind + ": the (gzip|zstd) data is corrupt or cut short", r.Err);
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => !f.EndsWith("." + kind, StringComparison.Ordinal));
    }

    /// <summary>Rows of two groups, with the one fault of each kind (the valid run is the empty cell under --missing skip).</summary>
    private static string Faulty(string fault)
    {
        var rows = new StringBuilder("g,x,y\n");
        for (int i = 1; i <= 12; i++)
        {
            string y = (2.5 * i + (i % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string line = (i, fault) switch
            {
                (5, "bad") => $"{(i % 2 == 0 ? "a" : "b")},{i},abc",
                (5, "empty" or "skip") => $"{(i % 2 == 0 ? "a" : "b")},{i},",
                (5, "ragged") => $"{(i % 2 == 0 ? "a" : "b")},{i}",
                (5, "header") => "g,x,y",
                _ => $"{(i % 2 == 0 ? "a" : "b")},{i},{y}",
            };
            rows.Append(line).Append('\n');
        }

        return rows.ToString();
    }

    public static TheoryData<string, string, string> FaultCases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var kind in new[] { "gz", "zst" })
        {
            foreach (var fault in new[] { "bad", "empty", "ragged", "header", "skip" })
            {
                foreach (var command in new[] { "fit", "by", "anova" })
                {
                    cases.Add(kind, fault, command);
                }
            }
        }

        return cases;
    }

    private static string[] Command(string command, string fault, string? file)
    {
        string[] args = command switch
        {
            "fit" => ["fit", "-x", "x", "-y", "y"],
            "by" => ["fit", "-x", "x", "-y", "y", "--by", "g"],
            _ => ["anova", "y ~ x"],
        };
        string[] skip = fault == "skip" ? ["--missing", "skip"] : [];
        return file is null ? [.. args, .. skip] : [args[0], file, .. args[1..], .. skip];
    }

    [Theory]
    [MemberData(nameof(FaultCases))]
    public void A_compressed_file_with_a_bad_or_skipped_row_is_read_as_the_plain_file_is(string kind, string fault, string command)
    {
        using var dir = new TempDir();
        var bytes = Encoding.UTF8.GetBytes(Faulty(fault));
        var plainFile = Path.Combine(dir.Path, "data.csv");
        File.WriteAllBytes(plainFile, bytes);
        var packedFile = plainFile + "." + kind;
        File.WriteAllBytes(packedFile, kind == "gz" ? Gzip(bytes) : Zstd(bytes));

        var plain = Lsq.Run(Command(command, fault, plainFile));
        var packed = Lsq.Run(Command(command, fault, packedFile));
        Assert.Equal(fault == "skip" ? 0 : 2, plain.Code);
        Assert.True(plain.Code == packed.Code, packed.Err);
        Assert.Equal(plain.Out, packed.Out);
        Assert.Equal(plain.Err, packed.Err.Replace(packedFile, plainFile, StringComparison.Ordinal));
        if (fault != "skip")
        {
            Assert.Contains("data.csv." + kind + ":6:", packed.Err, StringComparison.Ordinal); // the file, its line and column
        }

        var plainStdin = Lsq.RunWith("", c => c with { OpenStdin = () => new MemoryStream(bytes) }, Command(command, fault, null));
        var packedStdin = Lsq.RunWith("", c => c with { OpenStdin = () => new MemoryStream(File.ReadAllBytes(packedFile)) }, Command(command, fault, null));
        Assert.Equal(plain.Code, plainStdin.Code);
        Assert.True(plainStdin.Code == packedStdin.Code, packedStdin.Err);
        Assert.Equal(plainStdin.Out, packedStdin.Out);
        Assert.Equal(plainStdin.Err, packedStdin.Err);
    }
}
