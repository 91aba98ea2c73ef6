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
}
