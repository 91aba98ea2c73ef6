using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The catalogue of hostile and messy inputs: each ends in a documented outcome — the right exit
/// code, an lsq: message with the place and the text, no stack trace, no output file, and on
/// success only finite numbers.
/// </summary>
public sealed class HardeningTests
{
    private static Lsq.Result Fit(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run(["fit", file, .. extra]);
    }

    private static Lsq.Result FitBytes(byte[] bytes, params string[] extra)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "data.csv");
        File.WriteAllBytes(file, bytes);
        return Lsq.Run(["fit", file, .. extra]);
    }

    private static void AssertFails(Lsq.Result r, int code, string fragment)
    {
        Assert.Equal(code, r.Code);
        Assert.Equal("", r.Out);
        Assert.StartsWith("lsq: error: ", r.Err, StringComparison.Ordinal);
        Assert.Contains(fragment, r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
    }

    private static JsonElement Json(Lsq.Result r)
    {
        Assert.Equal(0, r.Code);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public void One_row_is_too_few_for_a_line() =>
        AssertFails(Fit("x,y\n1,2\n"), 3, "1 data row but the model has 2 coefficients");

    [Fact]
    public void Duplicate_header_names_are_refused_when_used() =>
        AssertFails(Fit("x,x,y\n1,2,3\n2,3,5\n3,5,4\n"), 2, "names column 'x' more than once");

    [Fact]
    public void Duplicate_header_names_are_fine_when_not_used()
    {
        var r = Fit("x,x,y\n1,2,3\n2,3,5\n3,5,4\n", "-x", "1");
        Assert.Equal(0, r.Code);
    }

    [Fact]
    public void Byte_order_mark_and_crlf_give_the_same_fit()
    {
        var plain = Fit("x,y\n1,2\n2,3.5\n3,7\n", "-f", "json");
        var bom = FitBytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("x,y\r\n1,2\r\n2,3.5\r\n3,7\r\n")], "-f", "json");
        Assert.Equal(0, plain.Code);
        Assert.Equal(plain.Out, bom.Out);
        Assert.Equal("x", Json(bom).GetProperty("coefficients")[1].GetProperty("term").GetString());
    }

    [Fact]
    public void Quoted_fields_with_commas_and_newlines_in_unused_columns_are_read()
    {
        var r = Fit("name,x,y\n\"Smith, J.\",1,2\n\"two\nlines\",2,3.5\nplain,3,7\n", "-x", "x", "-f", "json");
        var json = Json(r);
        Assert.Equal(3, json.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Error_line_numbers_count_lines_inside_quoted_fields() =>
        AssertFails(Fit("name,x,y\n\"two\nlines\",2,3.5\nplain,3,oops\n", "-x", "x"), 2, "data.csv:4:3: column 'y' holds 'oops'");

    [Fact]
    public void Too_many_fields() =>
        AssertFails(Fit("x,y\n1,2\n2,3,9\n"), 2, "data.csv:3: the row has 3 fields but the header has 2");

    [Fact]
    public void Very_long_line_is_reported_shortened()
    {
        var junk = new string('z', 100_000);
        var r = Fit($"x,y\n1,2\n2,{junk}\n3,4\n");
        AssertFails(r, 2, "data.csv:3:2: column 'y' holds 'zzzz");
        Assert.True(r.Err.Length < 1000, "the message quotes a prefix of the text, not all of it");
    }

    [Fact]
    public void Binary_garbage_is_an_input_error()
    {
        var rng = new Random(5);
        var bytes = new byte[4096];
        rng.NextBytes(bytes);
        var r = FitBytes(bytes);
        Assert.Contains(r.Code, new[] { 1, 2 });
        Assert.StartsWith("lsq: error: ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Unreadable_file_is_an_input_error()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        using var dir = new TempDir();
        var file = dir.File("secret.csv", "x,y\n1,2\n2,3\n3,5\n");
#pragma warning disable CA1416 // guarded by the skip above
        File.SetUnixFileMode(file, UnixFileMode.None);
#pragma warning restore CA1416
        bool readable;
        try
        {
            using var probe = File.OpenRead(file);
            readable = true;
        }
        catch (UnauthorizedAccessException)
        {
            readable = false;
        }

        Skip.If(readable, "running as root, which can read a file without permissions; nothing to test here.");
        AssertFails(Lsq.Run("fit", file), 2, "cannot be read");
    }

    [Fact]
    public void As_many_rows_as_coefficients_is_an_exact_fit_with_undefined_statistics()
    {
        var r = Fit("x,y\n1,3\n2,5\n", "-f", "json", "--summary");
        var json = Json(r);
        Assert.Equal(0, json.GetProperty("df_residual").GetInt32());
        Assert.Equal(0, json.GetProperty("mse").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("residual_std_error").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("coefficients")[1].GetProperty("std_error").ValueKind);
        Assert.Equal(2, json.GetProperty("coefficients")[1].GetProperty("estimate").GetDouble(), 12);
        var table = Fit("x,y\n1,3\n2,5\n", "--summary");
        Assert.Contains("residual_std_error  NA on 0 degrees of freedom", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Constant_response_fits_a_flat_line_and_leaves_r_squared_undefined()
    {
        var json = Json(Fit("x,y\n1,4\n2,4\n3,4\n5,4\n", "-f", "json", "--summary"));
        Assert.Equal(4, json.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(0, json.GetProperty("coefficients")[1].GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("r_squared").ValueKind);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void Output_is_byte_identical_under_other_cultures(string culture)
    {
        string[] args = ["fit", Lsq.Sample("multi.csv"), "--summary"];
        var before = CultureInfo.CurrentCulture;
        var invariant = Lsq.Run(args);
        var json = Lsq.Run([.. args, "-f", "json"]);
        var csv = Lsq.Run([.. args, "-f", "csv"]);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(invariant.Out, Lsq.Run(args).Out);
            Assert.Equal(json.Out, Lsq.Run([.. args, "-f", "json"]).Out);
            Assert.Equal(csv.Out, Lsq.Run([.. args, "-f", "csv"]).Out);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void Input_numbers_are_read_invariantly_under_a_comma_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var json = Json(Fit("x,y\n1.5,2\n2.5,3\n4,7\n", "-f", "json"));
            Assert.Equal(3, json.GetProperty("n").GetInt32());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [SkippableFact]
    public void Ctrl_c_exits_130_promptly_and_leaves_no_output_file()
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "lsq");
        Skip.IfNot(File.Exists(binary), "the lsq apphost is not in the test folder");
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, "fit.json");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "fit", Lsq.Sample("multi.csv"), "-m", "gd", "--tol", "0", "--max-iter", "2000000000", "-o", output })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        Thread.Sleep(1500); // let it start iterating
        Assert.False(process.HasExited, "the run should still be iterating");
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!process.WaitForExit(10_000))
        {
            var ignored = File.ReadAllLines($"/proc/{process.Id}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            process.Kill();
            bool sigintIgnored = (Convert.ToUInt64(ignored.Split(':')[1].Trim(), 16) & 2) != 0;
            Skip.If(sigintIgnored, "SIGINT is ignored in this environment (started as a background job), so Ctrl-C cannot be simulated.");
            Assert.Fail("lsq did not stop within 10 s of SIGINT");
        }

        Assert.Equal(130, process.ExitCode);
        Assert.Equal("lsq: error: interrupted.\n", process.StandardError.ReadToEnd());
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
